package charter.server;

import charter.engine.ingest.IngestReport;
import charter.engine.ingest.Normalisers;
import charter.gitsync.WatchEvent;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The server's metrics, in a Micrometer registry exposed in the Prometheus text format: counters
 * the request paths bump ({@link #webhook}, {@link #refused}, {@link #decision}), gauges read from
 * each tenant when scraped (queue depth, events processed, the live session's sizes, swaps and
 * rejections from the watcher's history), failures by kind ({@link FailureLog}), and the JVM's own
 * (memory, GC, threads, classes, CPU, uptime). One instance per server; nothing static.
 *
 * <p>Label values are bounded: a tenant is one of the configured ones and a source one of the
 * known four, so a client cannot grow the series by posting to made-up paths (those count under
 * {@code tenant=""}, {@code source=""}). Only counts are exposed, never payloads or ids.
 */
final class ServerMetrics implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Bounds of the decision latency histogram (the target is p99 ≤ 5 ms). */
    static final List<Duration> DECISION_BUCKETS = List.of(0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0, 5000.0)
            .stream().map(ms -> Duration.ofNanos((long) (ms * 1_000_000))).toList();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> tenantNames;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final FailureLog failures = new FailureLog(registry);
    /**
     * The meters the request paths bump, looked up once per label set: building and registering a
     * meter on every request (sorting its tags, hashing its id) cost more than the count itself.
     * Bounded like the labels (tenants, sources and verdicts are known, refusal codes are a fixed set).
     */
    private final Map<List<String>, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    ServerMetrics(Collection<String> tenantNames) {
        this.tenantNames = Set.copyOf(tenantNames);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    FailureLog failures() {
        return failures;
    }

    MeterRegistry registry() {
        return registry;
    }

    /** The gauges and counters read from a tenant when scraped. */
    void watch(Tenant t) {
        String name = t.name;
        gauge("charter.ingest.queue.depth", "Commands (events, intents, ticks) waiting for the tenant's engine.", t, x -> x.engine().queueDepth());
        gauge("charter.webhooks.waiting", "Webhook requests waiting for the tenant's next group commit.", t, Tenant::webhooksWaiting);
        gauge("charter.log.processed.sequence", "The last sequence of the tenant's log the Program has run and recorded "
                + "(the log head minus this is the backlog).", t, Tenant::processedSequence);
        gauge("charter.engine.planned.action.ids", "Action ids the tenant's live session remembers to skip a duplicate firing "
                + "(bounded by the Program's longest window).", t, x -> x.engine().plannedActionIds());
        gauge("charter.engine.entities", "Entities the tenant's live session holds (those mentioned within the entity retention).",
                t, x -> x.engine().entities());
        counter("charter.events.processed", "Events the tenant's live engine has run through its Program.", t, x -> x.engine().eventsProcessed());
        counter("charter.log.events.reread", "Events the tenant's engine was given by reading them back from the log "
                + "(after a restart, or when it fell behind) rather than straight from the append.", t, Tenant::eventsReread);
        counter("charter.program.swaps", "Commits the watcher swapped in after the first Program went live.", t,
                x -> Math.max(0, count(x, WatchEvent.Kind.ACCEPTED) - 1));
        counter("charter.program.rejections", "Commits the watcher rejected (did not compile or failed a scenario).", t,
                x -> count(x, WatchEvent.Kind.REJECTED));
        counter("charter.engine.failures", "Commands the tenant's engine failed on (logged with the event, sequence and version).",
                t, x -> x.engine().failures());
        timer(name);   // the histogram is there from the start, with zero counts
    }

    private void gauge(String metric, String help, Tenant t, java.util.function.ToDoubleFunction<Tenant> f) {
        Gauge.builder(metric, t, f).description(help).tag("tenant", t.name).register(registry);
    }

    private void counter(String metric, String help, Tenant t, java.util.function.ToDoubleFunction<Tenant> f) {
        FunctionCounter.builder(metric, t, f).description(help).tag("tenant", t.name).register(registry);
    }

    /** A webhook that reached the ingestor: accepted or duplicate (a refusal is counted by {@link #refused}). */
    void webhook(String tenant, String source, IngestReport report) {
        // A rejection is thrown as an ApiError right after this and counted there: count it once.
        if (!report.rejected().isEmpty()) return;
        count(tenant, source, report.accepted().isEmpty() ? "duplicate" : "accepted");
    }

    /**
     * A refusal (an {@code ApiError}) on any request: counted when it answered a webhook, under the
     * path's tenant (the only tenant for the one-tenant route) and source.
     */
    void refused(Context ctx, String code) {
        if (!ctx.path().startsWith("/webhooks/")) return;
        Map<String, String> params = ctx.pathParamMap();
        String tenant = params.containsKey("tenant") ? params.get("tenant")
                : tenantNames.size() == 1 ? tenantNames.iterator().next() : "";
        count(tenant, params.getOrDefault("source", ""), code);
    }

    private void count(String tenant, String source, String outcome) {
        boolean known = tenantNames.contains(tenant) && Normalisers.SOURCES.contains(source);
        counters.computeIfAbsent(List.of("charter.webhooks", known ? tenant : "", known ? source : "", outcome), k -> Counter.builder(k.get(0))
                .description("Webhook deliveries answered, by tenant, source and outcome (accepted, duplicate, or the refusal's error code).")
                .tags("tenant", k.get(1), "source", k.get(2), "outcome", k.get(3))
                .register(registry)).increment();
    }

    /** One decision of an intent (recorded or dry run) and how long the engine took to make it. */
    void decision(String tenant, String verdict, long nanos) {
        counters.computeIfAbsent(List.of("charter.decisions", tenant, verdict), k -> Counter.builder(k.get(0))
                .description("Intent decisions, by tenant and verdict (dry runs included).")
                .tags("tenant", k.get(1), "verdict", k.get(2)).register(registry)).increment();
        timer(tenant).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String tenant) {
        return timers.computeIfAbsent(tenant, name -> Timer.builder("charter.decision").description("Time the engine took to decide an intent.")
                .tag("tenant", name).serviceLevelObjectives(DECISION_BUCKETS.toArray(Duration[]::new)).register(registry));
    }

    /** {@code GET /metrics}: every series when public, the token's tenant's with a token, 404 when off. */
    void routes(io.javalin.config.RoutesConfig r, MetricsAccess access, Auth auth) {
        switch (access) {
            case PUBLIC -> r.get("/metrics", ctx -> ctx.status(200).contentType(CONTENT_TYPE).result(render(null)));
            case TOKEN -> r.get("/metrics", auth.authed(TokenStore.Scope.READ,
                    (ctx, t) -> ctx.status(200).contentType(CONTENT_TYPE).result(render(t.name))));
            case OFF -> { }
        }
    }

    /**
     * The exposition: everything, or (for a tenant's token) only the samples labelled with that
     * tenant, so a token never sees another tenant's series nor the server-wide ones.
     */
    byte[] render(String onlyTenant) {
        String text = registry.scrape();
        if (onlyTenant == null) return text.getBytes(StandardCharsets.UTF_8);
        // In the text format a label value's quotes are escaped, so this matches the tenant label only.
        Pattern own = Pattern.compile("[{,]tenant=\"" + Pattern.quote(escape(onlyTenant)) + "\"[,}]");
        return text.lines().filter(l -> l.startsWith("#") || own.matcher(l).find())
                .collect(Collectors.joining("\n", "", "\n")).getBytes(StandardCharsets.UTF_8);
    }

    private static long count(Tenant t, WatchEvent.Kind kind) {
        return t.history().stream().filter(e -> e.kind() == kind).count();
    }

    /** The exposition format's label escaping: backslash, double quote and newline. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
