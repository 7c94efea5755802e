package charter.lsp;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Name;
import charter.compiler.ast.SourceFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names a Program declares, each with the file that declares it: what completion offers
 * and go to definition jumps to. Built from the parsed files, so a file with a syntax error
 * still contributes every declaration the parser recovered.
 */
record ProgramIndex(Map<String, SourceFile> files, Map<String, Declared<Decl.PersonDecl>> people,
                    Map<String, Declared<Decl.TeamDecl>> teams, Map<String, Declared<Decl.FunctionDecl>> functions,
                    Map<String, Declared<Decl.IntentDecl>> intents, Map<String, Declared<Decl>> rulesAndInvariants) {

    /** A declaration and the Program-relative path of its file. */
    record Declared<D extends Decl>(String file, D decl) {}

    static final ProgramIndex EMPTY = of(Map.of());

    static ProgramIndex of(Map<String, SourceFile> files) {
        Map<String, Declared<Decl.PersonDecl>> people = new LinkedHashMap<>();
        Map<String, Declared<Decl.TeamDecl>> teams = new LinkedHashMap<>();
        Map<String, Declared<Decl.FunctionDecl>> functions = new LinkedHashMap<>();
        Map<String, Declared<Decl.IntentDecl>> intents = new LinkedHashMap<>();
        Map<String, Declared<Decl>> named = new LinkedHashMap<>();
        files.forEach((path, file) -> {
            for (Decl decl : file.decls()) {
                switch (decl) {
                    case Decl.PersonDecl p -> people.putIfAbsent(text(p.name()), new Declared<>(path, p));
                    case Decl.TeamDecl t -> teams.putIfAbsent(text(t.name()), new Declared<>(path, t));
                    case Decl.FunctionDecl f -> functions.putIfAbsent(text(f.name()), new Declared<>(path, f));
                    case Decl.IntentDecl i -> intents.putIfAbsent(text(i.name()), new Declared<>(path, i));
                    case Decl.RuleDecl r -> named.putIfAbsent(text(r.name()), new Declared<>(path, r));
                    case Decl.InvariantDecl i -> named.putIfAbsent(text(i.name()), new Declared<>(path, i));
                    default -> { }
                }
            }
        });
        people.remove("");
        teams.remove("");
        functions.remove("");
        intents.remove("");
        named.remove("");
        return new ProgramIndex(Map.copyOf(files), people, teams, functions, intents, named);
    }

    Optional<SourceFile> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** The parameter names of an intent, in order, or an empty list for an unknown intent. */
    List<Decl.Param> intentParams(String intent) {
        Declared<Decl.IntentDecl> d = intents.get(intent);
        return d == null ? List.of() : d.decl().params();
    }

    private static String text(Name name) {
        return name == null || name.text() == null ? "" : name.text();
    }
}
