package charter.server;

import static charter.server.CharterServer.JSON;
import static charter.server.CharterServer.MAX_PAGE;
import static charter.server.CharterServer.reply;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.compiler.js.JsFunctions;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.Suggestions;
import charter.engine.event.CanonicalEvent;
import charter.engine.explain.ExplainException;
import charter.engine.explain.Explanation;
import charter.engine.json.ExplanationJson;
import charter.engine.reference.Explainer;
import charter.engine.impact.ChangeReport;
import charter.engine.impact.ImpactAnalysis;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.json.DiffJson;
import charter.engine.json.JsonValues;
import charter.engine.json.SimulationJson;
import charter.engine.runtime.Simulator;
import charter.engine.store.EventStore;
import charter.engine.store.OutcomeStore;
import charter.gitsync.GitProgramException;
import charter.gitsync.GitPrograms;
import charter.gitsync.ProgramRepository;
import charter.gitsync.ProgramSnapshot;
import charter.gitsync.WatchEvent;
import charter.gitsync.WatchEventJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The token's tenant's Program over time: the watcher's history and last rejection (with its
 * diagnostics), a dry run of the stored log ({@code POST /v1/simulate}) and the diff of two
 * revisions with its impact on the stored log ({@code POST /v1/diff}). Both replays reuse the
 * engine's {@link Simulator} and {@link ChangeReport} and answer the JSON the CLI's
 * {@code --format json} writes ({@link SimulationJson}, {@link DiffJson}), plus {@code tenant}
 * and {@code replay}.
 *
 * <p>Bounded: at most {@link #MAX_REPLAY} stored events a replay (the request's {@code limit}), and
 * {@link #CONCURRENT_REPLAYS} replays at a time on the server (429 beyond), so dry runs cannot
 * starve webhook ingest of the machine's cores.
 */
final class ProgramApi {
    static final int DEFAULT_REPLAY = 10_000;
    static final int MAX_REPLAY = 100_000;
    static final int MAX_INTENTS = 1_000;
    static final int MAX_EXAMPLES = 50;
    static final int CONCURRENT_REPLAYS = 2;
    private static final int REPLAY_PAGE = 2_000;
    private static final int DIAGNOSTICS_CACHE = 16;

    private final EventStore store;
    private final Semaphore replays = new Semaphore(CONCURRENT_REPLAYS);
    /** Diagnostics of rejected commits by SHA: a commit's diagnostics never change, and compiling costs a second. */
    private final Map<String, ArrayNode> rejectionDiagnostics = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayNode> eldest) {
            return size() > DIAGNOSTICS_CACHE;
        }
    };

    ProgramApi(EventStore store) {
        this.store = store;
    }

    void routes(RoutesConfig r, Auth auth) {
        r.exception(DetailedError.class, (e, ctx) -> ErrorReplies.send(ctx, e.body, null));
        r.get("/v1/program/history", auth.authed(TokenStore.Scope.READ, this::history));
        r.get("/v1/program/rejection", auth.authed(TokenStore.Scope.READ, this::rejection));
        // Dry runs: no side effects, so the read scope suffices.
        r.post("/v1/simulate", auth.authed(TokenStore.Scope.READ, this::simulate));
        r.post("/v1/diff", auth.authed(TokenStore.Scope.READ, this::diff));
        r.post("/v1/explain", auth.authed(TokenStore.Scope.READ, this::explain));
    }

    // ---------------------------------------------------------------- history

    /** {@code ?kind=&after=&limit=}: the watcher's events, oldest first, numbered from 1. A folder Program has one. */
    private void history(Context ctx, Tenant t) {
        long after = CharterServer.longParam(ctx, "after", 0);
        int limit = CharterServer.pageLimit(ctx, 100, MAX_PAGE);
        String kindParam = ctx.queryParam("kind");
        WatchEvent.Kind kind = null;
        if (kindParam != null) {
            try {
                kind = WatchEvent.Kind.valueOf(kindParam.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CharterServer.ApiError(400, "bad_parameter", "`kind` must be accepted, rejected, unchanged, rewritten or error, got `" + kindParam + "`");
            }
        }
        List<WatchEvent> all = entries(t);
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.set("source", source(t));
        n.put("live", t.program().version());
        ArrayNode list = n.putArray("entries");
        long last = 0;
        for (int i = (int) Math.min(after, all.size()); i < all.size() && list.size() < limit; i++) {
            WatchEvent e = all.get(i);
            last = i + 1;
            if (kind != null && e.kind() != kind) continue;
            list.add(entry(i + 1, e));
        }
        if (last < all.size() && list.size() == limit) {
            n.put("next", "/v1/program/history?after=" + last + "&limit=" + limit + (kind != null ? "&kind=" + kind.label() : ""));
        } else {
            n.putNull("next");
        }
        reply(ctx, 200, n);
    }

    /**
     * The last rejected commit with its reasons and, when it did not compile, the compiler's
     * diagnostics (file, line, column, code, suggestion); {@code rejection: null} when none was.
     */
    private void rejection(Context ctx, Tenant t) {
        List<WatchEvent> all = entries(t);
        int index = -1;
        for (int i = 0; i < all.size(); i++) if (all.get(i).kind() == WatchEvent.Kind.REJECTED) index = i;
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.set("source", source(t));
        n.put("live", t.program().version());
        if (index < 0) {
            n.putNull("rejection");
        } else {
            WatchEvent e = all.get(index);
            ObjectNode r = entry(index + 1, e);
            r.set("diagnostics", e.commit() == null ? JSON.createArrayNode() : diagnosticsAt(t, e.commit().sha()));
            n.set("rejection", r);
        }
        reply(ctx, 200, n);
    }

    private ArrayNode diagnosticsAt(Tenant t, String sha) {
        synchronized (rejectionDiagnostics) {
            ArrayNode cached = rejectionDiagnostics.get(sha);
            if (cached != null) return cached.deepCopy();
        }
        ArrayNode out = JSON.createArrayNode();
        try {
            Compilation c = GitPrograms.compile(t.repository().snapshot(sha, t.config.path()));
            if (c.program() != null) c.program().functions().close();   // it compiled: a scenario failed, the reasons say which
            for (Diagnostic d : c.diagnostics()) out.add(JsonValues.diagnostic(d));
        } catch (GitProgramException e) {
            // unreadable at that commit: the reasons hold the message
        }
        synchronized (rejectionDiagnostics) {
            rejectionDiagnostics.put(sha, out);
        }
        return out.deepCopy();
    }

    /** The watcher's history; for a folder Program, the one load at start. */
    private static List<WatchEvent> entries(Tenant t) {
        if (t.repository() != null) return t.history();
        return List.of(new WatchEvent(WatchEvent.Kind.ACCEPTED, t.liveSince(), null, List.of("loaded from its folder at start"),
                t.program().version(), null));
    }

    private static ObjectNode entry(int index, WatchEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("index", index);
        o.setAll(WatchEventJson.tree(e));
        return o;
    }

    private static ObjectNode source(Tenant t) {
        ObjectNode src = JSON.createObjectNode();
        if (t.repository() == null) {
            src.put("kind", "folder");
        } else {
            src.put("kind", "git");
            src.put("repo", t.config.repo());
            src.put("branch", t.config.branch());
            src.put("path", t.config.path());
        }
        return src;
    }

    // ---------------------------------------------------------------- simulate

    private static final Set<String> SIMULATE_FIELDS = Set.of("since", "until", "limit", "program", "intents", "files");
    private static final Set<String> DIFF_FIELDS = Set.of("from", "to", "since", "limit", "examples", "files");
    private static final Set<String> EXPLAIN_FIELDS = Set.of("id", "event", "intent", "intents", "since", "at", "limit", "program", "files");

    /**
     * {@code {since?, until?, limit?, program?: "live" | revision, intents?: [...], files?: {path: text}}}:
     * the stored events (at or after {@code since}, up to {@code until}, at most {@code limit}) and
     * the given intents replayed through the Program as a dry run; with {@code files}, through the
     * Program those files propose on top of {@code program}'s.
     */
    private void simulate(Context ctx, Tenant t) throws Exception {
        ObjectNode body = optionalBody(ctx, SIMULATE_FIELDS);
        Instant since = instant(body, "since");
        Instant until = instant(body, "until");
        if (since != null && until != null && until.isBefore(since)) {
            throw new CharterServer.ApiError(400, "bad_parameter", "`until` (" + until + ") is before `since` (" + since + ")");
        }
        int limit = replayLimit(body);
        String which = text(body, "program");
        ProposedFiles proposal = ProposedFiles.parse(body.get("files"));
        permit();
        try {
            Resolved p = resolve(t, which, proposal, "program");
            try {
                List<IntentRequest> intents = intents(body, p.program());
                Replay replay = replay(t, since, until, limit);
                ObjectNode out = JSON.createObjectNode();
                out.put("tenant", t.name);
                out.setAll(SimulationJson.tree(new Simulator().run(p.program(), replay.events(), intents, until)));
                ObjectNode r = replay.json(since, until, limit);
                r.put("program", p.label());
                r.put("intents", intents.size());
                if (proposal != null) r.set("warnings", p.warningsJson());
                out.set("replay", r);
                reply(ctx, 200, out);
            } finally {
                p.close();
            }
        } finally {
            replays.release();
        }
    }

    private static List<IntentRequest> intents(ObjectNode body, CompiledProgram program) {
        JsonNode list = body.get("intents");
        if (list == null || list.isNull()) return List.of();
        if (!list.isArray()) throw new CharterServer.ApiError(400, "wrong_type", "`intents` must be an array of intents");
        if (list.size() > MAX_INTENTS) throw new CharterServer.ApiError(400, "too_many_intents", "at most " + MAX_INTENTS + " intents a dry run, got " + list.size());
        List<IntentRequest> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        IntentFileReader reader = new IntentFileReader(program);
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof ObjectNode node)) {
                problems.add("intents[" + i + "]: must be an object");
                continue;
            }
            ObjectNode copy = node.deepCopy();
            if (!copy.has("id")) copy.put("id", "sim-" + (i + 1));
            List<String> mine = new ArrayList<>();
            IntentRequest request = reader.request(copy, mine);
            for (String m : mine) problems.add("intents[" + i + "]: " + m);
            if (mine.isEmpty() && request != null) out.add(request);
        }
        if (!problems.isEmpty()) {
            ArrayNode detail = JSON.createArrayNode();
            problems.forEach(detail::add);
            throw new DetailedError(400, "invalid_intent", String.join("; ", problems), "problems", detail);
        }
        return out;
    }

    // ---------------------------------------------------------------- diff

    /**
     * {@code {from?, to?, since?, limit?, examples?, files?}}: the semantic diff of two revisions of the
     * tenant's Program repository (default: the live commit and the followed branch's head) and
     * their impact on the tenant's stored log, as {@code charter diff --repo … --from-store --format json}.
     * With {@code files} in place of {@code to}, the other side is those files proposed on top of
     * {@code from}'s (the live Program's by default, which a Program folder has too).
     */
    private void diff(Context ctx, Tenant t) throws Exception {
        ObjectNode body = optionalBody(ctx, DIFF_FIELDS);
        ProposedFiles proposal = ProposedFiles.parse(body.get("files"));
        if (proposal != null) {
            if (text(body, "to") != null) {
                throw new CharterServer.ApiError(400, "bad_parameter", "give either `to` (a revision) or `files` (a proposal on top of `from`), not both");
            }
        } else {
            requireHistory(t);
        }
        String from = text(body, "from");
        String to = text(body, "to");
        if (from == null && proposal == null) from = t.program().version();
        if (to == null && proposal == null) to = t.config.branch();
        Instant since = instant(body, "since");
        int limit = replayLimit(body);
        int examples = ImpactAnalysis.DEFAULT_EXAMPLES;
        if (body.has("examples")) {
            JsonNode e = body.get("examples");
            if (!e.canConvertToInt() || !e.isIntegralNumber() || e.asInt() < 0 || e.asInt() > MAX_EXAMPLES) {
                throw new CharterServer.ApiError(400, "bad_parameter", "`examples` must be an integer from 0 to " + MAX_EXAMPLES);
            }
            examples = e.asInt();
        }
        permit();
        try (Resolved before = resolve(t, from, null, "from"); Resolved after = proposal != null ? resolve(t, from, proposal, "files")
                : compileAt(t, to, "to")) {
            Replay replay = replay(t, since, null, limit);
            ChangeReport report = ChangeReport.between(before.label(), before.program(), after.label(), after.program(), replay.events(), null, examples);
            ObjectNode out = JSON.createObjectNode();
            out.put("tenant", t.name);
            out.setAll(DiffJson.tree(report));
            ObjectNode r = replay.json(since, null, limit);
            if (proposal != null) r.set("warnings", after.warningsJson());
            out.set("replay", r);
            reply(ctx, 200, out);
        } finally {
            replays.release();
        }
    }

    // ---------------------------------------------------------------- explain

    /**
     * {@code {id, event? | intent?, intents?, since?, at?, limit?, program?, files?}}: why the rule
     * or invariant {@code id} fired, denied or was violated, or did not, for one stored event (of
     * the replayed slice of the log), one of the given intents or, without {@code intents}, a
     * recorded decision's intent, as {@code charter explain
     * --from-store --format json} answers, on the live Program, a revision or a proposal.
     */
    private void explain(Context ctx, Tenant t) throws Exception {
        ObjectNode body = optionalBody(ctx, EXPLAIN_FIELDS);
        String id = text(body, "id");
        if (id == null) throw new CharterServer.ApiError(400, "missing_field", "`id` is missing: name the rule or invariant to explain");
        String event = text(body, "event");
        String intent = text(body, "intent");
        if ((event == null) == (intent == null)) {
            throw new CharterServer.ApiError(400, event == null ? "missing_field" : "bad_parameter", event == null
                    ? "say what to explain it for: `event` (a stored event's id) or `intent` (the id of one of `intents`)"
                    : "give either `event` or `intent`, not both");
        }
        // Without `intents`, `intent` is a decided one: the request recorded with its decision (GET /v1/decisions).
        IntentRequest recorded = null;
        if (intent != null && (body.get("intents") == null || body.get("intents").isNull())) {
            recorded = t.outcomes().latestDecision(t.name, intent).map(OutcomeStore.StoredDecision::request)
                    .orElseThrow(() -> new CharterServer.ApiError(400, "cannot_explain", "no decision `" + intent + "` recorded in this tenant "
                            + "(GET /v1/decisions lists them); to explain an intent not sent, give it in `intents`"));
        }
        Instant since = instant(body, "since");
        Instant at = instant(body, "at");
        int limit = replayLimit(body);
        ProposedFiles proposal = ProposedFiles.parse(body.get("files"));
        Explanation.Question question = event != null ? new Explanation.Question(id, Explanation.SubjectKind.EVENT, event)
                : new Explanation.Question(id, Explanation.SubjectKind.INTENT, intent);
        permit();
        try (Resolved p = resolve(t, text(body, "program"), proposal, "program")) {
            List<IntentRequest> intents = recorded != null ? List.of(recorded) : intents(body, p.program());
            Replay replay = replay(t, since, at, limit);
            Explanation x;
            try {
                x = new Explainer().explain(p.program(), replay.events(), intents, at, question);
            } catch (ExplainException e) {
                String more = replay.truncated() && event != null ? " (the replay stopped at `limit`, " + limit
                        + " stored events: set `since` nearer the event)" : "";
                throw new CharterServer.ApiError(400, "cannot_explain", e.getMessage() + more);
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("tenant", t.name);
            out.setAll(ExplanationJson.tree(x));
            ObjectNode r = replay.json(since, at, limit);
            r.put("program", p.label());
            r.put("intents", intents.size());
            if (proposal != null) r.set("warnings", p.warningsJson());
            out.set("replay", r);
            reply(ctx, 200, out);
        } finally {
            replays.release();
        }
    }

    // ---------------------------------------------------------------- Programs at revisions

    /**
     * The Program a dry run asks for: the live one or one at a revision ({@code rev}, null or
     * {@code live} for the live one), or the proposal's files on top of that one's, compiled here
     * (a 422 with the diagnostics, by file, line and column, when they do not compile).
     */
    private static Resolved resolve(Tenant t, String rev, ProposedFiles proposal, String field) {
        boolean live = rev == null || rev.equals("live");
        if (proposal == null) return live ? new Resolved(t.program(), false, "live") : compileAt(t, rev, field);
        String base = live ? "live" : rev;
        ProgramFiles files = proposal.over(live ? t.programFiles() : snapshotAt(t, rev, field).files());
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(files);
        if (!c.ok() || c.program() == null) {
            if (c.program() != null) c.program().functions().close();
            throw proposalDoesNotCompile(c.diagnostics());
        }
        String label = proposal.label(base);
        return new Resolved(c.program().withVersion(label), true, label, c.diagnostics().stream().filter(d -> !d.isError()).toList());
    }

    /** A Program to replay through; {@code owned} ones were compiled for this request and are closed after it. */
    /** A Program to run here: compiled for this request (owned, closed after), or the live one, held meanwhile. */
    private record Resolved(CompiledProgram program, boolean owned, String label, JsFunctions.Hold hold, List<Diagnostic> warnings)
            implements AutoCloseable {
        Resolved(CompiledProgram program, boolean owned, String label) {
            this(program, owned, label, List.of());
        }

        /** @param warnings the compiler's warnings of a proposal (a file not imported is ignored: the agent must hear of it) */
        Resolved(CompiledProgram program, boolean owned, String label, List<Diagnostic> warnings) {
            // The live Program may be swapped out while this runs: the hold keeps its functions open until then.
            this(program, owned, label, owned ? null : program.functions().hold(), warnings);
        }

        /** The proposal's warnings, as the compiler's JSON writes diagnostics. */
        ArrayNode warningsJson() {
            ArrayNode out = JSON.createArrayNode();
            for (Diagnostic d : warnings) out.add(JsonValues.diagnostic(d));
            return out;
        }

        @Override
        public void close() {
            if (owned) program.functions().close();
            else hold.close();
        }
    }

    private static void requireHistory(Tenant t) {
        if (t.repository() == null) {
            // The folder's path on the server is not the tenant's business: not in the message.
            throw new CharterServer.ApiError(409, "no_history", "tenant `" + t.name + "` runs a Program folder, which has no Git "
                    + "history; configure `repo:` (and `branch:`) for it to diff or replay revisions");
        }
    }

    /** The Program at a revision of the tenant's repository (the live one is reused, not recompiled). */
    private static Resolved compileAt(Tenant t, String rev, String field) {
        ProgramSnapshot snapshot = snapshotAt(t, rev, field);
        CompiledProgram live = t.program();
        if (snapshot.sha().equals(live.version())) return new Resolved(live, false, rev);
        Compilation c = GitPrograms.compile(snapshot);
        if (!c.ok() || c.program() == null) {
            if (c.program() != null) c.program().functions().close();
            throw doesNotCompile(field, rev, snapshot.sha(), c.diagnostics());
        }
        return new Resolved(c.program(), true, rev);
    }

    /** The files of the tenant's repository at a revision. */
    private static ProgramSnapshot snapshotAt(Tenant t, String rev, String field) {
        requireHistory(t);
        ProgramRepository repo = t.repository();
        ProgramSnapshot snapshot;
        try {
            snapshot = repo.snapshot(rev, t.config.path());
        } catch (GitProgramException e) {
            int status = e.kind() == GitProgramException.Kind.CORRUPT || e.kind() == GitProgramException.Kind.REMOTE ? 500 : 400;
            String code = switch (e.kind()) {
                case UNKNOWN_REVISION -> "unknown_revision";
                case NO_PROGRAM -> "no_program";
                case BINARY_FILE -> "binary_file";
                default -> "repository_error";
            };
            // Where the repository is on the server is not the client's business: named, not located.
            String message = e.getMessage().replace(repo.display(), "the tenant's Program repository");
            throw new CharterServer.ApiError(status, code, "`" + field + "`: " + message, status >= 500 ? e : null);
        }
        return snapshot;
    }

    /** A refusal that says more than a message (the diagnostics, every problem): its whole JSON error body. */
    static final class DetailedError extends RuntimeException {
        final int status;
        final transient ObjectNode body;

        DetailedError(int status, String code, String message, String detailName, ArrayNode detail) {
            super(message);
            this.status = status;
            this.body = CharterServer.errorNode(status, code, message);
            ((ObjectNode) body.get("error")).set(detailName, detail);
        }
    }

    /** 422 with the diagnostics: the revision exists but its Program does not compile. */
    private static DetailedError doesNotCompile(String field, String rev, String sha, List<Diagnostic> all) {
        ArrayNode diagnostics = JSON.createArrayNode();
        for (Diagnostic d : all) diagnostics.add(JsonValues.diagnostic(d));
        return new DetailedError(422, "does_not_compile", "`" + field + "`: the Program at " + rev + " (" + sha.substring(0, 7)
                + ") does not compile: " + all.stream().filter(Diagnostic::isError).findFirst().map(Diagnostic::message).orElse("see diagnostics"),
                "diagnostics", diagnostics);
    }

    /** 422 with the diagnostics: the Program the proposed files make does not compile. */
    private static DetailedError proposalDoesNotCompile(List<Diagnostic> all) {
        ArrayNode diagnostics = JSON.createArrayNode();
        for (Diagnostic d : all) diagnostics.add(JsonValues.diagnostic(d));
        String first = all.stream().filter(Diagnostic::isError).findFirst()
                .map(d -> d.span() == null ? d.message() : d.span().file() + ":" + d.span().line() + ":" + d.span().column() + ": " + d.message())
                .orElse("see diagnostics");
        return new DetailedError(422, "does_not_compile", "`files`: the proposed Program does not compile: " + first, "diagnostics", diagnostics);
    }

    // ---------------------------------------------------------------- replay

    /** The stored events replayed, in log order; {@code truncated} when more matched than the limit. */
    private record Replay(List<CanonicalEvent> events, boolean truncated, long firstSequence, long lastSequence) {
        ObjectNode json(Instant since, Instant until, int limit) {
            ObjectNode r = JSON.createObjectNode();
            r.put("since", JsonValues.time(since));
            r.put("until", JsonValues.time(until));
            r.put("limit", limit);
            r.put("events", events.size());
            r.put("truncated", truncated);
            if (events.isEmpty()) {
                r.putNull("firstSequence");
                r.putNull("lastSequence");
            } else {
                r.put("firstSequence", firstSequence);
                r.put("lastSequence", lastSequence);
            }
            return r;
        }
    }

    /** Pages through the tenant's log from {@code since}, keeping events up to {@code until}, at most {@code limit}. */
    private Replay replay(Tenant t, Instant since, Instant until, int limit) {
        List<CanonicalEvent> events = new ArrayList<>();
        long after = 0;
        long first = 0;
        long last = 0;
        while (true) {
            List<EventStore.StoredEvent> page = store.events(t.name, new EventStore.EventQuery(since, null, null, after, REPLAY_PAGE));
            for (EventStore.StoredEvent s : page) {
                if (until != null && s.event().time().isAfter(until)) continue;
                if (events.size() == limit) return new Replay(events, true, first, last);
                if (events.isEmpty()) first = s.sequence();
                last = s.sequence();
                events.add(s.event());
            }
            if (page.size() < REPLAY_PAGE) return new Replay(events, false, first, last);
            after = page.getLast().sequence();
        }
    }

    private void permit() {
        if (!replays.tryAcquire()) {
            throw new CharterServer.ApiError(429, "too_many_replays", CONCURRENT_REPLAYS
                    + " dry runs are already running on this server; retry when one is done");
        }
    }

    // ---------------------------------------------------------------- body

    /** The JSON object body, or an empty one when there is none; an unknown field is a 400 with a did-you-mean. */
    private static ObjectNode optionalBody(Context ctx, Set<String> fields) {
        if (ctx.bodyAsBytes().length == 0) return JSON.createObjectNode();
        if (!(CharterServer.body(ctx) instanceof ObjectNode body)) throw new CharterServer.ApiError(400, "wrong_type", "the body must be a JSON object");
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String f = field.getKey();
            if (!fields.contains(f)) {
                throw new CharterServer.ApiError(400, "unknown_field", "unknown field `" + f + "`"
                        + Suggestions.closest(f, fields).map(s -> "; did you mean `" + s + "`?").orElse("")
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(fields)) + ")");
            }
        }
        return body;
    }

    private static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual() || v.asText().isBlank()) throw new CharterServer.ApiError(400, "wrong_type", "`" + field + "` must be a non-empty string");
        return v.asText().trim();
    }

    private static Instant instant(ObjectNode body, String field) {
        String v = text(body, field);
        if (v == null) return null;
        try {
            return CharterServer.inRange(Instant.parse(v), field);
        } catch (DateTimeParseException e) {
            throw new CharterServer.ApiError(400, "bad_parameter", "`" + field + "` is not an ISO-8601 instant such as 2026-03-06T16:00:00Z, got `" + v + "`");
        }
    }

    private static int replayLimit(ObjectNode body) {
        JsonNode v = body.get("limit");
        if (v == null || v.isNull()) return DEFAULT_REPLAY;
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > MAX_REPLAY) {
            throw new CharterServer.ApiError(400, "bad_parameter", "`limit` (stored events replayed) must be an integer from 1 to " + MAX_REPLAY);
        }
        return v.asInt();
    }
}
