package charter.bench.serve;

import charter.engine.ingest.GithubSignatureVerifier;
import charter.engine.ingest.LinearSignatureVerifier;
import charter.engine.ingest.SentrySignatureVerifier;
import charter.engine.ingest.VercelSignatureVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Signed webhook deliveries built from the real corpus payloads (GitHub, Vercel, Linear, Sentry),
 * each with a delivery id of its own, so every request is a new delivery for the server.
 *
 * <p>Where the delivery id travels in a header (GitHub {@code X-GitHub-Delivery}, Linear
 * {@code Linear-Delivery}, Sentry {@code Request-ID}) the body and its signature are the same on
 * every request and are signed once. Vercel's id is the envelope's {@code id} in the body, so each
 * Vercel request is its own body, signed (HMAC-SHA1). Linear's {@code webhookTimestamp} must be
 * within 60 s of the server's clock, so each Linear request gets a fresh one and is signed when it
 * is prepared, just before it is sent.
 */
public final class WebhookMix {
    /** One request, ready to send; {@code deliveryId} is what the server will log it under. */
    public record Delivery(String source, String path, Map<String, String> headers, byte[] body, String deliveryId) {}

    /**
     * A corpus payload: the body split around its variable part (Vercel: the envelope id's value;
     * Linear: the timestamp's value), or with an empty suffix when nothing varies.
     */
    private record Item(String source, String name, String event, byte[] prefix, String fixed, byte[] suffix, String signature) {}

    private static final Pattern LINEAR_TS = Pattern.compile("\"webhookTimestamp\"\\s*:\\s*(\"[^\"]*\"|\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Item> items;
    private final String tenant;
    private final Map<String, byte[]> secrets;

    private WebhookMix(List<Item> items, String tenant, Map<String, byte[]> secrets) {
        this.items = items;
        this.tenant = tenant;
        this.secrets = secrets;
    }

    /**
     * Loads every payload of the corpus (Vercel's payload-only file is not a delivery and is left
     * out), in a fixed shuffled order so that sources interleave.
     */
    public static WebhookMix load(Path corpus, String tenant, Map<String, byte[]> secrets) throws IOException {
        List<Item> items = new ArrayList<>();
        for (String source : List.of("github", "vercel", "linear", "sentry")) {
            Path dir = corpus.resolve(source);
            if (!Files.isDirectory(dir)) throw new IOException("no " + source + " payloads in " + corpus);
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            byte[] secret = secrets.get(source);
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.contains("payload-only")) continue;
                byte[] body = Files.readAllBytes(f);
                items.add(item(source, corpus.relativize(f).toString(), f, body, secret));
            }
        }
        Collections.shuffle(items, new Random(5));
        return new WebhookMix(items, tenant, secrets);
    }

    private static Item item(String source, String name, Path file, byte[] body, byte[] secret) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (source) {
            case "github" -> new Item(source, name, file.getParent().getFileName().toString(), body, null, new byte[0],
                    GithubSignatureVerifier.sign(secret, body));
            case "sentry" -> new Item(source, name, file.getFileName().toString().split("\\.")[0], body, null, new byte[0],
                    SentrySignatureVerifier.sign(secret, body));
            case "vercel" -> {
                JsonNode id = JSON.readTree(body).get("id");
                if (id == null || !id.isTextual()) throw new IOException(file + ": a Vercel envelope without an `id`");
                // The envelope's id is its first key: the first occurrence of that value is the one to vary.
                String quoted = "\"" + id.asText() + "\"";
                int at = text.indexOf(quoted);
                yield new Item(source, name, null, bytes(text.substring(0, at + 1)), id.asText(),
                        bytes(text.substring(at + quoted.length() - 1)), null);
            }
            case "linear" -> {
                Matcher m = LINEAR_TS.matcher(text);
                if (!m.find()) throw new IOException(file + ": a Linear payload without `webhookTimestamp`");
                yield new Item(source, name, null, bytes(text.substring(0, m.start(1))), null, bytes(text.substring(m.end(1))), null);
            }
            default -> throw new IllegalArgumentException(source);
        };
    }

    public int size() {
        return items.size();
    }

    /** How many payloads of each source the mix holds (one pass over the mix). */
    public Map<String, Integer> sources() {
        Map<String, Integer> n = new TreeMap<>();
        for (Item it : items) n.merge(it.source(), 1, Integer::sum);
        return n;
    }

    /** Request {@code i} of run {@code run}: payload {@code i mod size}, delivery id {@code load-<run>-<i>}. */
    public Delivery delivery(String run, int i) {
        Item it = items.get(i % items.size());
        String id = "load-" + run + "-" + i;
        String path = "/webhooks/" + tenant + "/" + it.source();
        return switch (it.source()) {
            case "github" -> new Delivery(it.source(), path, Map.of("Content-Type", "application/json",
                    "X-GitHub-Event", it.event(), "X-GitHub-Delivery", id, "X-Hub-Signature-256", it.signature()), it.prefix(), id);
            case "sentry" -> new Delivery(it.source(), path, Map.of("Content-Type", "application/json",
                    "Sentry-Hook-Resource", it.event(), "Request-ID", id, "Sentry-Hook-Signature", it.signature(),
                    "Sentry-Hook-Timestamp", Long.toString(System.currentTimeMillis() / 1000)), it.prefix(), id);
            case "vercel" -> {
                String envelopeId = it.fixed() + "-" + id;
                byte[] body = join(it.prefix(), envelopeId, it.suffix());
                yield new Delivery(it.source(), path, Map.of("Content-Type", "application/json",
                        "x-vercel-signature", VercelSignatureVerifier.sign(secrets.get("vercel"), body)), body, envelopeId);
            }
            case "linear" -> {
                byte[] body = join(it.prefix(), Long.toString(System.currentTimeMillis()), it.suffix());
                yield new Delivery(it.source(), path, Map.of("Content-Type", "application/json", "Linear-Delivery", id,
                        "Linear-Event", "webhook", "linear-signature", LinearSignatureVerifier.sign(secrets.get("linear"), body)), body, id);
            }
            default -> throw new IllegalStateException(it.source());
        };
    }

    private static byte[] join(byte[] prefix, String middle, byte[] suffix) {
        byte[] m = bytes(middle);
        byte[] out = new byte[prefix.length + m.length + suffix.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(m, 0, out, prefix.length, m.length);
        System.arraycopy(suffix, 0, out, prefix.length + m.length, suffix.length);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
