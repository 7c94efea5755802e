package charter.facts;

/**
 * The DRL global {@code cond}: every {@code where} condition of a Program is compiled to a
 * closure with a number, and generated DRL calls it inline in patterns, e.g.
 * {@code $d : EventFact(type == "x", cond.test(0, this))}.
 *
 * <p>Implementations must be pure and fast: they run inside the Rete network, possibly
 * several times per fact, and must not throw (a thrown exception aborts the whole
 * {@code fireAllRules}); answer {@code false} instead.
 */
public interface Conditions {
    boolean test(int conditionId, Object a);

    boolean test(int conditionId, Object a, Object b);

    boolean test(int conditionId, Object a, Object b, Object c);

    boolean test(int conditionId, Object[] facts);

    /**
     * Whether the session's clock is not past {@code epochMillis}. A rule with a look-back absence
     * ({@code not … within D before a}) is decided when its combination is complete; this keeps it
     * from firing later, when an event that filled the absence expires and the {@code not} holds again.
     */
    default boolean notLaterThan(long epochMillis) {
        return true;
    }
}
