package charter.lsp;

import charter.compiler.catalog.Catalog;
import charter.grammar.CharterLexer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The top-level declaration a token belongs to, read from the tokens alone: its keyword, its
 * token range, the names its patterns bind (to their event or entity type), and the intent
 * `intent.` refers to inside it. Works on a half-typed declaration, which the parser would not
 * give back whole.
 *
 * @param keyword  the lexer type of the declaration's first token (RULE, INVARIANT, …), or -1 outside any
 * @param first    index of its first token
 * @param end      index past its last token
 * @param bindings binding name → event or entity type, in the order they are declared
 * @param intent   the intent the declaration is about (`deny ship`, `intent ship(...)`), or null
 */
record EnclosingDeclaration(int keyword, int first, int end, Map<String, String> bindings, String intent) {
    static final Set<Integer> DECLARATION_KEYWORDS = Set.of(CharterLexer.PROGRAM, CharterLexer.IMPORT, CharterLexer.PERSON,
            CharterLexer.TEAM, CharterLexer.SIGNIFICANCE, CharterLexer.TRUTH, CharterLexer.RULE, CharterLexer.INVARIANT,
            CharterLexer.INTENT, CharterLexer.FUNCTION);
    /** Tokens a pattern may follow: `when P`, `and P`, `not P`, `count(P`, `exists(P`, `every P`, `has P`. */
    private static final Set<Integer> BEFORE_PATTERN = Set.of(CharterLexer.WHEN, CharterLexer.AND, CharterLexer.NOT,
            CharterLexer.LPAREN, CharterLexer.EVERY, CharterLexer.HAS);

    /** The declaration holding token index `at` (a token index; `tokens.size()` for the end of the file). */
    static EnclosingDeclaration around(DocumentTokens tokens, int at, Catalog catalog) {
        List<DocumentTokens.Tok> all = tokens.all();
        int depth = 0;
        int first = -1;
        for (int i = 0; i < Math.min(at, all.size()); i++) {
            int type = all.get(i).type();
            if (depth == 0 && DECLARATION_KEYWORDS.contains(type)) first = i;
            if (type == CharterLexer.LBRACE) depth++;
            else if (type == CharterLexer.RBRACE) depth = Math.max(0, depth - 1);
        }
        if (first < 0) return new EnclosingDeclaration(-1, 0, 0, Map.of(), null);
        int end = first + 1;
        depth = 0;
        boolean opened = false;
        while (end < all.size()) {
            int type = all.get(end).type();
            if (depth == 0 && (opened || type != CharterLexer.LBRACE) && DECLARATION_KEYWORDS.contains(type) && end > at) break;
            if (type == CharterLexer.LBRACE) { depth++; opened = true; }
            else if (type == CharterLexer.RBRACE) {
                depth = Math.max(0, depth - 1);
                if (depth == 0 && opened) { end++; break; }
            }
            end++;
        }
        end = Math.max(end, Math.min(at, all.size()));
        int keyword = all.get(first).type();
        Map<String, String> bindings = new LinkedHashMap<>();
        String intent = null;
        for (int i = first; i < end; i++) {
            DocumentTokens.Tok t = all.get(i);
            if (t.type() == CharterLexer.DENY && i + 1 < end && all.get(i + 1).isIdent()) intent = all.get(i + 1).text();
            if (!t.isIdent() || i + 1 >= end || !all.get(i + 1).isIdent()) continue;
            DocumentTokens.Dotted type = tokens.dottedEndingAt(i);
            boolean known = catalog.eventType(type.name()).isPresent()
                    || (!type.name().contains(".") && catalog.entityType(type.name()).isPresent());
            if (known && type.first() > 0 && BEFORE_PATTERN.contains(all.get(type.first() - 1).type())) {
                bindings.putIfAbsent(all.get(i + 1).text(), type.name());
            }
        }
        if (keyword == CharterLexer.INTENT && first + 1 < all.size() && all.get(first + 1).isIdent()) intent = all.get(first + 1).text();
        // Inside an invariant or intent, `intent` is the request itself, not a binding.
        return new EnclosingDeclaration(keyword, first, end, bindings, intent);
    }

    /** The parameters declared by an intent declaration's own tokens (`intent ship(project: string, …)`). */
    static Map<String, String> ownParams(DocumentTokens tokens, EnclosingDeclaration d) {
        Map<String, String> params = new LinkedHashMap<>();
        if (d.keyword() != CharterLexer.INTENT) return params;
        List<DocumentTokens.Tok> all = tokens.all();
        int i = d.first() + 2;
        if (i >= all.size() || all.get(i).type() != CharterLexer.LPAREN) return params;
        for (i++; i + 2 < all.size() && all.get(i).type() != CharterLexer.RPAREN; i++) {
            if (all.get(i).isIdent() && all.get(i + 1).type() == CharterLexer.COLON && all.get(i + 2).isIdent()) {
                params.put(all.get(i).text(), all.get(i + 2).text());
                i += 2;
            }
        }
        return params;
    }
}
