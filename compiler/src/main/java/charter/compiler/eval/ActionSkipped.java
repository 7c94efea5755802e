package charter.compiler.eval;

/**
 * Thrown while an action's arguments are evaluated, when a value written `x ?? skip` is
 * missing: the action is not planned, and the engine records the skip with this reason.
 * A control signal, not an error: it carries no stack trace.
 */
public final class ActionSkipped extends RuntimeException {
    private final String reason;

    public ActionSkipped(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    /** What was missing, e.g. "`d.url` is missing (argument `text`)". */
    public String reason() {
        return reason;
    }
}
