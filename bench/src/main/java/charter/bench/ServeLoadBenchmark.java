package charter.bench;

import charter.bench.serve.EventLogCheck;
import charter.bench.serve.HttpConnection;
import charter.bench.serve.InEngineDecisions;
import charter.bench.serve.IntentMix;
import charter.bench.serve.Latency;
import charter.bench.serve.LoadGenerator;
import charter.bench.serve.Machine;
import charter.bench.serve.ServerProcess;
import charter.bench.serve.WebhookMix;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code bench/run serve}: a load run from this process against a real {@code charter serve} in a
 * child process, over loopback.
 *
 * <ol>
 *   <li>Phase A, durable webhook ingest: signed corpus deliveries (every one a new delivery id),
 *       closed loop at each concurrency, then an open-loop run at a fixed rate whose latency is
 *       measured from the intended send time; then the whole event log is read back through
 *       {@code GET /v1/events} to check that every acknowledged delivery is in it.</li>
 *   <li>Phase B, intents: {@code POST /v1/intents} with the acme Program's intents, dry run and
 *       recorded, closed loop at each concurrency, with the verdicts counted.</li>
 *   <li>The in-engine decision latency (not exposed by the server), measured in this JVM.</li>
 * </ol>
 *
 * <p>Every run is bounded by its request count and by {@code --max-seconds}. The server is stopped
 * at the end, also on failure. One result object, rendered as text or ({@code --format json}) JSON.
 */
public final class ServeLoadBenchmark {
    static final double TARGET_WEBHOOKS_PER_SECOND = 2_000;
    static final double TARGET_WEBHOOK_P99_MS = 20;
    static final double TARGET_DECISION_P99_MS = 5;

