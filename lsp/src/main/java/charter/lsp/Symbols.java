package charter.lsp;

import charter.compiler.ast.Decl;
import charter.compiler.ast.SourceFile;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.SymbolKind;

/** The outline of a file: its rules, invariants (state invariants apart), intents, functions, people and teams. */
final class Symbols {
    private Symbols() {}

    static List<DocumentSymbol> of(SourceFile file, TextPositions positions) {
        List<DocumentSymbol> out = new ArrayList<>();
        for (Decl decl : file.decls()) {
            Symbol s = describe(decl);
            if (s == null || s.name() == null || s.name().isEmpty()) continue;
            var range = positions.range(decl.span());
            var selection = positions.range(Definitions.nameSpan(decl));
            // The protocol wants the name inside the whole; a recovered declaration may not guarantee it.
            if (!contains(range, selection)) selection = range;
            out.add(new DocumentSymbol(s.name(), s.kind(), range, selection, s.detail()));
        }
        return out;
    }

    private record Symbol(String name, SymbolKind kind, String detail) {}

    private static Symbol describe(Decl decl) {
        return switch (decl) {
            case Decl.RuleDecl r -> new Symbol(text(r.name()), SymbolKind.Event, orEmpty(r.title()));
            case Decl.InvariantDecl i -> new Symbol(text(i.name()), SymbolKind.Interface,
                    (i.body() instanceof charter.compiler.ast.InvariantBody.StateGuard ? "state invariant, " : "invariant, ")
                            + (i.level() == null ? "" : i.level().keyword()) + (i.title() == null ? "" : ": " + i.title()));
            case Decl.IntentDecl i -> new Symbol(text(i.name()), SymbolKind.Method, orEmpty(i.title()));
            case Decl.FunctionDecl f -> new Symbol(text(f.name()), SymbolKind.Function, Hovers.signature(f));
            case Decl.PersonDecl p -> new Symbol(text(p.name()), SymbolKind.Object, "person");
            case Decl.TeamDecl t -> new Symbol(text(t.name()), SymbolKind.Namespace, t.title() == null ? "team" : t.title());
            case Decl.SignificanceDecl s -> new Symbol("significance", SymbolKind.Array, s.clauses().size() + " clauses");
            case Decl.ProgramDecl p -> new Symbol("program " + p.name(), SymbolKind.Package, null);
            case Decl.ImportDecl i -> new Symbol("import " + i.path(), SymbolKind.File, null);
            case Decl.TruthDecl t -> new Symbol("truth " + text(t.entity()) + "." + text(t.attribute()), SymbolKind.Property, null);
            // Declarations added to the language later show up once they are given a kind here.
            default -> null;
        };
    }

    private static boolean contains(org.eclipse.lsp4j.Range outer, org.eclipse.lsp4j.Range inner) {
        return compare(outer.getStart(), inner.getStart()) <= 0 && compare(inner.getEnd(), outer.getEnd()) <= 0;
    }

    private static int compare(org.eclipse.lsp4j.Position a, org.eclipse.lsp4j.Position b) {
        return a.getLine() != b.getLine() ? Integer.compare(a.getLine(), b.getLine()) : Integer.compare(a.getCharacter(), b.getCharacter());
    }

    private static String text(charter.compiler.ast.Name name) {
        return name == null ? null : name.text();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
