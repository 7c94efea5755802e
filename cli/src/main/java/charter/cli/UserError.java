package charter.cli;

/**
 * The user's input is wrong in a way that leaves nothing to report but one line:
 * a missing folder, an unreadable file, a bad option value. Exit code 1, no trace.
 */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }
}
