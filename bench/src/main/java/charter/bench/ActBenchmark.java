package charter.bench;

import charter.bench.serve.LoadGenerator;
import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorFactory;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.WireRequest;
import charter.engine.ingest.VercelSignatureVerifier;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import charter.engine.store.Outbox;
import charter.server.CharterServer;
import charter.server.ServerConfig;
import charter.server.TokenStore;
import charter.server.act.ActMetrics;
import charter.server.act.ActSettings;
import charter.server.act.AttemptPolicy;
import charter.server.act.ConnectorRegistry;
import charter.server.act.Dispatcher;
import charter.server.act.ToolSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench/run act}: the outbox against a stand-in tool on loopback that answers each request in
 * {@code --tool-millis} (default 50 ms). Two figures: (1) actions carried out durably per second —
 * a backlog of {@code --actions} planned actions, each sent over HTTP and its attempt and state
 * committed to the store (SQLite in a fresh folder, or the PostgreSQL database of {@code --store
 * jdbc:postgresql://…}, which should be empty); (2) from webhook acknowledged (202) to the tool's request, p50 and p99, with
 * signed webhooks sent open-loop at {@code --rate} per second for {@code --seconds} through an
 * in-process server whose Program plans one live action for each (after a warm-up round of {@code --warm-up} seconds at the
 * same rate whose actions are all carried out first), beside the webhooks' own
 * acknowledgement latency.
 */
public final class ActBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "act-bench-secret";

    private ActBenchmark() {}

    /**
     * The stand-in tool: answers after a fixed delay and notes when each action id first arrived.
     * It stands for a service on another machine, yet shares the two cores with the server here, so
     * it holds no thread while it waits: a timer answers (a JDK HttpServer with a virtual thread
     * asleep per request took a tenth of the run's CPU).
     */
    static final class StandIn implements AutoCloseable {
        final Server server = new Server();
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("stand-in-timer").unstarted(r));
        final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
        private final ServerConnector connector = new ServerConnector(server);

        StandIn(long millis) throws Exception {
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            connector.setAcceptQueueSize(1024);
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    String key = request.getHeaders().get("Idempotency-Key");
                    firstSeenNanos.putIfAbsent(key, System.nanoTime());
                    timer.schedule(() -> {
                        response.setStatus(201);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                        Content.Sink.write(response, true, "{\"id\":\"" + key + "\"}", callback);
                    }, millis, TimeUnit.MILLISECONDS);
                    return true;
                }
            });
            server.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + connector.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            server.stop();
            timer.shutdownNow();
        }
    }

    /** A connector in the shape of http.post: one POST with the action id as its Idempotency-Key. */
    static ConnectorFactory standInConnectors() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        return new ConnectorFactory() {
            @Override
            public Set<String> tools() {
                return Set.of("slack.post");
            }

            @Override
            public Optional<Connector> create(String tool, ToolEndpoint endpoint) {
                return Optional.of(new Connector() {
                    @Override
                    public String tool() {
                        return tool;
                    }

                    @Override
                    public Guarantee guarantee() {
                        return Guarantee.EXACTLY_ONCE;
                    }

                    @Override
                    public WireRequest render(ActionRequest r) {
                        return new WireRequest("POST", endpoint.baseUrl() + "/", Map.of("Idempotency-Key", r.actionId()), r.args().toString());
                    }

                    @Override
                    public AttemptOutcome send(ActionRequest r) throws InterruptedException {
                        try {
                            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/"))
                                    .timeout(Duration.ofSeconds(10)).header("Idempotency-Key", r.actionId())
                                    .POST(HttpRequest.BodyPublishers.ofString(r.args().toString())).build(), HttpResponse.BodyHandlers.ofString());
                            return resp.statusCode() < 300 ? new AttemptOutcome.Done(resp.statusCode(), r.actionId(), null, false)
                                    : new AttemptOutcome.Retry(resp.statusCode(), "status", null);
                        } catch (IOException e) {
                            return new AttemptOutcome.Unknown(0, e.toString());
                        }
                    }
                });
            }
        };
    }

    public static void main(String[] args) throws Exception {
        int actions = 5_000;
        int rate = 500;
        int seconds = 10;
        int warmUpSeconds = 5;
        long toolMillis = 50;
        String only = "";
        String store = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {   // a check that it runs and prints, not a measurement (later options still apply)
                    actions = 1_000;
                    rate = 100;
                    seconds = 3;
                    warmUpSeconds = 1;
                }
                case "--actions" -> actions = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUpSeconds = Integer.parseInt(args[++i]);
                case "--tool-millis" -> toolMillis = Long.parseLong(args[++i]);
                case "--only" -> only = args[++i];
                case "--store" -> store = args[++i];
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.out.printf("act benchmark on %d cores, load %.1f, store %s; stand-in tool answers in %d ms%n",
                Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                storeName(store), toolMillis);
        // Latency first: after the throughput round, its backlog's garbage and idle clients in this JVM
        // doubled the latency figures (each round alone: --only).
        if (!only.equals("throughput")) latency(rate, seconds, warmUpSeconds, toolMillis, store);
        if (!only.equals("latency")) throughput(actions, toolMillis, store);
        // The MCP SDK's session sweeper runs on a scheduler thread that is not a daemon and that
        // closing the server does not end: without this the JVM would wait for it for ever.
        System.exit(0);
    }

    /** A backlog of planned actions carried out: each sent, its attempt and state committed. */
    static void throughput(int n, long toolMillis, String storeUrl) throws Exception {
        Path dir = Files.createTempDirectory("charter-act-bench-");
        String data = storeUrl == null ? dir.resolve("data").toString() : storeUrl;
        try (StandIn tool = new StandIn(toolMillis); EventStore store = EventStores.open(data)) {
            List<TimelineEntry> planned = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "act_bench_" + i;
                ids.add(id);
                planned.add(new TimelineEntry.PlannedAction(Instant.now(), id, "slack.post", Map.of("channel", "#b", "text", "n" + i), 0,
                        new Provenance(Provenance.Kind.RULE, "bench", null, List.of("e" + i), null, "v")));
            }
            store.outcomes().record("bench", null, 0, planned, a -> new Outbox.Placement(Outbox.State.PLANNED, List.of()));
            ConnectorRegistry registry = new ConnectorRegistry(List.of(standInConnectors()),
                    Map.of("bench", Map.of("slack.post", new ToolSettings(tool.base(), Map.of(), Map.of(), 256, 1_000_000))));
            long t0 = System.nanoTime();
            try (Dispatcher d = new Dispatcher(store.outbox(), registry, new ActSettings(AttemptPolicy.DEFAULT, Duration.ofSeconds(60),
                    Duration.ofMillis(20), true), new ActMetrics(new SimpleMeterRegistry()))) {
                while (store.outbox().counts("bench").getOrDefault(Outbox.State.DONE, 0L) < n) Thread.sleep(20);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("durable throughput: %,d actions carried out in %.2f s = %,.0f actions/s (%s; each attempt and state committed)%n",
                    n, secs, n / secs, storeName(storeUrl));
        } finally {
            deleteTree(dir);
        }
    }

    /** The sum of a counter's series that have this label (such as {@code how="record"}), from the server's /metrics text. */
    static double count(String metrics, String series, String label) {
        return metrics.lines().filter(l -> l.startsWith(series) && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The store's kind, for the printed figures. */
    static String storeName(String storeUrl) {
        return storeUrl == null ? "SQLite" : "PostgreSQL";
    }

    /** Webhooks at a fixed rate through a server; from each 202 to the tool's request for its action. */
    static void latency(int rate, int seconds, int warmUpSeconds, long toolMillis, String storeUrl) throws Exception {
        Path dir = Files.createTempDirectory("charter-act-bench-");
        try (StandIn tool = new StandIn(toolMillis)) {
            Path program = dir.resolve("program");
            Files.createDirectories(program);
            Path acme = Path.of("program-examples/acme");
            try (Stream<Path> walk = Files.walk(acme)) {
                for (Path p : walk.toList()) {
                    Path target = program.resolve(acme.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(target);
                    else Files.copy(p, target);
                }
            }
            Files.writeString(program.resolve("charter.yaml"), "name: acme\nmain: main.charter\nconnectors:\n  slack.post: live\n");
            Path tokens = dir.resolve("tokens.jsonl");
            String read = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ));
            ServerConfig config = new ServerConfig(0, storeUrl == null ? dir.resolve("data").toString() : storeUrl, tokens, 1 << 20,
                    Map.of("acme", new ServerConfig.TenantConfig("acme", program, null, null, null,
                            Map.of("vercel", SECRET.getBytes(StandardCharsets.UTF_8)))
                            .withConnectors(Map.of("slack.post", new ToolSettings(tool.base(), Map.of(), Map.of(), 256, 1_000_000)))))
                    .withActions(new ActSettings(AttemptPolicy.DEFAULT, Duration.ofSeconds(60), Duration.ofMillis(50), true))
                    .withHttp(new ServerConfig.HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), 1024));
            String template = Files.readString(Path.of("engine/src/test/resources/corpus/vercel/DeploymentError.json"));
            try (CharterServer server = CharterServer.start(config, List.of(standInConnectors()))) {
                String base = "http://127.0.0.1:" + server.port();
                HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
                Round warmUp = new Round(server.port(), template, tool, rate, warmUpSeconds, "act-warm-");
                warmUp.send();
                warmUp.awaitActions();
                Round measured = new Round(server.port(), template, tool, rate, seconds, "act-bench-");
                measured.send();
                measured.awaitActions();
                // action id -> event id, from the trail
                List<Long> toTool = new ArrayList<>();
                List<Long> toRecord = new ArrayList<>();
                List<Long> recordToTool = new ArrayList<>();
                // nanoTime -> wall clock, for the outbox's recorded time (microseconds since the epoch)
                long wallMinusNanoMicros = System.currentTimeMillis() * 1_000 - System.nanoTime() / 1_000;
                String next = "/v1/actions?rule=preview_deploy_failed&limit=500";
                while (next != null) {
                    JsonNode page = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + next)).header("Authorization", "Bearer " + read).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    for (JsonNode a : page.get("actions")) {
                        Long acked = measured.ackNanos.get(a.get("provenance").get("eventIds").get(0).asText());
                        Long seen = tool.firstSeenNanos.get(a.get("id").asText());
                        if (acked != null && seen != null) {
                            toTool.add(seen - acked);
                            if (a.has("recorded")) {
                                Instant recorded = Instant.parse(a.get("recorded").asText());
                                long recordedNanos = (recorded.getEpochSecond() * 1_000_000 + recorded.getNano() / 1_000 - wallMinusNanoMicros) * 1_000;
                                toRecord.add(recordedNanos - acked);
                                recordToTool.add(seen - recordedNanos);
                            }
                        }
                    }
                    next = page.get("next").isNull() ? null : page.get("next").asText();
                }
                long[] act = toTool.stream().mapToLong(Long::longValue).sorted().toArray();
                LoadGenerator.RunStats st = measured.stats;
                System.out.printf("warm-up: %,d webhooks at %d/s, their actions carried out, before the measured round%n", warmUp.total, rate);
                System.out.printf("webhooks: %,d sent at %d/s over %d connections, %,d acknowledged; ack latency from the intended send time "
                                + "p50 %.1f ms, p99 %.1f ms (the webhook-only figure: `bench/run serve`, open loop at 500/s)%n",
                        measured.total, rate, Round.CONNECTIONS, measured.ackNanos.size(), st.latency().p50(), st.latency().p99());
                System.out.printf("webhook acknowledged -> tool request: %,d actions, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        act.length, pct(act, 50), pct(act, 99), act.length == 0 ? 0 : act[act.length - 1] / 1e6);
                long[] rec = toRecord.stream().mapToLong(Long::longValue).sorted().toArray();
                long[] send = recordToTool.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("  of which acknowledged -> recorded in the outbox p50 %.1f ms, p99 %.1f ms; recorded -> tool request p50 %.1f ms, p99 %.1f ms%n",
                        pct(rec, 50), pct(rec, 99), pct(send, 50), pct(send, 99));
                String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer " + read).build(), HttpResponse.BodyHandlers.ofString()).body();
                System.out.printf("  actions taken in the transaction that recorded them: %.0f; by the dispatcher's claim: %.0f; attempts retried: %.0f (both rounds)%n",
                        count(metrics, "charter_actions_taken_total{", "how=\"record\""), count(metrics, "charter_actions_taken_total{", "how=\"claim\""),
                        count(metrics, "charter_actions_total{", "result=\"retried\""));
            }
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Signed failed-preview webhooks sent open-loop at a rate by the load generator of {@code bench/run serve}
     * (keep-alive sockets, bodies signed before the clock starts); when each was acknowledged, by event id.
     */
    static final class Round {
        static final int CONNECTIONS = 32;
        final LoadGenerator generator;
        final StandIn tool;
        final int rate;
        final int total;
        final List<LoadGenerator.Request> requests = new ArrayList<>();
        final Map<String, Long> ackNanos = new ConcurrentHashMap<>();   // event id -> when acknowledged
        LoadGenerator.RunStats stats;
        int seenBefore;

        Round(int port, String template, StandIn tool, int rate, int seconds, String prefix) {
            this.generator = new LoadGenerator(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null, Duration.ofSeconds(30));
            this.tool = tool;
            this.rate = rate;
            this.total = rate * seconds;
            for (int i = 0; i < total; i++) {
                String id = prefix + i;
                byte[] body = template.replace("\"id\": \"ZqayS9s1AVuTRjB83vVSA2me\"", "\"id\": \"" + id + "\"")
                        .replace("dpl_12yAAMp54JKe1XxonMYqW4oWtK5K", "dpl_" + id).getBytes(StandardCharsets.UTF_8);
                requests.add(new LoadGenerator.Request("/webhooks/acme/vercel", Map.of("Content-Type", "application/json",
                        VercelSignatureVerifier.HEADER, VercelSignatureVerifier.sign(SECRET.getBytes(StandardCharsets.UTF_8), body)), body, id));
            }
        }

        void send() throws InterruptedException {
            seenBefore = tool.firstSeenNanos.size();
            stats = generator.openLoop("act", CONNECTIONS, rate, total, Duration.ofMinutes(2), requests::get, status -> status == 202,
                    (status, body) -> {
                        long acked = System.nanoTime();
                        if (status == 202) ackNanos.put(eventId(body), acked);
                        return null;
                    }).stats();
        }

        /** The {@code eventId} of a 202's body, without a JSON parser on the generator's hot path. */
        static String eventId(byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8);
            int key = text.indexOf("\"eventId\"");
            int open = text.indexOf('"', text.indexOf(':', key) + 1);
            return text.substring(open + 1, text.indexOf('"', open + 1));
        }

        /** Until the tool has seen an action for every webhook of this round acknowledged (at most three minutes). */
        void awaitActions() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline && tool.firstSeenNanos.size() < seenBefore + ackNanos.size()) Thread.sleep(50);
        }
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
