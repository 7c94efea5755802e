package charter.compiler.ast;

/** One element of a rule's `when`, joined to the others with `and`. */
public sealed interface Condition {
    Span span();

    /** A fact that must be there: `vercel.deployment.error d where ...`. */
    record Match(Pattern pattern, Span span) implements Condition {}

    /** A fact that must not be there: `not linear.issue.updated a where ... within 15m after i`. */
    record Absent(Pattern pattern, Span span) implements Condition {}

    /** `count(pattern) >= 3 within 1h`: a sliding window ending at the newest matching event. */
    record Count(Pattern pattern, CountOp op, int threshold, Duration window, Span span) implements Condition {}

    enum CountOp {
        AT_LEAST(">="), MORE_THAN(">"), EXACTLY("==");

        private final String symbol;

        CountOp(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }
    }
}
