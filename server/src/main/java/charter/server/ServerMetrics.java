package charter.server;

import charter.engine.ingest.IngestReport;
import charter.engine.ingest.Normalisers;
import charter.gitsync.WatchEvent;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's Prometheus metrics, written by hand in the text exposition format (version
 * 0.0.4): counters the request paths bump ({@link #webhook}, {@link #refused}, {@link #decision}),
 * and gauges read from each tenant when scraped (queue depth, events processed, swaps and
 * rejections from the watcher's history). One instance per server; nothing static.
 *
 * <p>Label values are bounded: a tenant is one of the configured ones and a source one of the
 * known four, so a client cannot grow the series by posting to made-up paths (those count under
 * {@code tenant=""}, {@code source=""}). Only counts are exposed, never payloads or ids.
 */
final class ServerMetrics {
    /** Upper bounds of the decision latency histogram, in seconds (the target is p99 ≤ 5 ms). */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    static final double[] DECISION_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

    private record WebhookKey(String tenant, String source, String outcome) {}

    private record DecisionKey(String tenant, String verdict) {}

    /** A cumulative histogram: one adder per bucket (counts of values ≤ its bound), the sum and the count. */
    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[DECISION_BUCKETS.length];
        final LongAdder count = new LongAdder();
        final LongAdder sumNanos = new LongAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            for (int i = 0; i < buckets.length; i++) if (seconds <= DECISION_BUCKETS[i]) buckets[i].increment();
            count.increment();
            sumNanos.add(nanos);
        }
    }

    private final Set<String> tenantNames;
    private final ConcurrentMap<WebhookKey, LongAdder> webhooks = new ConcurrentHashMap<>();
    private final ConcurrentMap<DecisionKey, LongAdder> decisions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Histogram> latency = new ConcurrentHashMap<>();

    ServerMetrics(Collection<String> tenantNames) {
        this.tenantNames = Set.copyOf(tenantNames);
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
        webhooks.computeIfAbsent(new WebhookKey(known ? tenant : "", known ? source : "", outcome), k -> new LongAdder()).increment();
    }

    /** One decision of an intent (recorded or dry run) and how long the engine took to make it. */
    void decision(String tenant, String verdict, long nanos) {
        decisions.computeIfAbsent(new DecisionKey(tenant, verdict), k -> new LongAdder()).increment();
        latency.computeIfAbsent(tenant, k -> new Histogram()).observe(nanos);
    }

    /** {@code GET /metrics}: every tenant's series when public, the token's tenant's with a token, 404 when off. */
    void routes(io.javalin.config.RoutesConfig r, MetricsAccess access, Collection<Tenant> tenants, Auth auth) {
        switch (access) {
            case PUBLIC -> r.get("/metrics", ctx -> exposition(ctx, tenants));
            case TOKEN -> r.get("/metrics", auth.authed(TokenStore.Scope.READ, (ctx, t) -> exposition(ctx, List.of(t))));
            case OFF -> { }
        }
    }

    private void exposition(Context ctx, Collection<Tenant> tenants) {
        ctx.status(200).contentType(CONTENT_TYPE).result(render(tenants));
    }

    /** The exposition of the given tenants' series (all of them, or the token's one). */
    byte[] render(Collection<Tenant> tenants) {
        Set<String> shown = new java.util.HashSet<>();
        for (Tenant t : tenants) shown.add(t.name);
        boolean all = shown.equals(tenantNames);
        StringBuilder out = new StringBuilder(4096);

        header(out, "charter_webhooks_total", "counter", "Webhook deliveries answered, by tenant, source and outcome "
                + "(accepted, duplicate, or the refusal's error code).");
        for (var e : sorted(webhooks, k -> k.tenant() + "\u0000" + k.source() + "\u0000" + k.outcome())) {
            WebhookKey k = e.getKey();
            if (!shown.contains(k.tenant()) && !(all && k.tenant().isEmpty())) continue;
            sample(out, "charter_webhooks_total", List.of("tenant", k.tenant(), "source", k.source(), "outcome", k.outcome()),
                    e.getValue().sum());
        }

        header(out, "charter_ingest_queue_depth", "gauge", "Commands (events, intents, ticks) waiting for the tenant's engine.");
        for (Tenant t : tenants) sample(out, "charter_ingest_queue_depth", List.of("tenant", t.name), t.engine().queueDepth());

        header(out, "charter_webhooks_waiting", "gauge", "Webhook requests waiting for the tenant's next group commit.");
        for (Tenant t : tenants) sample(out, "charter_webhooks_waiting", List.of("tenant", t.name), t.webhooksWaiting());

        header(out, "charter_log_processed_sequence", "gauge", "The last sequence of the tenant's log the Program has run and recorded (the log head minus this is the backlog).");
        for (Tenant t : tenants) sample(out, "charter_log_processed_sequence", List.of("tenant", t.name), t.processedSequence());

        header(out, "charter_events_processed_total", "counter", "Events the tenant's live engine has run through its Program.");
        for (Tenant t : tenants) sample(out, "charter_events_processed_total", List.of("tenant", t.name), t.engine().eventsProcessed());

        header(out, "charter_log_events_reread_total", "counter", "Events the tenant's engine was given by reading them back from the log "
                + "(after a restart, or when it fell behind) rather than straight from the append.");
        for (Tenant t : tenants) sample(out, "charter_log_events_reread_total", List.of("tenant", t.name), t.eventsReread());

        header(out, "charter_decisions_total", "counter", "Intent decisions, by tenant and verdict (dry runs included).");
        for (var e : sorted(decisions, k -> k.tenant() + "\u0000" + k.verdict())) {
            if (!shown.contains(e.getKey().tenant())) continue;
            sample(out, "charter_decisions_total", List.of("tenant", e.getKey().tenant(), "verdict", e.getKey().verdict()),
                    e.getValue().sum());
        }

        header(out, "charter_decision_seconds", "histogram", "Time the engine took to decide an intent.");
        for (var e : sorted(latency, k -> k)) {
            if (!shown.contains(e.getKey())) continue;
            Histogram h = e.getValue();
            for (int i = 0; i < DECISION_BUCKETS.length; i++) {
                sample(out, "charter_decision_seconds_bucket", List.of("tenant", e.getKey(), "le", number(DECISION_BUCKETS[i])),
                        h.buckets[i].sum());
            }
            sample(out, "charter_decision_seconds_bucket", List.of("tenant", e.getKey(), "le", "+Inf"), h.count.sum());
            out.append("charter_decision_seconds_sum{tenant=\"").append(escape(e.getKey())).append("\"} ")
                    .append(number(h.sumNanos.sum() / 1e9)).append('\n');
            sample(out, "charter_decision_seconds_count", List.of("tenant", e.getKey()), h.count.sum());
        }

        header(out, "charter_program_swaps_total", "counter", "Commits the watcher swapped in after the first Program went live.");
        for (Tenant t : tenants) sample(out, "charter_program_swaps_total", List.of("tenant", t.name), Math.max(0, count(t, WatchEvent.Kind.ACCEPTED) - 1));

        header(out, "charter_program_rejections_total", "counter", "Commits the watcher rejected (did not compile or failed a scenario).");
        for (Tenant t : tenants) sample(out, "charter_program_rejections_total", List.of("tenant", t.name), count(t, WatchEvent.Kind.REJECTED));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long count(Tenant t, WatchEvent.Kind kind) {
        return t.history().stream().filter(e -> e.kind() == kind).count();
    }

    private static <K, V> List<Map.Entry<K, V>> sorted(Map<K, V> map, java.util.function.Function<K, String> order) {
        TreeMap<String, Map.Entry<K, V>> byKey = new TreeMap<>();
        for (Map.Entry<K, V> e : map.entrySet()) byKey.put(order.apply(e.getKey()), e);
        return new ArrayList<>(byKey.values());
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** {@code name{k="v",…} value}; labels as name/value pairs. */
    private static void sample(StringBuilder out, String name, List<String> labels, long value) {
        out.append(name).append('{');
        for (int i = 0; i < labels.size(); i += 2) {
            if (i > 0) out.append(',');
            out.append(labels.get(i)).append("=\"").append(escape(labels.get(i + 1))).append('"');
        }
        out.append("} ").append(value).append('\n');
    }

    /** The exposition format's label escaping: backslash, double quote and newline. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double d) {
        // Plain decimals (0.0005, not 5.0E-4): easier on people reading the page; both parse.
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
