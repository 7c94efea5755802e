package charter.compiler.eval;

/** A compiled expression: evaluated against the facts a rule matched, with no parsing or reflection. */
@FunctionalInterface
public interface Eval {
    /** The value: String, Double, Boolean, List, Instant, java.time.Duration, TeamValue, or null when a field is missing. */
    Object eval(Frame frame);
}
