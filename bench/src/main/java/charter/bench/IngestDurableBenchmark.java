package charter.bench;

import charter.engine.event.CanonicalEvent;
import charter.engine.ingest.IngestReport;
import charter.engine.ingest.Ingestor;
import charter.engine.ingest.LabeledDelivery;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.RawDelivery;
import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Durable ingest into SQLite: the corpus mix (signed, as {@link IngestBenchmark} builds it) repeated
 * with distinct delivery ids, through {@link Ingestor} (verify + normalise + score + append in
 * batched transactions, WAL, synchronous=FULL), in events/s next to a bare Jackson {@code readTree}
 * of the same bytes as a ratio. Then the graph at scale: 1M distinct entities upserted into the
 * store (50 mentions per event), with the store's size on disk and the JVM heap after GC before and
 * after (the graph lives in the store, not in the heap).
 *
 * <p>Usage: {@code IngestDurableBenchmark [CORPUS_DIR] [REPETITIONS] [ENTITIES]} (defaults: the
 * engine's test corpus, 100 repetitions ≈ 37k deliveries (long enough to be past the JIT's warm-up), 1,000,000 entities).
 */
public final class IngestDurableBenchmark {

    private static final byte[] SECRET = "bench-secret".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-03-02T10:15:00Z");
    private static final int BATCH = Ingestor.DEFAULT_BATCH;
    private static final int WARM_UP = 8;

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args.length > 0 ? args[0] : "engine/src/test/resources/corpus");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int entities = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        List<IngestBenchmark.Item> items = IngestBenchmark.load(corpus);
        long bytes = items.stream().mapToLong(i -> i.delivery().body().length).sum();
        System.out.printf("corpus: %d deliveries, %.1f KiB average, from %s; %d repetitions, batches of %d%n",
                items.size(), bytes / 1024.0 / items.size(), corpus, reps, BATCH);
        System.out.println("load before: " + IngestBenchmark.loadavg());

        // warm-up, so the timed run is the steady state and not the JIT compiling it (on 2 cores the
        // compiler threads otherwise take a third of the machine during the run): WARM_UP repetitions
        // into a throwaway store, and the bare parse
        ObjectMapper bare = new ObjectMapper();
        Path warm = Files.createTempDirectory("charter-bench-warm");
        try (EventStore store = EventStores.open(warm.toString())) {
            Ingestor ingestor = ingestor(store);
            for (int r = 0; r < WARM_UP; r++) ingestor.ingest("warm", repetition(items, -1 - r));
        }
        delete(warm);
        bareParse(items, bare, 3);

        Path dir = Files.createTempDirectory("charter-bench-durable");
        double durable;
        long accepted = 0;
        long[] appendNanos = new long[1];
        try (EventStore real = EventStores.open(dir.toString()); EventStore store = timed(real, appendNanos)) {
            Ingestor ingestor = ingestor(store);
            // the repetitions are made before the clock starts: renaming and re-signing is not ingest work
            List<List<LabeledDelivery>> input = new ArrayList<>(reps);
            for (int r = 0; r < reps; r++) input.add(repetition(items, r));
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                IngestReport report = ingestor.ingest("bench", input.get(r));
                if (!report.rejected().isEmpty()) throw new IllegalStateException("rejected: " + report.rejected().getFirst());
                accepted += report.accepted().size();
            }
            long elapsed = System.nanoTime() - start;
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            durable = accepted / (elapsed / 1e9);
            System.out.printf("CPU of the ingesting thread: %.1f µs per event (%,.0f events per CPU-second; the check "
                    + "prepares each delivery for the store on this thread, body deflated and JSON written; the rest of "
                    + "the wall time is waiting: fsync, the store's checkpoint thread, a busy machine)%n", cpu / 1e3 / accepted, accepted / (cpu / 1e9));
            System.out.printf("time in the store's append (SQL, commit): %.0f %%%n", 100.0 * appendNanos[0] / elapsed);
        }
        long file = sizeOf(dir);
        delete(dir);
        double jackson = bareParse(items, bare, reps);
        System.out.printf("durable ingest into SQLite (verify + normalise + score + append, WAL, synchronous=FULL): "
                + "%,d events in %,.0f events/s%n", accepted, durable);
        System.out.printf("bare Jackson readTree of the same bytes:  %,.0f documents/s%n", jackson);
        System.out.printf("ratio durable / bare parse:               %.3f (target: >= 5,000 events/s %s)%n",
                durable / jackson, durable >= 5_000 ? "met" : "NOT met");
        System.out.printf("store size: %,.1f MiB for %,d events (%,.1f KiB per event, raw body kept verbatim)%n",
                file / 1048576.0, accepted, file / 1024.0 / accepted);

        System.out.println("load after the ingest run: " + IngestBenchmark.loadavg());

        graphAtScale(entities);
        System.out.println("load at the end: " + IngestBenchmark.loadavg());
    }

    /** The store, with the time spent in {@code append} added up. */
    static EventStore timed(EventStore store, long[] nanos) {
        return (EventStore) java.lang.reflect.Proxy.newProxyInstance(EventStore.class.getClassLoader(),
                new Class<?>[] {EventStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) return null;   // the real store is closed by its own try
                    long t = System.nanoTime();
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("append")) nanos[0] += System.nanoTime() - t;
                    }
                });
    }

    static Ingestor ingestor(EventStore store) {
        Ingestor.Builder b = Ingestor.builder(store).clock(Clock.fixed(NOW, ZoneOffset.UTC)).batchSize(BATCH);
        for (String source : List.of("github", "vercel", "linear", "sentry")) b.secret(source, SECRET);
        return b.build();
    }

    /** The corpus with every delivery id made unique to repetition {@code r} (headers; Vercel's envelope id, re-signed). */
    static List<LabeledDelivery> repetition(List<IngestBenchmark.Item> items, int r) {
        List<LabeledDelivery> out = new ArrayList<>(items.size());
        String suffix = "-r" + r;
        for (IngestBenchmark.Item it : items) {
            RawDelivery d = it.delivery();
            Map<String, String> h = new HashMap<>(d.headers());
            byte[] body = d.body();
            switch (d.source()) {
                case "github" -> h.put("x-github-delivery", h.get("x-github-delivery") + suffix);
                case "linear" -> h.put("linear-delivery", h.get("linear-delivery") + suffix);
                case "sentry" -> h.put("request-id", h.get("request-id") + suffix);
                case "vercel" -> {
                    String text = new String(body, StandardCharsets.UTF_8);
                    text = text.replaceFirst("\"id\"\\s*:\\s*\"([^\"]*)\"", "\"id\": \"$1" + suffix + "\"");
                    body = text.getBytes(StandardCharsets.UTF_8);
                    h.put("x-vercel-signature", charter.engine.ingest.VercelSignatureVerifier.sign(SECRET, body));
                }
                default -> throw new IllegalStateException(d.source());
            }
            out.add(new LabeledDelivery(d.source() + suffix, new RawDelivery(d.source(), h, body, d.receivedAt())));
        }
        return out;
    }

    static double bareParse(List<IngestBenchmark.Item> items, ObjectMapper bare, int reps) throws IOException {
        long sink = 0;
        long start = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            for (IngestBenchmark.Item it : items) sink += bare.readTree(it.delivery().body()).size();
        }
        double rate = (double) reps * items.size() / ((System.nanoTime() - start) / 1e9);
        if (sink == 42) System.out.print("");
        return rate;
    }

    /** Upserts {@code n} distinct commit entities, 50 per event, and prints time, store size and heap. */
    static void graphAtScale(int n) throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Path dir = Files.createTempDirectory("charter-bench-graph");
        int perEvent = Normalised.MAX_ENTITIES;
        long heapBefore = heapAfterGc(memory);
        long start = System.nanoTime();
        try (EventStore store = EventStores.open(dir.toString())) {
            List<EventStore.Ingested> batch = new ArrayList<>(BATCH);
            int events = (n + perEvent - 1) / perEvent;
            for (int e = 0; e < events; e++) {
                List<Normalised.Mention> mentions = new ArrayList<>(perEvent);
                for (int m = 0; m < perEvent && (long) e * perEvent + m < n; m++) {
                    mentions.add(new Normalised.Mention("commit", String.format("%040x", (long) e * perEvent + m), Map.of()));
                }
                String id = "graph-" + e;
                CanonicalEvent event = new CanonicalEvent("github:" + id, "github", "github.push", NOW.plusSeconds(e),
                        Map.of(), List.of(), 20);
                byte[] body = ("{\"n\":" + e + "}").getBytes(StandardCharsets.UTF_8);
                batch.add(new EventStore.Ingested(new RawDelivery("github", Map.of("X-GitHub-Delivery", id), body, NOW),
                        new Normalised(id, event, mentions, List.of(), List.of())));
                if (batch.size() == BATCH) {
                    store.append("graph", batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) store.append("graph", batch);
            long heapWith = heapAfterGc(memory);
            double seconds = (System.nanoTime() - start) / 1e9;
            String probe = String.format("%040x", n / 2);
            long t = System.nanoTime();
            boolean found = store.entity("graph", "commit", probe).isPresent();
            double lookupMs = (System.nanoTime() - t) / 1e6;
            System.out.printf("graph: %,d entities upserted (%d per event, %,d events) in %.1f s (%,.0f entities/s)%n",
                    n, perEvent, events, seconds, n / seconds);
            System.out.printf("graph memory: store on disk %,.1f MiB (%,.0f bytes per entity, charter.db + WAL); "
                    + "JVM heap after GC %,.1f MiB before, %,.1f MiB with the store open (delta %+,.1f MiB)%n",
                    sizeOf(dir) / 1048576.0, (double) sizeOf(dir) / n, heapBefore / 1048576.0, heapWith / 1048576.0,
                    (heapWith - heapBefore) / 1048576.0);
            System.out.printf("lookup of one entity among them: %s in %.2f ms%n", found ? "found" : "NOT found", lookupMs);
        }
        delete(dir);
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
