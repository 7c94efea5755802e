package charter.connect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exact request a connector sends for an action, with every secret replaced by {@code <redacted>}: what a
 * dry run shows and what an attempt's trail records.
 *
 * @param method an HTTP method, or {@code SMTP} for email
 * @param target the URL, or {@code smtp://host:port} for email
 * @param body   the body as sent (JSON, GraphQL or the message), or empty
 */
public record WireRequest(String method, String target, Map<String, String> headers, String body) {
    public WireRequest {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}
