package charter.lsp;

import charter.compiler.ast.Span;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Converts between the compiler's places (1-based lines and columns counted in code points, as
 * ANTLR counts them) and the protocol's (0-based lines, columns in UTF-16 code units), and
 * between a protocol position and an index into the Java string of a document.
 */
final class TextPositions {
    private final String text;
    private final int[] lineStarts;

    TextPositions(String text) {
        this.text = text;
        int lines = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') lines++;
        lineStarts = new int[lines];
        int line = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') lineStarts[line++] = i + 1;
    }

    int lineCount() {
        return lineStarts.length;
    }

    /** The string index of a protocol position, clamped to the document. */
    int offset(Position p) {
        if (p.getLine() >= lineStarts.length) return text.length();
        int start = lineStarts[Math.max(0, p.getLine())];
        int end = lineEnd(p.getLine());
        return Math.min(end, start + Math.max(0, p.getCharacter()));
    }

    /** The protocol position of a string index. */
    Position position(int offset) {
        offset = Math.max(0, Math.min(offset, text.length()));
        int line = java.util.Arrays.binarySearch(lineStarts, offset);
        if (line < 0) line = -line - 2;
        return new Position(line, offset - lineStarts[line]);
    }

    /** The string index of a compiler place (1-based line, column in code points). */
    int offset(int line, int codePointColumn) {
        if (line < 1) return 0;
        if (line > lineStarts.length) return text.length();
        int start = lineStarts[line - 1];
        int end = lineEnd(line - 1);
        int index = start;
        for (int i = 1; i < codePointColumn && index < end; i++) index += Character.charCount(text.codePointAt(index));
        return index;
    }

    Range range(Span span) {
        if (span == null) return new Range(new Position(0, 0), new Position(0, 0));
        int start = offset(span.line(), span.column());
        int end = Math.max(start, offset(span.endLine(), span.endColumn()));
        return new Range(position(start), position(end));
    }

    Range wholeDocument() {
        return new Range(new Position(0, 0), position(text.length()));
    }

    private int lineEnd(int zeroBasedLine) {
        int end = zeroBasedLine + 1 < lineStarts.length ? lineStarts[zeroBasedLine + 1] - 1 : text.length();
        if (end > lineStarts[zeroBasedLine] && text.charAt(end - 1) == '\r') end--;
        return end;
    }
}
