package charter.bench;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.Normalised.Mention;
import charter.engine.ingest.Normalised.Relation;
import charter.engine.ingest.RawDelivery;
import charter.engine.store.EventStore;
import charter.engine.store.EventStore.Ingested;
import charter.engine.store.EventStores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Durable ingest throughput of the store: the corpus payloads (raw bodies, kept verbatim)
 * with a typical normalised shape (5 entities, 10 claims, 4 relations per event) appended
 * in batches, each batch one committed transaction, printed next to a bare Jackson parse
 * of the same bodies. The normalisers are not part of this figure: their output is built
 * before the clock starts.
 *
 * <pre>java -cp … charter.bench.StoreBenchmark [--corpus DIR] [--events N] [--batch B] [--postgres JDBC_URL]</pre>
 */
public final class StoreBenchmark {

    private record Payload(String source, String type, byte[] body) {}

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of("../shared/corpus");
        int events = 50_000;
        int batch = 500;
        String postgres = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus" -> corpus = Path.of(args[++i]);
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--postgres" -> postgres = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Payload> payloads = load(corpus);
        long bytes = payloads.stream().mapToLong(p -> p.body().length).sum();
        System.out.printf("store benchmark: %,d events in batches of %d; bodies: %s (%d payloads, mean %.1f KB)%n",
                events, batch, Files.isDirectory(corpus) ? corpus.toString() : "synthetic", payloads.size(),
                bytes / 1024.0 / payloads.size());

        List<Ingested> warm = build(payloads, 5_000, "warm-");
        List<Ingested> all = build(payloads, events, "d-");

        jacksonRate(warm);
        double jackson = jacksonRate(all);
        System.out.printf("  bare Jackson parse (readTree) of the same bodies : %,10.0f events/s%n", jackson);

        Path dir = Files.createTempDirectory("charter-store-bench");
        try {
            try (EventStore store = EventStores.open(dir.resolve("warm").toString())) {
                append(store, warm, batch);
            }
            double sqlite;
            try (EventStore store = EventStores.open(dir.resolve("data").toString())) {
                sqlite = append(store, all, batch);
            }
            long size = Files.size(dir.resolve("data").resolve("charter.db"));
            System.out.printf("  durable append, SQLite (WAL, synchronous=FULL) : %,10.0f events/s  = %.3f x Jackson parse"
                    + "  (target >= 5,000/s; file %,d MB)%n", sqlite, sqlite / jackson, size >> 20);
        } finally {
            deleteRecursively(dir);
        }
        if (postgres != null) {
            try (EventStore store = EventStores.open(postgres)) {
                store.deleteTenant("bench");
                append(store, warm, batch);
                store.deleteTenant("bench");
                double pg = append(store, all, batch);
                System.out.printf("  durable append, PostgreSQL                     : %,10.0f events/s  = %.3f x Jackson parse%n",
                        pg, pg / jackson);
                store.deleteTenant("bench");
            }
        }
    }

    private static double append(EventStore store, List<Ingested> all, int batch) {
        long start = System.nanoTime();
        int added = 0;
        for (int i = 0; i < all.size(); i += batch) {
            added += store.append("bench", all.subList(i, Math.min(all.size(), i + batch))).size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (added != all.size()) throw new IllegalStateException("appended " + added + " of " + all.size());
        return all.size() / seconds;
    }

    private static double jacksonRate(List<Ingested> all) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        long start = System.nanoTime();
        long fields = 0;
        for (Ingested in : all) {
            JsonNode n = mapper.readTree(in.raw().body());
            fields += n.size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (fields < 0) System.out.println(fields);
        return all.size() / seconds;
    }

    /** N deliveries cycling through the payloads, each with a typical normalised shape. */
    private static List<Ingested> build(List<Payload> payloads, int n, String prefix) {
        List<Ingested> out = new ArrayList<>(n);
        Instant t0 = Instant.parse("2026-03-02T08:00:00Z");
        for (int i = 0; i < n; i++) {
            Payload p = payloads.get(i % payloads.size());
            String id = prefix + i;
            Instant time = t0.plusMillis(1_000L * i);
            String repo = "acme/repo-" + (i % 20);
            String sha = String.format("%040x", (long) i * 2_654_435_761L);
            String person = "person-" + (i % 50);
            String branch = repo + ":branch-" + (i % 200);
            String pr = repo + "#" + (i % 2_000);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("repo", repo);
            data.put("sha", sha);
            data.put("sender", person);
            data.put("branch", branch);
            data.put("action", "opened");
            data.put("additions", (double) (i % 500));
            data.put("draft", i % 7 == 0);
            List<Mention> mentions = List.of(
                    new Mention("repository", repo, Map.of("default_branch", "main")),
                    new Mention("commit", sha, Map.of("message", "change " + i, "author", person)),
                    new Mention("person", person, Map.of("login", person)),
                    new Mention("branch", branch, Map.of("head", sha)),
                    new Mention("pull_request", pr, Map.of("state", i % 3 == 0 ? "closed" : "open", "title",
                            "PR " + (i % 2_000), "head_sha", sha, "author", person)));
            List<Relation> relations = List.of(
                    new Relation("commit", sha, "part_of", "repository", repo),
                    new Relation("commit", sha, "authored_by", "person", person),
                    new Relation("branch", branch, "part_of", "repository", repo),
                    new Relation("pull_request", pr, "belongs_to", "repository", repo));
            List<EntityRef> refs = List.of(new EntityRef("repository", repo), new EntityRef("commit", sha));
            CanonicalEvent event = new CanonicalEvent(p.source() + ":" + id, p.source(), p.type(), time, data, refs, 50);
            RawDelivery raw = new RawDelivery(p.source(), Map.of("content-type", "application/json",
                    "x-delivery", id, "user-agent", "bench"), p.body(), time);
            out.add(new Ingested(raw, new Normalised(id, event, mentions, relations, List.of())));
        }
        return out;
    }

    private static List<Payload> load(Path corpus) throws IOException {
        List<Payload> out = new ArrayList<>();
        if (Files.isDirectory(corpus)) {
            try (Stream<Path> files = Files.walk(corpus)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    Path rel = corpus.relativize(f);
                    if (rel.getNameCount() < 2) continue;   // the schema and signature vectors at the top
                    String name = f.getFileName().toString();
                    out.add(new Payload(rel.getName(0).toString(), name.substring(0, name.indexOf('.')),
                            Files.readAllBytes(f)));
                }
            }
        }
        if (out.isEmpty()) {
            for (int i = 0; i < 100; i++) {
                String body = "{\"action\":\"opened\",\"number\":" + i + ",\"repository\":{\"full_name\":\"acme/api\"},"
                        + "\"sender\":{\"login\":\"alice\"},\"text\":\"" + "x".repeat(4_000) + "\"}";
                out.add(new Payload("github", "pull_request", body.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
