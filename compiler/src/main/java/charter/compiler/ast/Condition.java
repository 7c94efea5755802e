package charter.compiler.ast;

import java.util.List;

/** One element of a rule's `when`, joined to the others with `and`. */
public sealed interface Condition {
    Span span();

    /** A fact that must be there: `vercel.deployment.error d where ...`. */
    record Match(Pattern pattern, Span span) implements Condition {}

    /** A fact that must not be there: `not linear.issue.updated a where ... within 15m after i`. */
    record Absent(Pattern pattern, Span span) implements Condition {}

    /**
     * `count(pattern) [by b.f, …] >= 3 within 1h`: a sliding window ending at the newest matching event.
     * With `by`, one count per distinct value of the key fields of the counted binding (empty: one count).
     */
    record Count(Pattern pattern, CountOp op, int threshold, Duration window, List<Expr.Path> groupBy, Span span)
            implements Condition {
        public Count {
            groupBy = List.copyOf(groupBy);
        }

        /** An ungrouped count. */
        public Count(Pattern pattern, CountOp op, int threshold, Duration window, Span span) {
            this(pattern, op, threshold, window, List.of(), span);
        }

        public boolean grouped() {
            return !groupBy.isEmpty();
        }
    }

    enum CountOp {
        AT_LEAST(">="), MORE_THAN(">"), EXACTLY("==");

        private final String symbol;

        CountOp(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }
    }
}
