package charter.connect.http;

import charter.connect.WireRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request exactly as a connector sends it. Both the attempt ({@link #toHttpRequest}) and the dry run
 * ({@link #toWire}) are made from this one value, so what a dry run shows is what goes on the wire.
 *
 * @param secrets the credential values used in the request; {@link #toWire} replaces each wherever it appears
 */
public record PreparedRequest(String method, URI uri, Map<String, String> headers, String body, List<String> secrets) {

    public static final String REDACTED = "<redacted>";

    public PreparedRequest {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? "" : body;
        secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }

    public HttpRequest toHttpRequest(Duration timeout) {
        HttpRequest.BodyPublisher publisher = body.isEmpty() && !method.equals("POST") && !method.equals("PUT")
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).method(method, publisher);
        headers.forEach(builder::header);
        return builder.build();
    }

    /** The request with every secret replaced: safe for a dry run, the trail and the logs. */
    public WireRequest toWire() {
        Map<String, String> shown = new LinkedHashMap<>();
        headers.forEach((name, value) -> shown.put(name, redact(value)));
        return new WireRequest(method, redact(uri.toString()), shown, redact(body));
    }

    private String redact(String text) {
        String out = text;
        for (String secret : secrets) out = out.replace(secret, REDACTED);
        return out;
    }
}
