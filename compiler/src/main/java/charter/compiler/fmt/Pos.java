package charter.compiler.fmt;

import charter.compiler.ast.Span;

/** A point in a file: 1-based line and column, ordered as in the text. */
record Pos(int line, int column) implements Comparable<Pos> {
    static Pos start(Span s) {
        return new Pos(s.line(), s.column());
    }

    static Pos end(Span s) {
        return new Pos(s.endLine(), s.endColumn());
    }

    @Override
    public int compareTo(Pos o) {
        return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
    }

    boolean before(Pos o) {
        return compareTo(o) < 0;
    }
}
