package charter.compiler.ast;

/**
 * A fact pattern: `type binding [where expr] [within D after|before anchor]`.
 * `where` and `temporal` may be null.
 */
public record Pattern(TypeRef type, Name binding, Expr where, Temporal temporal, Span span) {

    /** `within 15m after i`: this fact's time lies in [anchor.time, anchor.time + window] (or before it). */
    public record Temporal(Duration window, Direction direction, Name anchor, Span span) {}

    public enum Direction { AFTER, BEFORE }
}
