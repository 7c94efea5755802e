package charter.server;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.ingest.DeliveryException;
import charter.engine.event.EventTimes;
import charter.engine.ingest.IngestReport;
import charter.engine.ingest.LabeledDelivery;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.Normalisers;
import charter.engine.ingest.RawDelivery;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import charter.engine.store.Outbox;
import charter.engine.store.OutcomeStore;
import charter.engine.store.StoreException;
import charter.connect.ConnectorFactory;
import charter.server.act.ActMetrics;
import charter.server.act.ConnectorRegistry;
import charter.server.act.Dispatcher;
import charter.server.act.ToolSettings;
import charter.gitsync.WatchEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code charter serve}: webhooks in, intents decided, a REST API out, for every tenant of a
 * {@link ServerConfig}, over Javalin (Jetty 12).
 *
 * <p>Every refusal is a JSON body {@code {"error": {"status", "code", "message"}}}. A webhook is
 * acknowledged (202) only after its delivery committed to the store; a duplicate is a 200 no-op.
 * The {@code /v1} API needs a bearer token, which names its tenant: no route takes a tenant, so a
 * token can only ever reach its own tenant's data.
 */
public final class CharterServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    static final int MAX_PAGE = 500;
    static final String STORE_UNAVAILABLE = "the store is unavailable; retry later (the server's log and /healthz say why)";

    private final ServerConfig config;
    private final EventStore store;
    /** A second connection for the log consumers' reads (see Tenant). */
    private final EventStore reader;
    private final TokenStore tokens;
    private final Map<String, Tenant> tenants = new LinkedHashMap<>();

    /** For tests: a tenant by name, or null. */
    Tenant tenant(String name) {
        return tenants.get(name);
    }
    private final Javalin app;
    private final McpHttpEndpoint mcp;
    private final Instant started = Instant.now();
    private final ServerMetrics metrics;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    /** An error the client caused (or a refusal), rendered as a JSON error body. */
    static final class ApiError extends RuntimeException {
        final int status;
        final String code;

        ApiError(int status, String code, String message) {
            this(status, code, message, null);
        }

        /** {@code cause} goes to the log under the error's id, never into the body. */
        ApiError(int status, String code, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.code = code;
        }
    }

    /** Each tenant's connectors, from its server configuration. */
    private final ConnectorRegistry connectors;
    /** Carries out the outbox; null when {@code actions.enabled} is false (nothing is ever sent). */
    private final Dispatcher dispatcher;

    private CharterServer(ServerConfig config, List<ConnectorFactory> factories) {
        this.config = config;
        this.tokens = new TokenStore(config.tokens());
        this.store = EventStores.open(config.data());
        EventStore second = null;
        ServerMetrics m = null;
        Dispatcher d = null;
        McpHttpEndpoint endpoint = null;
        try {
            this.reader = second = EventStores.open(config.data());
            this.metrics = m = new ServerMetrics(config.tenants().keySet());
            Map<String, Map<String, ToolSettings>> endpoints = new LinkedHashMap<>();
            for (ServerConfig.TenantConfig t : config.tenants().values()) endpoints.put(t.name(), t.connectors());
            this.connectors = new ConnectorRegistry(factories, endpoints);
            this.dispatcher = d = config.actions().enabled()
                    ? new Dispatcher(store.outbox(), connectors, config.actions(), new ActMetrics(metrics.registry())) : null;
            Outbox.Intake intake = dispatcher == null ? Outbox.Intake.NONE : dispatcher.intake();
            for (ServerConfig.TenantConfig t : config.tenants().values()) {
                tenants.put(t.name(), new Tenant(t, store, reader, metrics.failures(),
                        charter.engine.search.SearchIndex.folder(config.data(), t.name()), intake));
            }
            for (Tenant t : tenants.values()) metrics.watch(t);
            for (Tenant t : tenants.values()) t.startWatching();
            var api = new InProcessIntents(this, new charter.server.mcp.RestGateway(() -> "http://" + boundAddress()));
            this.mcp = endpoint = new McpHttpEndpoint(tokens, tenants, api, config.maxBodyBytes(), config.host());
            this.app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.requestLogger.http(AccessLog::log);
                // Javalin's own limit sits above ours, so ours (with its JSON body) answers first.
                c.http.maxRequestSize = config.maxBodyBytes() + 1;
                c.jetty.addConnector((server, http) -> HttpExposure.connector(server, http, config));
                c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
                // MCP's servlet beside Javalin's on the same Jetty: an exact path wins over Javalin's `/*`.
                c.jetty.modifyServletContextHandler(h -> {
                    var holder = new org.eclipse.jetty.ee10.servlet.ServletHolder("charter-mcp", mcp);
                    holder.setAsyncSupported(true);
                    h.addServlet(holder, McpHttpEndpoint.PATH);
                });
                routes(c.routes);
            });
        } catch (RuntimeException e) {
            if (endpoint != null) endpoint.close();
            tenants.values().forEach(Tenant::close);
            if (d != null) d.close();
            if (second != null) second.close();
            store.close();
            if (m != null) m.close();
            throw e;
        }
    }

    /** Opens the store, compiles every tenant's Program and starts listening on {@code config.port()} (0: any free port). */
    public static CharterServer start(ServerConfig config) {
        return start(config, List.of());
    }

    /**
     * As {@link #start(ServerConfig)}, with connector factories tried before those on the class path
     * (stand-ins of the tools, for tests and walkthroughs).
     */
    public static CharterServer start(ServerConfig config, List<ConnectorFactory> factories) {
        // Before the store is opened and every Program compiled: a taken port is said at once.
        HttpExposure.requireFree(config.host(), config.port());
        CharterServer s = new CharterServer(config, factories);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.close();
            throw new ServerConfig.ConfigException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
        }
        return s;
    }

    public int port() {
        return app.port();
    }

    /** How far a tenant's Program has run on its log (for tests). */
    long processedSequence(String tenant) {
        return tenants.get(tenant).processedSequence();
    }

    /** The address actually listened on, such as {@code 127.0.0.1:8080} (the port resolved when 0 was asked). */
    public String boundAddress() {
        return HttpExposure.hostForUrl(config.host()) + ":" + port();
    }

    /** Every route this server answers, as "METHOD /path" (for the OpenAPI document's test). */
    List<String> routeList() {
        List<String> routes = new ArrayList<>(app.unsafe.internalRouter.allHttpHandlers().stream().map(e -> e.endpoint.method + " " + e.endpoint.path).toList());
        for (String m : List.of("POST", "GET", "DELETE")) routes.add(m + " " + McpHttpEndpoint.PATH);   // the MCP servlet's, beside Javalin's
        return routes;
    }

    @Override
    public void close() {
        if (mcp != null) mcp.close();
        if (app != null) app.stop();
        tenants.values().forEach(Tenant::close);
        if (dispatcher != null) dispatcher.close();
        reader.close();
        store.close();
        metrics.close();
    }

    // ---------------------------------------------------------------- routes

    private void routes(io.javalin.config.RoutesConfig r) {
        r.exception(ApiError.class, (e, ctx) -> {
            metrics.refused(ctx, e.code);
            if (e.status == 408) {   // the rest of a slow body is not waited for: the connection closes
                ctx.attribute(SLOW_BODY, Boolean.TRUE);
                ctx.header("Connection", "close");
            }
            discardUnreadBody(ctx);
            ErrorReplies.send(ctx, ErrorReplies.body(e.status, e.code, e.getMessage()), e.getCause());
        });
        // The store's message names where it is: the log has it, the client is told to retry.
        r.exception(StoreException.class, (e, ctx) -> {
            discardUnreadBody(ctx);
            ErrorReplies.send(ctx, ErrorReplies.body(503, "store_unavailable", STORE_UNAVAILABLE), e);
        });
        // No one is left to answer: not a 500, and not three stack traces in the log.
        r.exception(ClientWentAway.class, (e, ctx) -> org.slf4j.LoggerFactory.getLogger(ClientWentAway.class)
                .debug("{} {}: {} ({})", ctx.method(), ctx.path(), e.getMessage(), String.valueOf(e.getCause())));
        r.exception(Exception.class, (e, ctx) -> {
            discardUnreadBody(ctx);
            ErrorReplies.send(ctx, ErrorReplies.body(500, "internal", "the server failed to answer this request; "
                    + "its log has the cause under this error's id"), e);
        });
        // Javalin calls these for any 404/405, also one a handler answered itself (an unknown tenant)
        r.error(404, ctx -> {
            if (!replied(ctx)) ErrorReplies.replaceResult(ctx, errorNode(404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path()));
        });
        r.error(405, ctx -> {
            if (!replied(ctx)) ErrorReplies.replaceResult(ctx, errorNode(405, "method_not_allowed", "method not allowed: " + ctx.method() + " " + ctx.path()));
        });

        r.post("/webhooks/{tenant}/{source}", ctx -> webhook(ctx, ctx.pathParam("tenant"), ctx.pathParam("source")));
        r.post("/webhooks/{source}", ctx -> {
            if (tenants.size() != 1) throw new ApiError(404, "unknown_tenant", "this server has " + tenants.size() + " tenants: post to /webhooks/{tenant}/{source}");
            webhook(ctx, tenants.keySet().iterator().next(), ctx.pathParam("source"));
        });
        r.get("/healthz", this::health);
        r.get("/v1/openapi.json", ctx -> {
            try (InputStream in = CharterServer.class.getResourceAsStream("/charter/server/openapi.json")) {
                ctx.status(200).contentType("application/json").result(in.readAllBytes());
            }
        });
        r.post("/v1/intents", authed(TokenStore.Scope.INTENTS, this::intent));
        r.post("/v1/intents/{id}/override", authed(TokenStore.Scope.INTENTS, this::override));
        r.get("/v1/events", authed(TokenStore.Scope.READ, this::events));
        r.get("/v1/entities/{type}/{key}", authed(TokenStore.Scope.READ, this::entity));
        r.get("/v1/decisions", authed(TokenStore.Scope.READ, this::decisions));
        new ActionApi(connectors, dispatcher == null ? () -> { } : dispatcher::wake).routes(r, this::authed);
        new OutcomeApi(store).routes(r, this::authed);
        r.get("/v1/program", authed(TokenStore.Scope.READ, this::program));
        new GraphApi(store).routes(r, this::authed);
        new SearchApi(new charter.engine.search.SearchService(name -> tenants.get(name).searchIndex(), store)).routes(r, this::authed);
        new ProgramApi(store).routes(r, this::authed);
        new AgentApi().routes(r, this::authed);
        metrics.routes(r, config.metrics(), this::authed);
    }

    /**
     * {@code ok} (200), or {@code failing} (503) when the store found a fault in its files: which
     * faults (by code: their messages name files, which are for the log), and which tenants they
     * stop from writing. Public: it says nothing but codes and tenant names.
     */
    private void health(Context ctx) {
        List<EventStore.Fault> faults = new ArrayList<>(store.faults());
        for (EventStore.Fault f : reader.faults()) if (!faults.contains(f)) faults.add(f);
        ObjectNode n = JSON.createObjectNode();
        n.put("status", faults.isEmpty() ? "ok" : "failing");
        n.put("since", started.toString());
        ObjectNode st = n.putObject("store");
        st.put("status", faults.isEmpty() ? "ok" : "failing");
        ArrayNode list = st.putArray("faults");
        for (EventStore.Fault f : faults) {
            ObjectNode fn = list.addObject();
            fn.put("code", f.code());
            if (f.tenant() == null) fn.putNull("tenant");
            else fn.put("tenant", f.tenant());
        }
        ObjectNode ts = n.putObject("tenants");
        for (String name : tenants.keySet()) {
            // a fault without a tenant (the file itself) stops every tenant's writes
            boolean failing = faults.stream().anyMatch(f -> f.tenant() == null || f.tenant().equals(name));
            ts.putObject(name).put("status", failing ? "failing" : "ok").put("writes", failing ? "refused" : "accepted");
        }
        reply(ctx, faults.isEmpty() ? 200 : 503, n);
    }

    interface TenantHandler {
        void handle(Context ctx, Tenant tenant) throws Exception;
    }

    /** What a request without a token is told (the route's and the in-process MCP intents'). */
    static final String TOKEN_MISSING = "send an API token: Authorization: Bearer <token> (charter token create)";

    /** The bearer token names the tenant; a missing or unknown token is 401, a missing scope 403. */
    Handler authed(TokenStore.Scope scope, TenantHandler h) {
        return ctx -> {
            String auth = ctx.header("Authorization");
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiError(401, "token_missing", TOKEN_MISSING);
            }
            Tenant t;
            try {
                t = authorize(auth.substring(7).trim(), scope, tenant -> ctx.attribute(ErrorReplies.TENANT, tenant));
            } catch (ApiError e) {
                if (e.status == 401) ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                throw e;
            }
            h.handle(ctx, t);
        };
    }

    /**
     * The tenant a bearer token acts on with {@code scope}: 401 for a token unknown or expired, 403
     * for a tenant not served or a scope missing. {@code known} is told the token's tenant once the
     * token is known (for the access log).
     */
    Tenant authorize(String token, TokenStore.Scope scope, java.util.function.Consumer<String> known) {
        TokenStore.Principal p = tokens.authenticate(token).orElse(null);
        if (p == null) throw new ApiError(401, "token_invalid", "the API token is not known to this server");
        known.accept(p.tenant());
        if (p.expiredAt(Instant.now())) {
            throw new ApiError(401, "token_expired", "the API token expired at " + p.expires() + "; create another (charter token create)");
        }
        Tenant t = tenants.get(p.tenant());
        if (t == null) throw new ApiError(403, "tenant_not_served", "the token's tenant is not served by this server");
        if (!p.may(scope)) throw new ApiError(403, "scope_missing", "the token lacks the `" + scope.label() + "` scope");
        return t;
    }

    // ---------------------------------------------------------------- webhooks

    private void webhook(Context ctx, String tenantName, String source) {
        Tenant t = tenants.get(tenantName);
        if (t == null) throw new ApiError(404, "unknown_tenant", "no tenant `" + tenantName + "` on this server");
        ctx.attribute(ErrorReplies.TENANT, tenantName);
        if (!Normalisers.SOURCES.contains(source)) {
            throw new ApiError(404, "unknown_source", "unknown source `" + source + "` (known: " + String.join(", ", Normalisers.SOURCES) + ")");
        }
        if (!t.serves(source)) throw new ApiError(404, "source_not_configured", "tenant `" + tenantName + "` has no " + source + " secret configured, so it takes no " + source + " webhooks");
        byte[] body = rawBody(ctx, config.maxBodyBytes(), config.http().bodyTimeout());
        Map<String, String> headers = ctx.headerMap();   // RawDelivery lower-cases the names
        String label = "request " + requests.incrementAndGet();   // only needs to be unique within this server's batches
        IngestReport report = durable(t.ingest(new LabeledDelivery(label, new RawDelivery(source, headers, body, Instant.now()))));
        metrics.webhook(tenantName, source, report);
        if (!report.rejected().isEmpty()) {
            IngestReport.Rejection rej = report.rejected().getFirst();
            throw new ApiError(statusOf(rej.code()), rej.code(), rej.message());
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", tenantName);
        n.put("source", source);
        if (!report.accepted().isEmpty()) {
            IngestReport.Accepted a = report.accepted().getFirst();
            if (source.equals("github") && a.type().equals("github.push")) t.pushed(body);
            n.put("status", "accepted");
            n.put("deliveryId", a.deliveryId());
            n.put("eventId", a.eventId());
            n.put("type", a.type());
            n.put("significance", a.significance());
            reply(ctx, 202, n);
        } else {
            IngestReport.Duplicate d = report.duplicates().getFirst();
            n.put("status", "duplicate");
            n.put("deliveryId", d.deliveryId());
            n.put("message", "this delivery is already in the log; nothing was done");
            reply(ctx, 200, n);
        }
    }

    /** Waits for the group commit that holds the delivery; a store failure means nothing of it was kept. */
    private static IngestReport durable(java.util.concurrent.CompletableFuture<IngestReport> pending) {
        return awaitWrite(pending, "the delivery was not stored", "retry it (it is deduplicated by its delivery id)");
    }

    /** Waits for a group commit; its failure or a wait over 30 s is a 503 the client may retry. */
    static <T> T awaitWrite(java.util.concurrent.CompletableFuture<T> pending, String what, String retry) {
        try {
            return pending.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ApiError(503, "store_unavailable", what + " (the store is unavailable); " + retry, e.getCause());
        } catch (TimeoutException e) {
            throw new ApiError(503, "store_busy", what + " within 30 s; " + retry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "stopping", "the server is stopping; " + retry);
        }
    }

    /**
     * The body's bytes, read straight into one array of the declared length (Javalin's own reader,
     * and {@code readNBytes(n)}, copy through buffers of their own), never more than the limit, and
     * whole within {@code timeout}: each read holds one of the server's threads, so a body that
     * trickles in (a byte every few seconds) is cut off with a 408 instead of holding it for long.
     */
    private static byte[] rawBody(Context ctx, long limit, Duration timeout) {
        long declared = ctx.contentLength();
        if (declared > limit) throw tooLarge(declared, limit);   // its body is dropped by discardUnreadBody
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            InputStream in = ctx.req().getInputStream();
            if (declared >= 0) {
                byte[] body = new byte[(int) declared];   // readNBytes(n) would read into chunks and copy them once more
                int read = readUntil(in, body, body.length, deadline, timeout);
                if (read < declared) throw new ApiError(400, "truncated_body", "the body ended after " + read + " of its " + declared + " bytes");
                return body;
            }
            byte[] buffer = new byte[(int) Math.min(limit + 1, 64 * 1024)];   // no Content-Length: read up to the limit
            int read = 0;
            while (true) {
                if (read == buffer.length) {
                    if (read > limit) throw tooLarge(-1, limit);
                    buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(limit + 1, 2L * buffer.length));
                }
                int n = readUntil(in, buffer, buffer.length, read, deadline, timeout);
                if (n == read) break;
                read = n;
            }
            if (read > limit) throw tooLarge(-1, limit);
            return java.util.Arrays.copyOf(buffer, read);
        } catch (IOException e) {
            throw new ApiError(400, "unreadable_body", "the body could not be read (the connection failed or stayed silent)", e);
        }
    }

    private static int readUntil(InputStream in, byte[] into, int length, long deadline, Duration timeout) throws IOException {
        return readUntil(in, into, length, 0, deadline, timeout);
    }

    /** Reads into {@code into} from {@code from} until it is full or the stream ends; the count read so far. Past the deadline: 408. */
    private static int readUntil(InputStream in, byte[] into, int length, int from, long deadline, Duration timeout) throws IOException {
        int read = from;
        while (read < length) {
            int n = in.read(into, read, length - read);
            if (n < 0) break;
            read += n;
            if (read < length && System.nanoTime() - deadline > 0) {
                throw new ApiError(408, "body_timeout", "the body did not arrive within " + timeout.toSeconds()
                        + " s (limits.body_timeout_seconds); send it at once");
            }
        }
        return read;
    }

    private static ApiError tooLarge(long size, long limit) {
        return new ApiError(413, DeliveryException.TOO_LARGE, "the body " + (size < 0 ? "is" : "of " + size + " bytes is")
                + " over the limit of " + limit + " bytes (limits.max_body_bytes)");
    }

    /**
     * A time from a query, bounded to the times Charter stores: one before them selects what the
     * earliest would, one after them is refused (the store's arithmetic would overflow).
     */
    static Instant inRange(Instant t, String name) {
        if (t.isAfter(EventTimes.LATEST)) {
            throw new ApiError(400, "time_out_of_range", "`" + name + "` " + t + " is after " + EventTimes.LATEST + ", the last time Charter stores");
        }
        return t.isBefore(EventTimes.EARLIEST) ? EventTimes.EARLIEST : t;
    }

    static int statusOf(String code) {
        return switch (code) {
            case IngestReport.SIGNATURE_MISSING, IngestReport.SIGNATURE_INVALID, IngestReport.SIGNATURE_STALE -> 401;
            case DeliveryException.TOO_LARGE -> 413;
            case DeliveryException.UNKNOWN_SOURCE -> 404;
            case IngestReport.INTERNAL_ERROR -> 500;
            default -> 400;
        };
    }

    // ---------------------------------------------------------------- intents

    private void intent(Context ctx, Tenant t) throws Exception {
        IntentReply r = intent(t, body(ctx));
        if (r.status() == 200) reply(ctx, 200, r.body());
        else ErrorReplies.send(ctx, r.body(), null);
    }

    /** What POST /v1/intents answers: the decision (200) or the intent's problems (400). */
    record IntentReply(int status, ObjectNode body) {}

    /**
     * POST /v1/intents without the HTTP around it, for the route and for the MCP intent tools in this
     * process: decides (and unless a dry run records) the intent of this body. Other refusals are
     * {@link ApiError}s, as everywhere.
     */
    IntentReply intent(Tenant t, JsonNode parsed) throws Exception {
        if (!(parsed instanceof ObjectNode node)) throw new ApiError(400, "wrong_type", "the body must be a JSON object (an intent)");
        JsonNode dry = node.remove("dry_run");
        if (dry != null && !dry.isBoolean()) throw new ApiError(400, "wrong_type", "`dry_run` must be true or false");
        boolean dryRun = dry != null && dry.asBoolean();
        boolean idGiven = node.has("id");   // a fresh id of the server's own cannot have been decided before
        if (!idGiven) node.put("id", "int-" + UUID.randomUUID());
        CompiledProgram program = t.program();
        List<String> problems = new ArrayList<>();
        IntentRequest request = new IntentFileReader(program).request(node, problems, Instant.now());
        if (!problems.isEmpty() || request == null) {
            ObjectNode n = errorNode(400, "invalid_intent", String.join("; ", problems));
            ArrayNode list = ((ObjectNode) n.get("error")).putArray("problems");
            problems.forEach(list::add);
            return new IntentReply(400, n);
        }
        Instant now = Instant.now();
        liveIntentTime(request.time(), now);
        // Decided at the server's clock, against the state now; the request keeps the time it was sent with.
        IntentRequest atNow = new IntentRequest(request.id(), request.intent(), request.actor(), request.reason(), now,
                request.params(), request.override());
        if (dryRun) return new IntentReply(200, decisionJson(decideTimed(t, atNow, true), null, true));
        OutcomeStore.StoredDecision r;
        claim(t, request.id());
        try {
            if (idGiven && t.outcomes().latestDecision(t.name, request.id()).isPresent()) {
                throw new ApiError(409, "intent_exists", "intent `" + request.id() + "` was already decided (GET /v1/decisions); send a new id");
            }
            r = record(t, request, decideTimed(t, atNow, false), 0);
        } finally {
            t.released(request.id());
        }
        return new IntentReply(200, decisionJson(r.decision(), r, false));
    }

    private void override(Context ctx, Tenant t) throws Exception {
        String id = ctx.pathParam("id");
        JsonNode body = body(ctx);
        String actor = body.path("actor").asText("");
        String reason = body.path("reason").asText("");
        if (actor.isBlank() || reason.isBlank()) throw new ApiError(400, "invalid_override", "an override needs both `actor` and `reason`");
        OutcomeStore.StoredDecision prior;
        TimelineEntry.Decision d;
        OutcomeStore.StoredDecision r;
        claim(t, id);
        try {
            prior = t.outcomes().latestDecision(t.name, id).orElseThrow(() -> new ApiError(404, "unknown_intent", "no recorded decision for intent `" + id + "`"));
            if (prior.decision().verdict() != TimelineEntry.Verdict.NEEDS_OVERRIDE) {
                throw new ApiError(409, "not_overridable", "intent `" + id + "` was decided `" + prior.decision().verdict().label()
                        + "`; only a needs-override decision (soft denials only) can be overridden");
            }
            IntentRequest p = prior.request();
            IntentRequest again = new IntentRequest(p.id(), p.intent(), p.actor(), p.reason(), p.time(), p.params(),
                    new TimelineEntry.Override(actor, reason));
            d = decideTimed(t, new IntentRequest(p.id(), p.intent(), p.actor(), p.reason(), Instant.now(), p.params(),
                    again.override()), false);
            if (d.overrideRefused() != null) {
                // The Program's `override by` does not name this actor: refused, and nothing is recorded.
                ObjectNode n = errorNode(403, "override_not_allowed", d.overrideRefused());
                n.set("decision", decisionJson(d, null, false));
                ErrorReplies.send(ctx, n, null);
                return;
            }
            if (d.verdict() != TimelineEntry.Verdict.ALLOW) {
                // The state moved on: a hard invariant denies it now. Recorded, so the audit shows the attempt.
                r = record(t, again, d, prior.sequence());
                ObjectNode n = errorNode(409, "override_refused", "intent `" + id + "` is now `" + d.verdict().label() + "`: a hard denial cannot be overridden");
                n.set("decision", decisionJson(d, r, false));
                ErrorReplies.send(ctx, n, null);
                return;
            }
            r = record(t, again, d, prior.sequence());
        } finally {
            t.released(id);
        }
        reply(ctx, 200, decisionJson(d, r, false));
    }

    /** One request at a time decides and records an intent id; a second one at the same moment is told so. */
    private static void claim(Tenant t, String intentId) {
        if (!t.claim(intentId)) {
            throw new ApiError(409, "intent_in_progress", "intent `" + intentId + "` is being decided by another request right now; retry");
        }
    }

    /**
     * The decision goes to the audit log, and the actions an allowed intent plans to the outputs, in
     * one transaction before the answer (group-committed with the tenant's other decisions).
     */
    private static OutcomeStore.StoredDecision record(Tenant t, IntentRequest request, TimelineEntry.Decision d, long overrides) {
        return awaitWrite(t.record(new OutcomeStore.DecisionToRecord(request, d, overrides)), "the decision was made but not recorded", "retry");
    }

    /**
     * A live server decides an intent now (docs/api/intents-time.md): the {@code time} it was sent
     * with may differ from the server's clock by clock skew, no more. An intent at another time is a
     * question for {@code POST /v1/simulate}.
     */
    static void liveIntentTime(Instant time, Instant now) {
        if (Duration.between(now, time).abs().compareTo(EventTimes.MAX_AHEAD) > 0) {
            throw new ApiError(400, "time_out_of_range", "`time` " + time + " is more than " + EventTimes.MAX_AHEAD.toMinutes()
                    + " minutes from the server's clock (" + now + "): a live server decides an intent now, against the state now;"
                    + " leave `time` out, or ask about another time with POST /v1/simulate and its `intents`");
        }
    }

    /** {@link #decide}, counted and timed for /metrics. */
    private TimelineEntry.Decision decideTimed(Tenant t, IntentRequest request, boolean dryRun) throws Exception {
        long t0 = System.nanoTime();
        TimelineEntry.Decision d = decide(t, request, dryRun);
        metrics.decision(t.name, d.verdict().label(), System.nanoTime() - t0);
        return d;
    }

    private static TimelineEntry.Decision decide(Tenant t, IntentRequest request, boolean dryRun) throws Exception {
        try {
            // A dry run is decided at the engine's clock and changes nothing; a live one first brings the clock to now.
            return (dryRun ? t.engine().dryRun(request) : t.engine().decide(request)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ApiError(500, "decision_failed", "the engine could not decide this intent", e.getCause());
        } catch (TimeoutException e) {
            throw new ApiError(503, "engine_busy", "the engine did not decide within 10 s");
        }
    }

    // ---------------------------------------------------------------- read API

    private void events(Context ctx, Tenant t) {
        long after = longParam(ctx, "after", 0);
        int limit = pageLimit(ctx, 100, MAX_PAGE);
        Instant since = null;
        if (ctx.queryParam("since") != null) {
            try {
                since = Instant.parse(ctx.queryParam("since"));
            } catch (DateTimeParseException e) {
                throw new ApiError(400, "bad_parameter", "`since` is not an ISO-8601 instant such as 2026-03-06T16:00:00Z");
            }
            since = inRange(since, "since");
        }
        List<EventStore.StoredEvent> page = store.events(t.name,
                new EventStore.EventQuery(since, ctx.queryParam("type"), ctx.queryParam("source"), after, limit));
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        ArrayNode list = n.putArray("events");
        for (EventStore.StoredEvent e : page) list.add(eventJson(e));
        if (page.size() == limit) n.put("next", "/v1/events?after=" + page.getLast().sequence() + "&limit=" + limit
                + param("type", ctx.queryParam("type")) + param("source", ctx.queryParam("source")) + param("since", ctx.queryParam("since")));
        else n.putNull("next");
        reply(ctx, 200, n);
    }

    private void entity(Context ctx, Tenant t) {
        String type = ctx.pathParam("type");
        String key = ctx.pathParam("key");
        EventStore.EntityView v = store.entity(t.name, type, key)
                .orElseThrow(() -> new ApiError(404, "unknown_entity", "no entity " + type + ":" + key));
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("type", v.type());
        n.put("key", v.key());
        n.put("firstSeen", String.valueOf(v.firstSeen()));
        n.put("lastSeen", String.valueOf(v.lastSeen()));
        n.put("occurrences", v.occurrences());
        ArrayNode claims = n.putArray("claims");
        for (Normalised.Claim c : v.claims()) {
            ObjectNode cn = claims.addObject();
            cn.put("attribute", c.attribute());
            cn.set("value", JSON.valueToTree(c.value()));
            cn.put("source", c.source());
            cn.put("time", String.valueOf(c.time()));
            cn.put("eventId", c.eventId());
        }
        ArrayNode rels = n.putArray("relations");
        for (int i = 0; i < v.relations().size(); i++) {
            Normalised.Relation rel = v.relations().get(i);
            ObjectNode rn = rels.addObject();
            boolean outgoing = rel.fromType().equals(v.type()) && rel.fromKey().equals(v.key());
            rn.put("direction", outgoing ? "out" : "in");
            rn.put("kind", rel.kind());
            rn.put("from", rel.fromType() + ":" + rel.fromKey());
            rn.put("to", rel.toType() + ":" + rel.toKey());
            rn.put("eventId", v.relationEventIds().get(i));
        }
        reply(ctx, 200, n);
    }

    private void decisions(Context ctx, Tenant t) {
        long after = longParam(ctx, "after", 0);
        int limit = pageLimit(ctx, 100, MAX_PAGE);
        List<OutcomeStore.StoredDecision> page = t.outcomes().decisions(t.name, after, limit);
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        ArrayNode list = n.putArray("decisions");
        for (OutcomeStore.StoredDecision r : page) list.add(decisionJson(r.decision(), r, false));
        if (page.size() == limit) n.put("next", "/v1/decisions?after=" + page.getLast().sequence() + "&limit=" + limit);
        else n.putNull("next");
        reply(ctx, 200, n);
    }

    private void program(Context ctx, Tenant t) {
        CompiledProgram p = t.program();
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("name", p.name());
        n.put("version", p.version());
        n.put("engineVersion", t.engine().version());
        n.put("liveSince", t.liveSince().toString());
        ObjectNode src = n.putObject("source");
        if (t.config.program() != null) {
            src.put("kind", "folder");
        } else {
            src.put("kind", "git");
            src.put("repo", t.config.repo());
            src.put("branch", t.config.branch());
        }
        n.set("intents", JSON.valueToTree(List.copyOf(p.intents().keySet())));
        WatchEvent lastRejection = null;
        for (WatchEvent e : t.history()) if (e.kind() == WatchEvent.Kind.REJECTED) lastRejection = e;
        if (lastRejection == null) {
            n.putNull("lastRejection");
        } else {
            ObjectNode r = n.putObject("lastRejection");
            r.put("at", lastRejection.at().toString());
            r.put("commit", lastRejection.commit() == null ? null : lastRejection.commit().sha());
            r.put("message", lastRejection.commit() == null ? null : lastRejection.commit().message());
            r.set("reasons", JSON.valueToTree(lastRejection.reasons()));
        }
        reply(ctx, 200, n);
    }

    // ---------------------------------------------------------------- JSON

    static ObjectNode eventJson(EventStore.StoredEvent s) {
        CanonicalEvent e = s.event();
        ObjectNode o = JSON.createObjectNode();
        o.put("sequence", s.sequence());
        o.put("deliveryId", s.deliveryId());
        o.put("id", e.id());
        o.put("source", e.source());
        o.put("type", e.type());
        o.put("time", e.time().toString());
        o.set("data", JSON.valueToTree(e.data()));
        ArrayNode ents = o.putArray("entities");
        for (EntityRef r : e.entities()) ents.addObject().put("type", r.type()).put("key", r.key());
        if (e.significance() == null) o.putNull("significance");
        else o.put("significance", e.significance());
        return o;
    }

    /** The decision response of POST /v1/intents; `charter intent --format json` prints the same shape. */
    public static ObjectNode decisionJson(TimelineEntry.Decision d, OutcomeStore.StoredDecision r, boolean dryRun) {
        ObjectNode o = JSON.createObjectNode();
        o.put("intentId", d.intentId());
        o.put("intent", d.intent());
        o.put("actor", d.actor());
        if (d.reason() != null) o.put("reason", d.reason());
        o.put("time", d.time().toString());
        o.set("params", JSON.valueToTree(d.params()));
        o.put("verdict", d.verdict().label());
        ArrayNode denials = o.putArray("denials");
        for (TimelineEntry.Denial den : d.denials()) {
            ObjectNode dn = denials.addObject();
            dn.put("invariant", den.invariant());
            dn.put("level", den.level());
            dn.put("title", den.title());
            dn.put("because", den.because());
            dn.put("location", den.provenance() == null ? null : den.provenance().location());
        }
        ArrayNode actions = o.putArray("actions");
        for (TimelineEntry.PlannedAction a : d.actions()) {
            ObjectNode an = actions.addObject();
            an.put("actionId", a.actionId());
            an.put("tool", a.tool());
            an.set("args", JSON.valueToTree(a.args()));
        }
        if (d.override() == null) o.putNull("override");
        else o.putObject("override").put("actor", d.override().actor()).put("reason", d.override().reason());
        if (d.overrideRefused() != null) o.put("overrideRefused", d.overrideRefused());
        o.put("programVersion", d.programVersion());
        o.put("dryRun", dryRun);
        o.put("recorded", r != null);
        if (r != null) {
            o.put("sequence", r.sequence());
            o.put("recordedAt", r.recordedAt().toString());
            if (r.overrides() > 0) o.put("overrides", r.overrides());
        }
        return o;
    }

    static JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) throw new ApiError(400, "malformed_json", "the body is empty; send a JSON object");
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "malformed_json", "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, "malformed_json", "the body could not be read: " + e.getMessage());
        }
    }

    /** `limit`: at least 1, at most {@code max} (larger asks are capped). */
    static int pageLimit(Context ctx, int dflt, int max) {
        long limit = longParam(ctx, "limit", dflt);
        if (limit < 1) throw new ApiError(400, "bad_parameter", "`limit` must be at least 1");
        return (int) Math.min(limit, max);
    }

    /** {@code &name=value} for a {@code next} link, the value URL-encoded; nothing when the value is null. */
    static String param(String name, String value) {
        return value == null ? "" : "&" + name + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static long longParam(Context ctx, String name, long dflt) {
        String v = ctx.queryParam(name);
        if (v == null) return dflt;
        try {
            long l = Long.parseLong(v);
            if (l < 0) throw new NumberFormatException();
            return l;
        } catch (NumberFormatException e) {
            throw new ApiError(400, "bad_parameter", "`" + name + "` must be a non-negative integer, got `" + v + "`");
        }
    }

    static ObjectNode errorNode(int status, String code, String message) {
        return ErrorReplies.body(status, code, message);
    }

    private static void error(Context ctx, int status, String code, String message) {
        ErrorReplies.send(ctx, errorNode(status, code, message), null);
    }

    /**
     * Writes the JSON body straight to the response: a Javalin result would be copied to it again
     * through a fresh buffer per response (a fifth of what the server allocated under load).
     */
    static void reply(Context ctx, int status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.status(status).contentType("application/json");
        ctx.attribute(REPLIED, Boolean.TRUE);
        ctx.res().setContentLength(bytes.length);
        try {
            ctx.res().getOutputStream().write(bytes);
        } catch (IOException e) {
            throw new ClientWentAway(e);
        }
    }

    /**
     * Reads and drops what a refused request is still sending (refusals often come before the
     * body is read: an unknown tenant, a body over the limit), up to four times the body limit,
     * so that the sender reads its answer on a connection that stays open. Answering first and
     * closing with the body unread resets the connection, and the sender may lose the answer.
     * A larger body is not read: the connection closes.
     */
    private void discardUnreadBody(Context ctx) {
        long declared = ctx.contentLength();
        long cap = 4 * config.maxBodyBytes();
        if (declared > cap || Boolean.TRUE.equals(ctx.attribute(SLOW_BODY))) return;
        long deadline = System.nanoTime() + config.http().bodyTimeout().toNanos();
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[8192];
            for (long read = 0; read <= cap && System.nanoTime() - deadline < 0; ) {   // a trickle is not waited for
                int n = in.read(buffer);
                if (n < 0) return;
                read += n;
            }
        } catch (IOException e) {
            // the sender went away: nothing to answer on
        }
    }

    /** Set on a request whose body was too slow to wait for the rest of. */
    private static final String SLOW_BODY = "charter.slow-body";

    /** Set on a request once {@link #reply} wrote its body, so that nothing writes a second one. */
    private static final String REPLIED = "charter.replied";

    private static boolean replied(Context ctx) {
        return ctx.attribute(REPLIED) != null;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
