package charter.engine.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The webhook corpus copied into test resources (see corpus/SOURCES.md for origins and licences),
 * and deliveries built from it with the headers each source sends.
 */
final class Corpus {
    private Corpus() {}

    static final Instant RECEIVED = Instant.parse("2026-03-02T10:15:00Z");

    static Path root() {
        try {
            return Path.of(Corpus.class.getClassLoader().getResource("corpus/SOURCES.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every payload file of the four sources. */
    static List<Path> payloads() {
        try (Stream<Path> s = Files.walk(root())) {
            return s.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().equals("github-signature-vectors.json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sourceOf(Path file) {
        return root().relativize(file).getName(0).toString();
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(String relative) {
        return read(root().resolve(relative));
    }

    /** A delivery of a corpus file with the headers its source would send. */
    static RawDelivery delivery(Path file) {
        String source = sourceOf(file);
        String name = file.getFileName().toString();
        byte[] body = read(file);
        Map<String, String> h = new HashMap<>();
        switch (source) {
            case "github" -> {
                h.put("X-GitHub-Event", file.getParent().getFileName().toString());
                h.put("X-GitHub-Delivery", "d-" + name);
            }
            case "vercel" -> {
                if (name.endsWith(".payload-only.json")) {
                    // the corpus holds only the inner payload of this one: wrap it in the envelope Vercel sends
                    String inner = new String(body, StandardCharsets.UTF_8);
                    body = ("{\"id\":\"evt_project_removed\",\"type\":\"project.removed\",\"createdAt\":1698397690000,\"payload\":"
                            + inner + "}").getBytes(StandardCharsets.UTF_8);
                }
            }
            case "linear" -> {
                h.put("Linear-Delivery", "ld-" + name);
                h.put("Linear-Event", name.replaceAll("(Created|Updated|Removed)\\.json$", ""));
            }
            case "sentry" -> {
                h.put("Sentry-Hook-Resource", name.substring(0, name.indexOf('.')));
                h.put("Request-ID", "r-" + file.getParent().getFileName() + "-" + name);
            }
            default -> throw new IllegalArgumentException(source);
        }
        return new RawDelivery(source, h, body, RECEIVED);
    }

    static RawDelivery delivery(String relative) {
        return delivery(root().resolve(relative));
    }

    static RawDelivery github(String event, String body) {
        return new RawDelivery("github", Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", "test-1"),
                body.getBytes(StandardCharsets.UTF_8), RECEIVED);
    }
}
