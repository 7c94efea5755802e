package charter.compiler.parse;

import charter.compiler.ast.Span;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/** Collects every syntax error of a file as a diagnostic instead of throwing at the first. */
final class CollectingErrorListener extends BaseErrorListener {
    private final String file;
    private final int lineOffset;
    private final int columnOffset;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    /** Offsets place errors of a sub-parse (a `${...}` inside a string) in the enclosing file. */
    CollectingErrorListener(String file, int lineOffset, int columnOffset) {
        this.file = file;
        this.lineOffset = lineOffset;
        this.columnOffset = columnOffset;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        int width = 1;
        if (offendingSymbol instanceof Token token && token.getType() != Token.EOF && token.getText() != null) {
            width = Math.max(1, token.getText().length());
        }
        int column = (line == 1 ? columnOffset : 0) + charPositionInLine + 1;
        int fileLine = line + lineOffset;
        Span span = new Span(file, fileLine, column, fileLine, column + width);
        diagnostics.add(Diagnostic.error(Code.SYNTAX, span, friendly(msg)));
    }

    /** ANTLR's wording, shortened: long expected-token sets are noise to a Program author. */
    private static String friendly(String msg) {
        String m = msg.replace("<EOF>", "end of file").replace("'", "`");
        int expecting = m.indexOf(" expecting {");
        if (expecting >= 0) {
            String set = m.substring(expecting + " expecting {".length(), m.lastIndexOf('}'));
            String[] items = set.split(", ");
            String head = m.substring(0, expecting);
            if (items.length > 6) return head + "; expected one of " + String.join(", ", java.util.Arrays.copyOf(items, 6)) + ", …";
            return head + "; expected one of " + set;
        }
        return m.replace(" expecting ", "; expected ");
    }

    List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }
}
