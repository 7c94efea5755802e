package charter.compiler.ast;

/** What an invariant guards: an intent (deny ... unless ...) or the state over time (every ... has ...). */
public sealed interface InvariantBody {
    Span span();
    String because();

    /** `deny ship where cond unless cond because "..."`; `where` and `unless` may be null. */
    record DenyGuard(Name intent, Expr where, Expr unless, String because, Span span) implements InvariantBody {}

    /** `every sentry.issue.created i where ... has sentry.issue.assigned a where ... within 15m after i because "..."` */
    record StateGuard(Pattern every, Pattern has, String because, Span span) implements InvariantBody {}
}
