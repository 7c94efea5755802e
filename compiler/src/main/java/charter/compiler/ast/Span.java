package charter.compiler.ast;

/** A region of a Program file: 1-based lines and columns, end exclusive. */
public record Span(String file, int line, int column, int endLine, int endColumn) {
    public static Span at(String file, int line, int column) {
        return new Span(file, line, column, line, column + 1);
    }

    public Span to(Span end) {
        return new Span(file, line, column, end.endLine, end.endColumn);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
