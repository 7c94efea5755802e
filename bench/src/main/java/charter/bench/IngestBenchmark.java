package charter.bench;

import charter.engine.ingest.DeliveryException;
import charter.engine.ingest.GithubSignatureVerifier;
import charter.engine.ingest.LinearSignatureVerifier;
import charter.engine.ingest.Normaliser;
import charter.engine.ingest.Normalisers;
import charter.engine.ingest.RawDelivery;
import charter.engine.ingest.SentrySignatureVerifier;
import charter.engine.ingest.SignatureVerifier;
import charter.engine.ingest.VercelSignatureVerifier;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Ingest throughput on one thread over the webhook corpus mix: signature verification + parse +
 * normalise per delivery, next to a bare Jackson {@code readTree} of the same bytes, as a ratio.
 * Usage: {@code IngestBenchmark [CORPUS_DIR] [SECONDS]}; the corpus defaults to the copy in the
 * engine's test resources.
 */
public final class IngestBenchmark {

    private static final byte[] SECRET = "bench-secret".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-03-02T10:15:00Z");

    record Item(RawDelivery delivery, Normaliser normaliser, SignatureVerifier verifier) {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "engine/src/test/resources/corpus");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        List<Item> items = load(dir);
        long bytes = items.stream().mapToLong(i -> i.delivery().body().length).sum();
        System.out.printf("corpus: %d deliveries, %.1f KiB average, from %s%n", items.size(), bytes / 1024.0 / items.size(), dir);

        ObjectMapper bare = new ObjectMapper();
        // warm up both paths
        run(items, bare, 3.0, true);
        run(items, bare, 2.0, false);
        double jackson1 = run(items, bare, seconds / 2, false);
        double ingest = run(items, bare, seconds, true);
        double jackson2 = run(items, bare, seconds / 2, false);
        double jackson = (jackson1 + jackson2) / 2; // bracket the ingest run: the machine may be shared
        System.out.printf("verify + parse + normalise: %,.0f events/s (one thread)%n", ingest);
        System.out.printf("bare Jackson readTree:      %,.0f documents/s%n", jackson);
        System.out.printf("ratio ingest / bare parse:  %.2f (target: >= 20,000 events/s %s)%n", ingest / jackson,
                ingest >= 20_000 ? "met" : "NOT met");
    }

    private static double run(List<Item> items, ObjectMapper bare, double seconds, boolean ingest) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long n = 0;
        long sink = 0;
        while (System.nanoTime() < deadline) {
            for (Item it : items) {
                if (ingest) {
                    if (!it.verifier().verify(it.delivery(), SECRET, NOW).isValid()) {
                        throw new IllegalStateException("signature rejected: " + it.delivery().headers());
                    }
                    sink += it.normaliser().normalise(it.delivery()).mentions().size();
                } else {
                    sink += bare.readTree(it.delivery().body()).size();
                }
            }
            n += items.size();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (sink == 42) {
            System.out.print("");
        }
        return n / elapsed;
    }

    static List<Item> load(Path dir) throws IOException, DeliveryException {
        List<Item> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith("github-")).sorted().toList();
        }
        for (Path p : files) {
            String source = dir.relativize(p).getName(0).toString();
            String name = p.getFileName().toString();
            byte[] body = Files.readAllBytes(p);
            Map<String, String> h = new HashMap<>();
            switch (source) {
                case "github" -> {
                    h.put("X-GitHub-Event", p.getParent().getFileName().toString());
                    h.put("X-GitHub-Delivery", name);
                    h.put("X-Hub-Signature-256", GithubSignatureVerifier.sign(SECRET, body));
                }
                case "vercel" -> {
                    if (name.endsWith(".payload-only.json")) {
                        body = ("{\"id\":\"evt\",\"type\":\"project.removed\",\"createdAt\":1698397690000,\"payload\":"
                                + new String(body, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
                    }
                    h.put("x-vercel-signature", VercelSignatureVerifier.sign(SECRET, body));
                }
                case "linear" -> {
                    // current Linear sends epoch ms: stamp one within the replay window
                    body = new String(body, StandardCharsets.UTF_8).replaceFirst("\"webhookTimestamp\": \"[^\"]*\"",
                            "\"webhookTimestamp\": " + NOW.minusSeconds(1).toEpochMilli()).getBytes(StandardCharsets.UTF_8);
                    h.put("Linear-Delivery", name);
                    h.put("linear-signature", LinearSignatureVerifier.sign(SECRET, body));
                }
                case "sentry" -> {
                    h.put("Sentry-Hook-Resource", name.substring(0, name.indexOf('.')));
                    h.put("Request-ID", name);
                    h.put("Sentry-Hook-Signature", SentrySignatureVerifier.sign(SECRET, body));
                }
                default -> {
                    continue;
                }
            }
            RawDelivery d = new RawDelivery(source, h, body, NOW);
            Item it = new Item(d, Normalisers.forSource(source), SignatureVerifier.forSource(source));
            it.normaliser().normalise(d); // fail fast on a corpus problem
            out.add(it);
        }
        return out;
    }
}
