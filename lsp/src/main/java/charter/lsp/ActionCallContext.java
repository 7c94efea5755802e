package charter.lsp;

import charter.grammar.CharterLexer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The action call `tool.verb(` a position is inside, if any, read from the tokens: which tool,
 * the arguments already given, and the argument whose value is being written.
 *
 * @param tool     `slack.post`
 * @param given    argument names already written in the call
 * @param argument the argument whose value the position is in, or null at an argument name
 * @param atName   whether the position is where an argument name goes (after `(` or `,`)
 */
record ActionCallContext(String tool, Set<String> given, String argument, boolean atName) {

    /** The call around a position whose preceding tokens are `all[0, before)`, or null when it is in none. */
    static ActionCallContext of(DocumentTokens tokens, int before) {
        List<DocumentTokens.Tok> all = tokens.all();
        int depth = 0;
        int open = -1;
        for (int i = before - 1; i >= 0; i--) {
            int type = all.get(i).type();
            if (type == CharterLexer.LBRACE || type == CharterLexer.RBRACE) return null;
            if (type == CharterLexer.RPAREN || type == CharterLexer.RBRACK) depth++;
            else if (type == CharterLexer.LPAREN || type == CharterLexer.LBRACK) {
                if (depth == 0) { open = i; break; }
                depth--;
            }
        }
        if (open < 3 || all.get(open).type() != CharterLexer.LPAREN || !all.get(open - 1).isIdent()
                || all.get(open - 2).type() != CharterLexer.DOT || !all.get(open - 3).isIdent()) return null;
        // `x.y.z(` is not a tool call; a tool is exactly `tool.verb`.
        if (open >= 5 && all.get(open - 4).type() == CharterLexer.DOT) return null;
        String tool = all.get(open - 3).text() + "." + all.get(open - 1).text();
        Set<String> given = new LinkedHashSet<>();
        String argument = null;
        depth = 0;
        for (int i = open + 1; i < before; i++) {
            int type = all.get(i).type();
            if (type == CharterLexer.LPAREN || type == CharterLexer.LBRACK) depth++;
            else if (type == CharterLexer.RPAREN || type == CharterLexer.RBRACK) depth--;
            else if (depth == 0 && type == CharterLexer.COMMA) argument = null;
            else if (depth == 0 && type == CharterLexer.COLON && all.get(i - 1).isIdent()) {
                argument = all.get(i - 1).text();
                given.add(argument);
            }
        }
        int last = all.get(before - 1).type();
        boolean atName = last == CharterLexer.LPAREN && before - 1 == open || last == CharterLexer.COMMA && argument == null;
        return new ActionCallContext(tool, given, atName ? null : argument, atName);
    }
}
