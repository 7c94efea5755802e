package charter.facts;

/**
 * The DRL global {@code out}: rule consequences only report to it; the engine turns the
 * reports into planned actions, denials and violations. Called on the thread that calls
 * {@code fireAllRules}, with the session clock at the firing time.
 */
public interface Outputs {
    /** Rule {@code ruleIndex} fired on {@code facts}, in pattern order. */
    void ruleFired(int ruleIndex, Object[] facts);

    /** Invariant {@code invariantIndex} denies {@code intent}; {@code facts} prove it. */
    void denied(int invariantIndex, IntentFact intent, Object[] facts);

    /** State invariant {@code invariantIndex} is violated by {@code facts}. */
    void violated(int invariantIndex, Object[] facts);

    /** Allowed intent {@code intent}, declared as intent number {@code intentIndex}, resolves. */
    void resolved(int intentIndex, IntentFact intent);
}
