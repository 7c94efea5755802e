package charter.cli;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.Simulator;
import charter.engine.store.EventStore;
import charter.engine.store.StoreException;
import charter.server.CharterServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "intent", description = {
        "Decide one intent: against a local Program (--program DIR) and its state from --events FILE or --from-store,",
        "exactly as `charter simulate` would decide it; or against a running server (--server URL, token in CHARTER_TOKEN).",
        "Prints the verdict, every denial (invariant, level, reason, location), the planned actions and the Program version.",
        "Exit codes: 0 allow, 3 needs-override, 4 deny, 1 user error, 2 internal error."})
final class IntentCommand implements Callable<Integer> {
    static final String TOKEN_VARIABLE = "CHARTER_TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The intent, as the Program declares it (e.g. ship).")
    String name;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "A parameter, typed by the intent's declaration (number, true/false, 30m, an ISO-8601 time, a list as a,b,c). Repeatable.")
    List<String> params = new ArrayList<>();

    @Option(names = "--actor", required = true, paramLabel = "WHO", description = "Who sends the intent.")
    String actor;

    @Option(names = "--reason", paramLabel = "R", description = "Why (the intent's `reason`).")
    String reason;

    @Option(names = "--dry-run", description = "With --server: decide without recording anything. (Locally nothing is ever recorded.)")
    boolean dryRun;

    @Option(names = "--override-by", paramLabel = "P", description = "Override soft denials as this person (with --override-reason).")
    String overrideBy;

    @Option(names = "--override-reason", paramLabel = "R", description = "Why the override (with --override-by).")
    String overrideReason;

    @Option(names = "--program", paramLabel = "DIR", description = "The Program folder (default: the current directory). With --server: only types the parameters (by default the server's live Program types them).")
    Path program;

    @Option(names = "--events", paramLabel = "FILE", description = "The state: canonical events (JSONL), replayed up to the intent's time.")
    Path events;

    @Option(names = "--from-store", description = "The state: the stored event log (see --data, --tenant).")
    boolean fromStore;

    @Mixin
    StoreOptions store;

    @Option(names = "--time", paramLabel = "TIME", converter = InstantConverter.class,
            description = "When the intent is sent (ISO-8601; default: the last event's time, or now). A server accepts only about now.")
    Instant time;

    @Option(names = "--server", paramLabel = "URL", description = "Decide on this running server (POST URL/v1/intents) with the token in $" + TOKEN_VARIABLE + ".")
    URI server;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text for people, json for machines: the server's decision response (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    /** The process environment (the token); set by {@link Main#run}. */
    Map<String, String> env = Map.of();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if ((overrideBy == null) != (overrideReason == null)) {
            throw new UserError("an override needs both --override-by P and --override-reason R");
        }
        JsonNode decision = server != null ? onServer() : locally();
        if (format == OutputFormat.json) {
            spec.commandLine().getOut().println(JSON.writeValueAsString(decision));
            spec.commandLine().getOut().flush();
        } else {
            DecisionText.print(decision, spec.commandLine().getOut());
        }
        return DecisionText.exitCode(decision);
    }

    /** The request body of POST /v1/intents (and a line of an intents file), params typed by the declaration if known. */
    private ObjectNode request(Map<String, String> declared) {
        ObjectNode body = JSON.createObjectNode();
        body.put("intent", name);
        body.put("actor", actor);
        body.set("params", IntentParams.typed(name, params, declared));
        if (reason != null) body.put("reason", reason);
        if (overrideBy != null) body.putObject("override").put("actor", overrideBy).put("reason", overrideReason);
        return body;
    }

    private JsonNode locally() {
        if (fromStore == (events != null)) {
            throw new UserError(fromStore ? "give either --events FILE or --from-store, not both"
                    : "missing the state to decide against: give --events FILE, --from-store, or --server URL");
        }
        if (events != null) Programs.requireFile(events, "events file");
        Path dir = program == null ? Path.of(".") : program;
        Compilation c = Programs.compile(dir);
        if (!c.ok()) {
            throw new UserError("the Program in " + dir + " does not compile (" + c.errorCount()
                    + " errors); run charter check " + dir);
        }
        CompiledProgram compiled = c.program();
        List<CanonicalEvent> replayed = state();
        Instant at = time != null ? time : replayed.isEmpty() ? Instant.now() : replayed.getLast().time();

        CompiledProgram.IntentInfo info = compiled.intents().get(name);
        ObjectNode body = request(info == null ? null : info.params());
        body.put("id", "cli-" + name);
        body.put("time", at.toString());
        List<String> problems = new ArrayList<>();
        IntentRequest request = new IntentFileReader(compiled).request(body, problems);
        if (!problems.isEmpty() || request == null) throw new UserError(String.join("; ", problems));

        var result = new Simulator().run(compiled, replayed, List.of(request), at);
        TimelineEntry.Decision d = result.timeline().stream()
                .filter(e -> e instanceof TimelineEntry.Decision dec && dec.intentId().equals(request.id()))
                .map(TimelineEntry.Decision.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the simulator decided no intent `" + request.id() + "`"));
        return CharterServer.decisionJson(d, null, true);
    }

    /** The events before the intent, from the file or the store, in time order as the simulator takes them. */
    private List<CanonicalEvent> state() {
        List<CanonicalEvent> all;
        if (fromStore) {
            try (EventStore s = store.openExisting()) {
                all = s.events(store.tenant(), new EventStore.EventQuery(null, null, null, 0, Integer.MAX_VALUE))
                        .stream().map(EventStore.StoredEvent::event).toList();
            } catch (StoreException e) {
                throw new UserError(e.getMessage());
            }
        } else {
            EventFileResult read = new EventFileReader().read(events);
            if (!read.errors().isEmpty()) {
                throw new UserError(read.errors().getFirst() + (read.errors().size() > 1 ? " (and " + (read.errors().size() - 1) + " more)" : ""));
            }
            all = read.events();
        }
        List<CanonicalEvent> sorted = new ArrayList<>(all);
        sorted.sort(java.util.Comparator.comparing(CanonicalEvent::time));
        return sorted;
    }

    /**
     * The intent's parameter types as the server's live Program declares them ({@code GET
     * /v1/program/intents}), or null when the token may not read them or the intent is unknown:
     * then the values go as text and the server's answer names what is wrong.
     */
    private Map<String, String> declaredOnServer(String token) throws InterruptedException {
        if (params.isEmpty()) return null;
        JsonNode listing;
        try {
            listing = ServerCall.send(server.toString(), "GET", "/v1/program/intents", token, null, reply -> reply.has("intents"),
                    "the server refused to list its intents");
        } catch (UserError e) {
            return null;
        }
        for (JsonNode intent : listing.get("intents")) {
            if (!intent.path("name").asText().equals(name)) continue;
            Map<String, String> types = new java.util.LinkedHashMap<>();
            for (JsonNode p : intent.path("params")) types.put(p.path("name").asText(), p.path("type").asText());
            return types;
        }
        return null;
    }

    private JsonNode onServer() throws IOException, InterruptedException {
        if (events != null || fromStore) throw new UserError("--events and --from-store decide locally; a server decides against its own state");
        String token = env.getOrDefault(TOKEN_VARIABLE, "");
        if (token.isBlank()) {
            throw new UserError("--server needs a token: set " + TOKEN_VARIABLE + " to an API token with the `intents` scope (charter token create)");
        }
        Map<String, String> declared = null;
        if (program != null) {
            Compilation c = Programs.compile(program);
            CompiledProgram.IntentInfo info = c.ok() ? c.program().intents().get(name) : null;
            if (info != null) declared = info.params();
        } else {
            declared = declaredOnServer(token);
        }
        ObjectNode body = request(declared);
        if (time != null) body.put("time", time.toString());
        if (dryRun) body.put("dry_run", true);
        return ServerCall.send(server.toString(), "POST", "/v1/intents", token, body, reply -> reply.has("verdict"),
                "the server refused the intent");
    }
}
