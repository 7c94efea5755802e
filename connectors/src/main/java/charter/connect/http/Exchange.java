package charter.connect.http;

import java.net.http.HttpHeaders;

/** What came of sending one request, before any tool-specific reading of it. */
public sealed interface Exchange {

    /** The tool answered (any status). */
    record Answered(int status, HttpHeaders headers, String body) implements Exchange {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The request cannot be made at all (a header value with a line break, a URI the client refuses). */
    record Unsendable(String reason) implements Exchange {}

    /** Nothing reached the tool (connection refused, connect timeout): trying again cannot duplicate anything. */
    record NotSent(String reason) implements Exchange {}

    /** The request may have been applied: a timeout waiting for the answer, a connection reset after writing. */
    record Lost(String reason) implements Exchange {}
}
