package charter.connect.tools;

/**
 * The action's arguments or the tenant's endpoint cannot make a request (a repo not written owner/name, a
 * missing credential, a URL the tenant does not allow). Sending fails with this message; no retry will help.
 */
public final class InvalidAction extends IllegalArgumentException {
    public InvalidAction(String message) {
        super(message);
    }
}
