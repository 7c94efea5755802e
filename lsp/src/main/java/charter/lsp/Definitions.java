package charter.lsp;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Span;
import charter.compiler.catalog.Catalog;
import charter.grammar.CharterLexer;
import java.util.List;
import java.util.Optional;

/**
 * Where a name is declared: a person, a team, a JavaScript function, an intent, an imported file,
 * or the pattern that binds a name in the same declaration.
 */
final class Definitions {
    /** A place: a Program-relative file (or the document itself, `file` null) and a span in it (null: its start). */
    record Target(String file, Span span, int localStart, int localEnd) {
        static Target in(String file, Span span) {
            return new Target(file, span, -1, -1);
        }

        static Target local(int start, int end) {
            return new Target(null, null, start, end);
        }
    }

    private final Catalog catalog;

    Definitions(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param currentFile the document's Program-relative path, to resolve an import beside it
     */
    Optional<Target> at(String text, int offset, ProgramIndex index, String currentFile) {
        DocumentTokens tokens = new DocumentTokens(text);
        int at = tokens.at(offset);
        if (at < 0) return Optional.empty();
        List<DocumentTokens.Tok> all = tokens.all();
        DocumentTokens.Tok tok = all.get(at);
        int previous = at == 0 ? -1 : all.get(at - 1).type();
        if (tok.type() == CharterLexer.STRING && previous == CharterLexer.IMPORT) {
            String target = tok.text().substring(1, tok.text().length() - 1);
            String dir = currentFile.contains("/") ? currentFile.substring(0, currentFile.lastIndexOf('/') + 1) : "";
            String path = java.nio.file.Path.of(dir + target).normalize().toString().replace('\\', '/');
            return Optional.of(Target.in(path, null));
        }
        if (!tok.isIdent()) return Optional.empty();
        String word = tok.text();
        TokenChain chain = TokenChain.around(tokens, at);
        if (chain.position() > 0) return Optional.empty();   // a field, an event type segment: declared in the catalog
        boolean call = at + 1 < all.size() && all.get(at + 1).type() == CharterLexer.LPAREN;
        if (call) {
            var f = index.functions().get(word);
            return f == null ? Optional.empty() : Optional.of(Target.in(f.file(), f.decl().name().span()));
        }
        if (previous == CharterLexer.DENY) {
            var i = index.intents().get(word);
            if (i != null) return Optional.of(Target.in(i.file(), i.decl().name().span()));
        }
        EnclosingDeclaration decl = EnclosingDeclaration.around(tokens, at, catalog);
        if (decl.bindings().containsKey(word) && chain.whole().startsWith(word)) {
            for (int i = decl.first(); i < decl.end() - 1; i++) {
                DocumentTokens.Tok t = all.get(i);
                if (t.text().equals(word) && t.isIdent() && all.get(i - 1).isIdent()
                        && decl.bindings().get(word).endsWith(all.get(i - 1).text())) {
                    return Optional.of(Target.local(t.start(), t.end()));
                }
            }
        }
        boolean teamPosition = previous == CharterLexer.TEAM;
        var team = index.teams().get(word);
        var person = index.people().get(word);
        if (team != null && (teamPosition || person == null)) return Optional.of(Target.in(team.file(), team.decl().name().span()));
        if (person != null) return Optional.of(Target.in(person.file(), person.decl().name().span()));
        var intent = index.intents().get(word);
        if (intent != null) return Optional.of(Target.in(intent.file(), intent.decl().name().span()));
        return Optional.empty();
    }

    /** The span of a declaration's name, for a file's symbols. */
    static Span nameSpan(Decl decl) {
        return switch (decl) {
            case Decl.PersonDecl p -> p.name().span();
            case Decl.TeamDecl t -> t.name().span();
            case Decl.RuleDecl r -> r.name().span();
            case Decl.InvariantDecl i -> i.name().span();
            case Decl.IntentDecl i -> i.name().span();
            case Decl.FunctionDecl f -> f.name().span();
            default -> decl.span();
        };
    }
}
