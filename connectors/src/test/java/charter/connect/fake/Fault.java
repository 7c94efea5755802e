package charter.connect.fake;

import java.time.Duration;
import java.util.Map;

/** Something a fake tool does instead of (or after) answering normally, for the next request it receives. */
public sealed interface Fault {

    /** Answer with this status without applying the request (a 429 with Retry-After, a 500, a 503). */
    record Status(int status, Map<String, String> headers, String body) implements Fault {}

    /** Apply the request, then wait this long before answering: past the client's timeout, the outcome is unknown. */
    record Delay(Duration delay) implements Fault {}

    /** Apply the request, then drop the connection without an answer. */
    record ResetAfterApply() implements Fault {}

    static Fault status(int status) {
        return new Status(status, Map.of(), "");
    }

    static Fault tooManyRequests(int retryAfterSeconds) {
        return new Status(429, Map.of("Retry-After", Integer.toString(retryAfterSeconds)), "");
    }

    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    static Fault resetAfterApply() {
        return new ResetAfterApply();
    }
}
