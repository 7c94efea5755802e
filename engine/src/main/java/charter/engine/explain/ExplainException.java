package charter.engine.explain;

/** The question cannot be answered as asked: an unknown rule, event or intent id, or a mismatched pair. The message says what to give instead. */
public final class ExplainException extends RuntimeException {
    public ExplainException(String message) {
        super(message);
    }
}
