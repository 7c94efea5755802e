package charter.server;

import charter.engine.ingest.GithubSignatureVerifier;
import charter.engine.ingest.LinearSignatureVerifier;
import charter.engine.ingest.SentrySignatureVerifier;
import charter.engine.ingest.VercelSignatureVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Webhook deliveries signed the way each source signs them, over whatever bytes they hold (a
 * mutated body is signed as it is, so it gets past the signature and reaches the parser), with a
 * fresh delivery id each, posted to a server over loopback HTTP.
 */
final class SignedDeliveries {
    static final Map<String, byte[]> SECRETS = Map.of(
            "github", "gh-secret".getBytes(StandardCharsets.UTF_8),
            "vercel", "vercel-secret".getBytes(StandardCharsets.UTF_8),
            "linear", "linear-secret".getBytes(StandardCharsets.UTF_8),
            "sentry", "sentry-secret".getBytes(StandardCharsets.UTF_8));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String tenant;

    SignedDeliveries(String base, String tenant) {
        this.base = base;
        this.tenant = tenant;
    }

    /** What the server answered: its status and body text. */
    record Answer(int status, String body) {}

    /**
     * The signing and id headers of one delivery; {@code kind} is the GitHub event or the Sentry
     * resource (ignored for Vercel and Linear, whose bodies say what they are).
     */
    static Map<String, String> headers(String source, String kind, byte[] body) {
        byte[] secret = SECRETS.get(source);
        Map<String, String> h = new LinkedHashMap<>();
        String id = UUID.randomUUID().toString();
        switch (source) {
            case "github" -> {
                h.put("X-GitHub-Event", kind);
                h.put("X-GitHub-Delivery", id);
                h.put("X-Hub-Signature-256", GithubSignatureVerifier.sign(secret, body));
            }
            case "vercel" -> h.put("x-vercel-signature", VercelSignatureVerifier.sign(secret, body));
            case "linear" -> {
                h.put("Linear-Delivery", id);
                h.put("linear-signature", LinearSignatureVerifier.sign(secret, body));
            }
            case "sentry" -> {
                h.put("Sentry-Hook-Resource", kind);
                h.put("Request-ID", id);
                h.put("Sentry-Hook-Signature", SentrySignatureVerifier.sign(secret, body));
            }
            default -> throw new IllegalArgumentException(source);
        }
        return h;
    }

    Answer post(String source, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/webhooks/" + tenant + "/" + source))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    Answer post(String source, String kind, byte[] body) throws Exception {
        return post(source, headers(source, kind, body), body);
    }
}
