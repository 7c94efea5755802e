package charter.compiler.model;

import charter.compiler.ast.Decl;
import charter.compiler.ast.SourceFile;
import charter.compiler.load.LoadedProgram;
import java.util.List;
import java.util.Map;

/**
 * Output of the resolve pass: the files reachable from the entry file (in import
 * order) and the Program's symbol tables, each in declaration order so that
 * everything generated from it is deterministic.
 */
public record ResolvedProgram(
        LoadedProgram loaded,
        String name,
        List<SourceFile> files,
        Map<String, Decl.PersonDecl> people,
        Map<String, Decl.TeamDecl> teams,
        Map<String, Decl.IntentDecl> intents,
        List<Decl.RuleDecl> rules,
        List<Decl.InvariantDecl> invariants,
        List<Decl.SignificanceClause> significance,
        List<Decl.TruthDecl> truths,
        Map<String, Decl.FunctionDecl> functions) {

    public ResolvedProgram {
        files = List.copyOf(files);
        people = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(people));
        teams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(teams));
        intents = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(intents));
        rules = List.copyOf(rules);
        invariants = List.copyOf(invariants);
        significance = List.copyOf(significance);
        truths = List.copyOf(truths);
        functions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(functions));
    }
}
