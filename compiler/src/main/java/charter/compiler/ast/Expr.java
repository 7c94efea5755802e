package charter.compiler.ast;

import java.util.List;

/** Expressions of `where`, `unless`, significance conditions and action arguments. */
public sealed interface Expr {
    Span span();

    /** A string literal, split into text and `${expr}` parts. */
    record StringLit(List<StringPart> parts, Span span) implements Expr {
        public StringLit { parts = List.copyOf(parts); }

        /** The literal's value when it has no interpolation, else null. */
        public String constantValue() {
            StringBuilder out = new StringBuilder();
            for (StringPart part : parts) {
                if (!(part instanceof StringPart.Text text)) return null;
                out.append(text.value());
            }
            return out.toString();
        }
    }

    sealed interface StringPart {
        record Text(String value) implements StringPart {}
        record Interpolation(Expr expr) implements StringPart {}
    }

    record NumberLit(double value, String text, Span span) implements Expr {}

    record DurationLit(Duration duration, Span span) implements Expr {}

    record BoolLit(boolean value, Span span) implements Expr {}

    /** `nobody`: the owner of something no team owns. */
    record NobodyLit(Span span) implements Expr {}

    /** `team platform`, as the right side of `in`. */
    record TeamRef(Name team, Span span) implements Expr {}

    record ListLit(List<Expr> items, Span span) implements Expr {
        public ListLit { items = List.copyOf(items); }
    }

    /** A built-in function call: `owner(d.project)`, `lower(x)`, `weekday(now)`. */
    record Call(Name function, List<Expr> args, Span span) implements Expr {
        public Call { args = List.copyOf(args); }
    }

    /** `d.target`, `intent.actor`, `now`. */
    record Path(List<Name> segments, Span span) implements Expr {
        public Path { segments = List.copyOf(segments); }

        public String dotted() {
            return String.join(".", segments.stream().map(Name::text).toList());
        }
    }

    record Unary(UnaryOp op, Expr operand, Span span) implements Expr {}

    record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {}

    /** `exists d.assignee`: the field is present and not empty. */
    record ExistsField(Path path, Span span) implements Expr {}

    /** `exists(sentry.issue.created i where ... within 1h before intent)`. */
    record ExistsPattern(Pattern pattern, Span span) implements Expr {}

    /**
     * `skip`: only as the right side of `??` in an action argument. When the left side is
     * missing, the action is not planned, and the skip is recorded with the reason.
     */
    record Skip(Span span) implements Expr {}

    enum UnaryOp { NOT, NEGATE }

    enum BinaryOp {
        EQ("=="), NEQ("!="), LT("<"), LE("<="), GT(">"), GE(">="),
        PLUS("+"), MINUS("-"), COALESCE("??"), IN("in"), NOT_IN("not in"), MATCHES("matches"), AND("and"), OR("or");

        private final String symbol;

        BinaryOp(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }
    }
}
