package charter.compiler.parse;

import charter.compiler.ast.Expr;
import charter.compiler.ast.Span;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.Token;

/**
 * Splits a string token into text and `${expr}` parts and decodes escapes
 * (`\"`, `\\`, `\n`, `\t`, `\$`). Strings are single-line (the lexer ensures it),
 * so every part's column is the token's column plus its offset in the raw text.
 */
final class StringLiteralParser {
    /** The source of one interpolation, placed in the file. */
    record Fragment(String text, int line, int column) {}

    private final String file;
    private final Function<Fragment, Expr> interpolationParser;
    private final List<Diagnostic> diagnostics;

    StringLiteralParser(String file, Function<Fragment, Expr> interpolationParser, List<Diagnostic> diagnostics) {
        this.file = file;
        this.interpolationParser = interpolationParser;
        this.diagnostics = diagnostics;
    }

    Expr.StringLit parse(Token token) {
        String raw = token.getText();
        int line = token.getLine();
        int column = token.getCharPositionInLine() + 1;
        Span span = new Span(file, line, column, line, column + raw.length());
        List<Expr.StringPart> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int end = raw.length() - 1; // the closing quote
        int i = 1;
        while (i < end) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < end) {
                char next = raw.charAt(i + 1);
                switch (next) {
                    case '"', '\\', '$' -> text.append(next);
                    case 'n' -> text.append('\n');
                    case 't' -> text.append('\t');
                    default -> diagnostics.add(Diagnostic.error(Code.BAD_STRING,
                            new Span(file, line, column + i, line, column + i + 2),
                            "unknown escape `\\" + next + "`; use \\\", \\\\, \\n, \\t or \\$"));
                }
                i += 2;
            } else if (c == '$' && i + 1 < end && raw.charAt(i + 1) == '{') {
                int close = raw.indexOf('}', i + 2);
                if (close < 0 || close >= end) {
                    diagnostics.add(Diagnostic.error(Code.BAD_STRING, new Span(file, line, column + i, line, column + i + 2),
                            "`${` is never closed with `}`; write `\\$` for a literal dollar sign"));
                    i = end;
                    continue;
                }
                if (!text.isEmpty()) {
                    parts.add(new Expr.StringPart.Text(text.toString()));
                    text.setLength(0);
                }
                Expr inner = interpolationParser.apply(new Fragment(raw.substring(i + 2, close), line, column + i + 2));
                if (inner != null) parts.add(new Expr.StringPart.Interpolation(inner));
                i = close + 1;
            } else {
                text.append(c);
                i++;
            }
        }
        if (!text.isEmpty() || parts.isEmpty()) parts.add(new Expr.StringPart.Text(text.toString()));
        return new Expr.StringLit(parts, span);
    }
}
