package charter.compiler.ast;

/** What an invariant guards: an intent (deny ... unless ...) or the state over time (every ... has ...). */
public sealed interface InvariantBody {
    Span span();
    String because();

    /**
     * `deny ship where cond unless cond because "..." override by ...`; `where`, `unless` and
     * `override` may be null (no `override by`: anyone but the sender may override a soft denial).
     */
    record DenyGuard(Name intent, Expr where, Expr unless, String because, OverrideRule override, Span span)
            implements InvariantBody {}

    /** `every sentry.issue.created i where ... has sentry.issue.assigned a where ... within 15m after i because "..."` */
    record StateGuard(Pattern every, Pattern has, String because, Span span) implements InvariantBody {}
}
