package charter.cli;

import charter.engine.json.SearchJson;
import charter.engine.search.BadSearchQuery;
import charter.engine.search.SearchIndex;
import charter.engine.search.SearchIndexer;
import charter.engine.search.SearchQuery;
import charter.engine.search.SearchResult;
import charter.engine.search.SearchService;
import charter.engine.store.EventStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "search", description = {
        "Search what Charter remembers: the tenant's events, by their words, with citations (event id, link, matched text).",
        "Locally (--data DIR, --tenant T: the index is brought up to the log first, and rebuilt if missing),",
        "or on a running server (--server URL, token with the `read` scope in CHARTER_TOKEN).",
        "Exit codes: 0 answered (even with no hit), 1 user error (a bad filter, no store), 2 internal error."})
final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /**
     * Lucene warns on stderr (java.util.logging) that the JDK's vector module is not enabled; the
     * CLI's output stays clean. Held here: java.util.logging keeps its loggers only weakly.
     */
    private static final java.util.logging.Logger LUCENE_VECTORS = java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "WORDS",
            description = "What to look for: words, \"a phrase\", -without, prefix*. May be left out with --entity.")
    String words = "";

    @Option(names = "--source", paramLabel = "S", description = "Only events of this source (github, vercel, linear, sentry). Repeatable.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--type", paramLabel = "T", description = "Only events of this type (vercel.deployment.error). Repeatable.")
    List<String> types = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME", converter = InstantConverter.class, description = "Only events at or after this ISO-8601 time.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = InstantConverter.class, description = "Only events before this ISO-8601 time.")
    Instant until;

    @Option(names = "--entity", paramLabel = "TYPE:KEY", description = "Only events that mention this entity (deployment:dpl_8f2k).")
    String entity;

    @Option(names = "--expand", description = "Also list what happened around: the events of the entities next to the hits' in the graph.")
    boolean expand;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N hits, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    StoreOptions store;

    @Option(names = "--server", paramLabel = "URL", description = "Search on this running server (GET URL/v1/search) with the token in $" + IntentCommand.TOKEN_VARIABLE + ".")
    URI server;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text for people, json for machines: the shape of GET /v1/search (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    /** The process environment (the token); set by {@link Main#run}. */
    Map<String, String> env = Map.of();

    @Override
    public Integer call() throws IOException, InterruptedException {
        LUCENE_VECTORS.setLevel(java.util.logging.Level.SEVERE);
        SearchQuery q = new SearchQuery(words, new LinkedHashSet<>(sources), new LinkedHashSet<>(types), since, until, entity, expand, limit);
        String problem = q.problem();
        if (problem != null) throw new UserError(problem);
        JsonNode result = server != null ? onServer(q) : SearchJson.of(locally(q));
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) out.println(JSON.writeValueAsString(result));
        else print(result, out);
        out.flush();
        return 0;
    }

    private SearchResult locally(SearchQuery q) {
        try (EventStore s = store.openExisting();
             SearchIndex index = SearchIndex.open(store.tenant(), SearchIndex.folder(store.data(), store.tenant()))) {
            SearchIndexer.catchUp(s, store.tenant(), index);
            return new SearchService(tenant -> index, s).search(store.tenant(), q);
        } catch (BadSearchQuery | IllegalStateException e) {
            throw new UserError(e.getMessage() + (e instanceof IllegalStateException ? "; search it with --server URL" : ""));
        }
    }

    private JsonNode onServer(SearchQuery q) throws IOException, InterruptedException {
        String token = env.getOrDefault(IntentCommand.TOKEN_VARIABLE, "");
        if (token.isBlank()) {
            throw new UserError("--server needs a token: set " + IntentCommand.TOKEN_VARIABLE + " to an API token with the `read` scope (charter token create)");
        }
        StringBuilder query = new StringBuilder("q=").append(encode(q.text())).append("&limit=").append(q.limit());
        q.sources().forEach(v -> query.append("&source=").append(encode(v)));
        q.types().forEach(v -> query.append("&type=").append(encode(v)));
        if (q.since() != null) query.append("&since=").append(q.since());
        if (q.until() != null) query.append("&until=").append(q.until());
        if (q.entity() != null) query.append("&entity=").append(encode(q.entity()));
        if (q.expand()) query.append("&expand=true");
        return ServerCall.send(server.toString(), "GET", "/v1/search?" + query, token, null, reply -> reply.has("hits"),
                "the server refused the search");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One block per hit: score, time, type and id; its link; the matched text. */
    static void print(JsonNode r, PrintWriter out) {
        long total = r.path("total").asLong();
        out.println(total + (total == 1 ? " event matches" : " events match") + (r.path("query").asText().isEmpty() ? "" : " \"" + r.path("query").asText() + "\"")
                + (r.path("hits").size() < total ? ", the best " + r.path("hits").size() : "") + " (index up to log #" + r.path("indexedUpTo").asLong() + ")");
        for (JsonNode h : r.path("hits")) hit(h, out);
        if (!r.path("around").isEmpty()) {
            out.println("around, through the graph:");
            for (JsonNode h : r.path("around")) hit(h, out);
        }
    }

    private static void hit(JsonNode h, PrintWriter out) {
        out.printf("  %.3f  %s  %s  %s%n", h.path("score").asDouble(), h.path("time").asText(), h.path("type").asText(), h.path("eventId").asText());
        if (h.hasNonNull("via")) out.println("         via " + h.path("via").asText());
        if (h.hasNonNull("link")) out.println("         " + h.path("link").asText());
        out.println("         " + h.path("matched").asText().replace('\n', ' '));
    }
}
