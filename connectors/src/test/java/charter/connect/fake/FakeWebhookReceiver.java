package charter.connect.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver of http.post requests that does what docs/act/connectors.md asks of one: it verifies
 * {@code X-Charter-Signature} against the shared secret (401 when wrong) and keeps the first delivery of each
 * {@code Idempotency-Key}, answering repeats as it answered the first without counting them again.
 */
public final class FakeWebhookReceiver extends FakeTool {
    /** One delivery kept. */
    public record Delivery(String idempotencyKey, String path, String body) {}

    private final String secret;
    private final Map<String, Delivery> deliveries = new LinkedHashMap<>();
    private final List<String> refused = new ArrayList<>();

    public FakeWebhookReceiver(int port, String secret) {
        super(port);
        this.secret = secret;
    }

    public FakeWebhookReceiver(String secret) {
        this(0, secret);
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries.values());
    }

    /** Why requests were refused (a bad signature, no key). */
    public synchronized List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    protected Reply handle(Received request) {
        String timestamp = request.header("x-charter-timestamp");
        String signature = request.header("x-charter-signature");
        if (timestamp == null || signature == null || !verify(timestamp, request.body(), signature)) {
            refused.add("bad signature on " + request.path());
            return Reply.json(401, "{\"error\":\"bad signature\"}");
        }
        String key = request.header("idempotency-key");
        if (key == null) {
            refused.add("no Idempotency-Key on " + request.path());
            return Reply.json(400, "{\"error\":\"Idempotency-Key required\"}");
        }
        deliveries.putIfAbsent(key, new Delivery(key, request.path(), request.body()));
        return new Reply(200, Map.of("Location", baseUrl() + "/deliveries/" + key), "{\"received\":true}");
    }

    private boolean verify(String timestamp, String body, String signature) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            return false;
        }
    }
}
