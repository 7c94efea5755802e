package charter.lsp;

import charter.grammar.CharterLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * The tokens of one document, comments and white space left out, with their places as indexes
 * into the Java string. Completion, hover and go to definition read the tokens around the
 * cursor rather than the parse tree: a buffer being typed is rarely a valid file, and the
 * lexer never fails.
 */
final class DocumentTokens {
    /** One token: its lexer type, text, and [start, end) as string indexes. */
    record Tok(int type, String text, int start, int end) {
        boolean isIdent() {
            return type == CharterLexer.IDENT || SOFT_KEYWORDS.contains(type);
        }
    }

    /**
     * The keywords the grammar lets stand as names: every token its `ident` rule can start with,
     * read from the parser's ATN so that a keyword added to the rule is known here too.
     */
    static final java.util.Set<Integer> SOFT_KEYWORDS = softKeywords();

    private static java.util.Set<Integer> softKeywords() {
        var atn = charter.grammar.CharterParser._ATN;
        java.util.Set<Integer> out = new java.util.HashSet<>(atn.nextTokens(atn.ruleToStartState[charter.grammar.CharterParser.RULE_ident]).toList());
        out.remove(CharterLexer.IDENT);
        return java.util.Set.copyOf(out);
    }

    private final List<Tok> tokens;

    DocumentTokens(String text) {
        int[] utf16 = codePointToUtf16(text);
        CharterLexer lexer = new CharterLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Tok> out = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            int start = utf16 == null ? t.getStartIndex() : utf16[t.getStartIndex()];
            int end = utf16 == null ? t.getStopIndex() + 1 : utf16[t.getStopIndex() + 1];
            out.add(new Tok(t.getType(), t.getText(), start, end));
        }
        tokens = List.copyOf(out);
    }

    List<Tok> all() {
        return tokens;
    }

    /** The index of the token that contains `offset` or ends right at it (the word being typed), or -1. */
    int at(int offset) {
        for (int i = 0; i < tokens.size(); i++) {
            Tok t = tokens.get(i);
            if (t.start() <= offset && offset <= t.end()) {
                // At the boundary of two tokens, prefer the word: `d.|` is at the dot, `d.ta|` at the name.
                if (offset == t.end() && i + 1 < tokens.size() && tokens.get(i + 1).start() == offset && tokens.get(i + 1).isIdent()) return i + 1;
                return i;
            }
            if (t.start() > offset) return -1;
        }
        return -1;
    }

    /** The number of tokens that end at or before `offset`. */
    int countBefore(int offset) {
        int n = 0;
        while (n < tokens.size() && tokens.get(n).end() <= offset) n++;
        return n;
    }

    /** The dotted name made of `ident . ident . …` that ends at token `last` (inclusive), and the index it starts at. */
    record Dotted(String name, int first) {}

    Dotted dottedEndingAt(int last) {
        if (last < 0 || !tokens.get(last).isIdent()) return new Dotted("", last + 1);
        int first = last;
        while (first >= 2 && tokens.get(first - 1).type() == CharterLexer.DOT && tokens.get(first - 2).isIdent()
                && tokens.get(first - 1).start() == tokens.get(first - 2).end() && tokens.get(first).start() == tokens.get(first - 1).end()) {
            first -= 2;
        }
        StringBuilder name = new StringBuilder();
        for (int i = first; i <= last; i++) name.append(tokens.get(i).text());
        return new Dotted(name.toString(), first);
    }

    /** Code point index → string index, or null when the text has no character outside the BMP (they are equal). */
    private static int[] codePointToUtf16(String text) {
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints == text.length()) return null;
        int[] map = new int[codePoints + 1];
        int index = 0;
        for (int cp = 0; cp < codePoints; cp++) {
            map[cp] = index;
            index += Character.charCount(text.codePointAt(index));
        }
        map[codePoints] = text.length();
        return map;
    }
}
