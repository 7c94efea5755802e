package charter.compiler.js;

/**
 * A call of a Program's JavaScript function that failed: it threw, ran over a
 * limit, or returned a value of the wrong type. The message names the function,
 * its Program line and the JavaScript line where it failed, when known; the
 * engine adds the rule and the event.
 */
public final class JsFunctionException extends RuntimeException {
    public JsFunctionException(String message) {
        super(message, null, false, false);
    }
}
