package charter.compiler.ast;

/** An identifier as written, with where it was written. */
public record Name(String text, Span span) {
    @Override
    public String toString() {
        return text;
    }
}