    /** The command line. */
    record Options(Path root, Path corpus, Path program, int requests, List<Integer> concurrency, List<Double> rates, Integer openRequests,
                   int openConnections, int warmup, int intents, List<Integer> intentConcurrency, int inEngine, Duration maxTime,
                   boolean json, boolean keep, String serverJavaOptions) {
        static Options parse(String[] args) {
            Path root = Path.of("").toAbsolutePath();
            Path corpus = null;
            Path program = null;
            int requests = 20_000;
            List<Integer> concurrency = List.of(8, 32, 64);
            List<Double> rates = List.of(2_000.0, 500.0);
            String serverJavaOptions = null;
            Integer openRequests = null;
            int openConnections = 64;
            int warmup = 2_000;
            int intents = 5_000;
            List<Integer> intentConcurrency = List.of(8, 32);
            int inEngine = 20_000;
            int maxSeconds = 120;
            boolean json = false;
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                    case "--corpus" -> corpus = Path.of(args[++i]).toAbsolutePath();
                    case "--program" -> program = Path.of(args[++i]).toAbsolutePath();
                    case "--requests" -> requests = Integer.parseInt(args[++i]);
                    case "--concurrency" -> concurrency = ints(args[++i]);
                    case "--rate" -> rates = Arrays.stream(args[++i].split(",")).map(String::trim).map(Double::parseDouble).filter(r -> r > 0).toList();
                    case "--server-java-options" -> serverJavaOptions = args[++i];
                    case "--open-requests" -> openRequests = Integer.parseInt(args[++i]);
                    case "--open-connections" -> openConnections = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--intents" -> intents = Integer.parseInt(args[++i]);
                    case "--intent-concurrency" -> intentConcurrency = ints(args[++i]);
                    case "--in-engine" -> inEngine = Integer.parseInt(args[++i]);
                    case "--max-seconds" -> maxSeconds = Integer.parseInt(args[++i]);
                    case "--format" -> {
                        String f = args[++i];
                        if (!f.equals("text") && !f.equals("json")) throw usage("--format is text or json");
                        json = f.equals("json");
                    }
                    case "--keep" -> keep = true;
                    case "--quick" -> {
                        requests = 2_000;
                        concurrency = List.of(8, 32);
                        openRequests = 1_000;
                        warmup = 500;
                        intents = 1_000;
                        inEngine = 2_000;
                    }
                    default -> throw usage("unknown option " + a);
                }
            }
            if (corpus == null) corpus = root.resolve("engine/src/test/resources/corpus");
            if (program == null) program = root.resolve("program-examples/acme");
            return new Options(root, corpus, program, requests, concurrency, rates, openRequests, openConnections, warmup, intents,
                    intentConcurrency, inEngine, Duration.ofSeconds(maxSeconds), json, keep, serverJavaOptions);
        }

        /** Requests of an open-loop run: ten seconds' worth at its rate unless given. */
        int openRequestsAt(double rate) {
            return openRequests != null ? openRequests : (int) Math.round(rate * 10);
        }

        private static List<Integer> ints(String s) {
            return Arrays.stream(s.split(",")).map(String::trim).map(Integer::parseInt).toList();
        }

        private static IllegalArgumentException usage(String why) {
            return new IllegalArgumentException(why + "\nusage: bench/run serve [--quick] [--requests N] [--concurrency 8,32,64] "
                    + "[--rate 2000,500] [--open-requests N] [--open-connections C] [--warmup N] [--intents N] [--intent-concurrency 8,32] "
                    + "[--in-engine N] [--max-seconds S] [--corpus DIR] [--program DIR] [--format text|json] [--keep] [--server-java-options OPTS]");
        }
    }

    /** Everything one run of the benchmark measured. */
    record Result(String startedAt, String java, int cores, Machine.Load loadAtStart, Machine.Load loadAtEnd, String corpus,
                  Map<String, Integer> corpusMix, double serverStartSeconds, LoadGenerator.RunStats webhookWarmup,
                  List<LoadGenerator.RunStats> webhooks, EventLogCheck.Result eventLog, double engineCatchUpSeconds,
                  List<LoadGenerator.RunStats> intents, InEngineDecisions.Result inEngine, List<String> targets) {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Result r = run(o, System.err);
        if (o.json()) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            render(r, System.out);
        }
        boolean ok = r.webhooks().stream().allMatch(LoadGenerator.RunStats::all2xx) && r.intents().stream().allMatch(LoadGenerator.RunStats::all2xx)
                && r.eventLog().complete();
        if (!ok) System.exit(1);
    }

    static Result run(Options o, PrintStream progress) throws Exception {
        String startedAt = Instant.now().toString();
        Machine.Load loadAtStart = Machine.load();
        progress.printf("serve-load: in-engine decisions (%,d, this JVM, before the server starts)...%n", o.inEngine());
        InEngineDecisions.Result inEngine = InEngineDecisions.measure(o.program(), o.inEngine(), Math.max(200, o.inEngine() / 10));

        Path dir = Files.createTempDirectory("charter-serve-load-");
        progress.println("serve-load: starting ./charter serve (config, store and log in " + dir + ")...");
        try (ServerProcess server = ServerProcess.start(o.root(), o.program(), dir, Duration.ofMinutes(10), o.serverJavaOptions())) {
            progress.printf("serve-load: healthy on %s after %.1f s (pid %d)%n", server.address(), server.startSeconds(), server.handle().pid());
            WebhookMix mix = WebhookMix.load(o.corpus(), ServerProcess.TENANT, server.secrets());
            LoadGenerator gen = new LoadGenerator(server.address(), server.handle(), Duration.ofSeconds(30));
            Set<String> acknowledged = new HashSet<>();
            IntentMix intents = IntentMix.load(o.program().resolve("intents.jsonl"), server.token());

            // Phase A: webhooks. Each run starts once the engine has caught up with the last one, so
            // that it is not also measuring the Program still running on the previous run's events.
            progress.printf("serve-load: webhook warm-up (%,d requests, 8 connections)...%n", o.warmup());
            LoadGenerator.Outcome warm = gen.closedLoop("warmup", 8, o.warmup(), o.maxTime(), i -> webhook(mix, "w", i), s -> s == 202, null);
            acknowledged.addAll(warm.acknowledged());
            List<LoadGenerator.RunStats> webhooks = new ArrayList<>();
            for (int c : o.concurrency()) {
                awaitEngine(server.address(), intents, System.nanoTime(), Duration.ofMinutes(5));
                progress.printf("serve-load: webhooks, closed loop, %d connections, %,d requests...%n", c, o.requests());
                String tag = "c" + c;
                LoadGenerator.Outcome out = gen.closedLoop("closed C=" + c, c, o.requests(), o.maxTime(), i -> webhook(mix, tag, i), s -> s == 202, null);
                acknowledged.addAll(out.acknowledged());
                webhooks.add(out.stats());
                progress.println("  " + brief(out.stats(), "webhooks/s"));
            }
            for (double rate : o.rates()) {
                int count = o.openRequestsAt(rate);
                awaitEngine(server.address(), intents, System.nanoTime(), Duration.ofMinutes(5));
                progress.printf("serve-load: webhooks, open loop at %,.0f/s, %,d requests, up to %d connections...%n",
                        rate, count, o.openConnections());
                String tag = "open" + (int) rate;
                LoadGenerator.Outcome out = gen.openLoop(String.format("open %,.0f/s", rate), o.openConnections(), rate, count,
                        o.maxTime(), i -> webhook(mix, tag, i), s -> s == 202, null);
                acknowledged.addAll(out.acknowledged());
                webhooks.add(out.stats());
                progress.println("  " + brief(out.stats(), "webhooks/s"));
            }
            long phaseAEnd = System.nanoTime();
            // The engine runs the Program on the acknowledged events asynchronously, on the same
            // thread that decides intents: how long until it answers again is how far it lagged.
            progress.println("serve-load: waiting for the engine to catch up with the events...");
            double catchUp = awaitEngine(server.address(), intents, phaseAEnd, Duration.ofMinutes(5));
            progress.println("serve-load: reading the event log back (GET /v1/events)...");
            EventLogCheck.Result log = EventLogCheck.check(server.address(), server.token(), acknowledged, Duration.ofMinutes(5));

            // Phase B: intents.
            LoadGenerator.Classifier verdict = (status, body) -> status == 200 ? IntentMix.verdict(new String(body, java.nio.charset.StandardCharsets.UTF_8)) : null;
            gen.closedLoop("intent warmup", 8, Math.min(1_000, o.intents()), o.maxTime(), i -> intent(intents, "iw", i, true), s -> s == 200, verdict);
            List<LoadGenerator.RunStats> intentRuns = new ArrayList<>();
            for (int c : o.intentConcurrency()) {
                for (boolean dry : List.of(true, false)) {
                    String kind = dry ? "dry run" : "recorded";
                    progress.printf("serve-load: intents (%s), closed loop, %d connections, %,d requests...%n", kind, c, o.intents());
                    String tag = (dry ? "d" : "r") + c;
                    LoadGenerator.Outcome out = gen.closedLoop(kind + " C=" + c, c, o.intents(), o.maxTime(), i -> intent(intents, tag, i, dry), s -> s == 200, verdict);
                    intentRuns.add(out.stats());
                    progress.println("  " + brief(out.stats(), "decisions/s"));
                }
            }
            progress.println("serve-load: stopping the server...");
            return new Result(startedAt, System.getProperty("java.version"), Machine.cores(), loadAtStart, Machine.load(),
                    o.root().relativize(o.corpus()).toString(), mix.sources(), server.startSeconds(), warm.stats(), webhooks, log, catchUp,
                    intentRuns, inEngine, targets(webhooks, log, intentRuns, inEngine));
        } finally {
            if (!o.keep()) delete(dir);
            else progress.println("serve-load: kept " + dir);
        }
    }

    private static LoadGenerator.Request webhook(WebhookMix mix, String run, int i) {
        WebhookMix.Delivery d = mix.delivery(run, i);
        return new LoadGenerator.Request(d.path(), d.headers(), d.body(), d.deliveryId());
    }

    private static LoadGenerator.Request intent(IntentMix mix, String run, int i, boolean dryRun) {
        IntentMix.Intent in = mix.intent(run, i, dryRun);
        return new LoadGenerator.Request(in.path(), in.headers(), in.body(), in.id());
    }

    /**
     * Sends dry-run intents until one is decided within a second (the server gives up waiting for
     * the engine after 10 s with a 503 and the intent stays queued behind the events): the time
     * from the end of phase A is how far the asynchronous Program run lagged behind ingest.
     */
    private static double awaitEngine(InetSocketAddress address, IntentMix intents, long since, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        try (HttpConnection c = new HttpConnection(address, 30_000)) {
            for (int k = 0; System.nanoTime() < deadline; k++) {
                IntentMix.Intent probe = intents.intent("probe" + since, k, true);   // ids of its own for every wait
                long t0 = System.nanoTime();
                HttpConnection.Response r = c.send("POST", probe.path(), probe.headers(), probe.body());
                if (r.status() == 200 && System.nanoTime() - t0 < 1_000_000_000L) return (System.nanoTime() - since) / 1e9;
                if (r.status() != 200 && r.status() != 503) throw new IOException("probe intent: " + r.status() + " " + r.text());
                Thread.sleep(200);
            }
        }
        throw new IOException("the engine did not catch up within " + max.toSeconds() + " s");
    }

    private static List<String> targets(List<LoadGenerator.RunStats> webhooks, EventLogCheck.Result log,
                                        List<LoadGenerator.RunStats> intents, InEngineDecisions.Result inEngine) {
        List<String> out = new ArrayList<>();
        LoadGenerator.RunStats best = webhooks.stream().filter(s -> s.mode().equals("closed"))
                .max(Comparator.comparingDouble(LoadGenerator.RunStats::throughput)).orElse(null);
        if (best != null) {
            out.add(String.format("webhooks/s >= %,.0f: best closed loop %,.0f/s at %d connections (p99 %s, load %s): %s",
                    TARGET_WEBHOOKS_PER_SECOND, best.throughput(), best.connections(), ms(best.latency().p99()), best.loadAfter().text(),
                    best.throughput() >= TARGET_WEBHOOKS_PER_SECOND ? "met" : "NOT met"));
        }
        for (LoadGenerator.RunStats s : webhooks) {
            if (s.mode().equals("closed") && s.throughput() > TARGET_WEBHOOKS_PER_SECOND) {
                // more connections than the target rate needs: how latency grows past it, not a verdict
                out.add(String.format("webhook p99, %s: %s at %,.0f/s (above the target rate; for reference)", s.name(),
                        ms(s.latency().p99()), s.throughput()));
                continue;
            }
            out.add(String.format("webhook p99 <= %.0f ms, %s: %s: %s", TARGET_WEBHOOK_P99_MS, s.name(), ms(s.latency().p99()),
                    s.latency().p99() <= TARGET_WEBHOOK_P99_MS && s.notSent() == 0 ? "met" : "NOT met"));
        }
        out.add(String.format("every acknowledged delivery in the log: %,d of %,d: %s", log.found(), log.acknowledged(),
                log.complete() ? "yes" : "NO"));
        out.add(String.format("decision p99 <= %.0f ms in the engine (session.decide): %s: %s", TARGET_DECISION_P99_MS,
                ms(inEngine.session().p99()), inEngine.session().p99() <= TARGET_DECISION_P99_MS ? "met" : "NOT met"));
        for (LoadGenerator.RunStats s : intents) {
            out.add(String.format("decision p99 over HTTP, %s: %s (end to end; the target is per decision in the engine)", s.name(), ms(s.latency().p99())));
        }
        return out;
    }

    // ---------------------------------------------------------------- text

    static void render(Result r, PrintStream out) {
        out.println("charter serve under load — " + r.startedAt());
        out.printf("  java %s, %d cores; load average %s at start, %s at end (1/5/15 min); a second process on loopback%n",
                r.java(), r.cores(), r.loadAtStart().text(), r.loadAtEnd().text());
        out.printf("  server: ./charter serve --config (one tenant, acme, SQLite in a temp folder), healthy after %.1f s%n", r.serverStartSeconds());
        out.printf("  corpus: %s, %s payloads, sent round-robin; every request a new delivery id%n", r.corpus(), r.corpusMix());
        out.println();
        out.println("Phase A — durable webhook ingest (POST /webhooks/acme/{source}, 202 after the append committed)");
        out.println("  closed loop: each connection sends when its previous answer arrived; latency from the write of the request");
        out.println("  (service time at that concurrency; a stall is seen only by the requests in flight).");
        out.println("  open loop: request i due at start + i/rate; latency from that intended time (no coordinated omission).");
        out.println("  every connection is opened (one GET /healthz) before a run's clock starts, and every run starts once");
        out.println("  the engine has caught up with the events of the one before (it answers a dry-run intent within 1 s).");
        out.println("  " + run(r.webhookWarmup(), "webhooks/s") + "   (warm-up, not judged)");
        for (LoadGenerator.RunStats s : r.webhooks()) out.println("  " + run(s, "webhooks/s"));
        EventLogCheck.Result log = r.eventLog();
        out.printf("  event log (GET /v1/events, %d pages, %.1f s): %,d acknowledged deliveries, %,d of them in the log, %,d logged twice; "
                + "%,d events in the log%s%n", log.pages(), log.seconds(), log.acknowledged(), log.found(), log.twice(), log.logEvents(),
                log.missing().isEmpty() ? "" : "; MISSING e.g. " + log.missing());
        out.printf("  the engine (one thread per tenant, asynchronous) answered an intent within 1 s again %.1f s after the last webhook%n",
                r.engineCatchUpSeconds());
        out.println();
        out.println("Phase B — intents (POST /v1/intents, the acme intents, each with a new id; dry_run true, then recorded)");
        for (LoadGenerator.RunStats s : r.intents()) out.println("  " + run(s, "decisions/s"));
        out.println();
        InEngineDecisions.Result e = r.inEngine();
        out.printf("In-engine decision latency (this JVM, the acme Program after its %d recorded events, %,d decisions after %,d warm-up; %s)%n",
                e.events(), e.session().samples(), e.warmup(), e.verdicts());
        out.println("  session.decide (advance + insert, fire, retract, plan):  " + e.session().text());
        out.println("  LiveEngine.decide + get (as CharterServer, thread hand-off): " + e.liveEngine().text());
        out.println();
        out.println("Targets (2-core machine, shared)");
        for (String v : r.targets()) out.println("  " + v);
    }

    private static String brief(LoadGenerator.RunStats s, String unit) {
        return String.format("%,.0f %s, p50 %s p99 %s, %s, load %s", s.throughput(), unit, ms(s.latency().p50()), ms(s.latency().p99()),
                s.statuses(), s.loadAfter().text());
    }

    private static String run(LoadGenerator.RunStats s, String unit) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-16s %2d conn  %,7d sent in %5.1f s  %,6.0f %s%n", s.name(), s.connections(), s.completed(), s.seconds(), s.throughput(), unit));
        b.append("      latency ").append(s.latency().text()).append('\n');
        if (s.mode().equals("open")) {
            b.append("      service time (from the actual write) ").append(s.serviceTime().text())
                    .append(String.format("; sends fell up to %s behind schedule%n", ms(s.maxSendLagMs())));
        }
        b.append("      status ").append(s.statuses());
        if (!s.notes().isEmpty()) b.append("  verdicts ").append(s.notes());
        if (s.notSent() > 0) b.append(String.format("  NOT SENT before the %s limit: %,d", "time", s.notSent()));
        b.append('\n');
        b.append(String.format("      load %s -> %s; CPU: server %.1f s (%.2f cores), generator %.1f s (%.2f cores)",
                s.loadBefore().text(), s.loadAfter().text(), s.serverCpuSeconds(), s.serverCpuSeconds() / s.seconds(),
                s.generatorCpuSeconds(), s.generatorCpuSeconds() / s.seconds()));
        for (String err : s.errorSamples()) b.append("\n      e.g. ").append(err.length() > 300 ? err.substring(0, 300) + "…" : err);
        return b.toString();
    }

    private static String ms(double v) {
        return v >= 100 ? String.format("%,.0f ms", v) : v >= 10 ? String.format("%.1f ms", v) : String.format("%.2f ms", v);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
