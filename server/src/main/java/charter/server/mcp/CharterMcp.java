package charter.server.mcp;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.CatalogSearch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Charter as an MCP server: every intent of the live Program is a tool, beside tools to read an
 * entity, trace an action or decision, override a soft denial and simulate or diff a Program
 * change, and resources for the Program's files, the catalog and entities. Each tool is one call
 * of the REST API made with the caller's token ({@link Gateway}), so MCP and REST decide,
 * check and record alike. The transport (Streamable HTTP per tenant, or stdio) is the caller's.
 */
public final class CharterMcp implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CharterMcp.class);
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** The tools every Program has; an intent of the same name becomes {@code intent_NAME}. */
    public static final List<String> FIXED_TOOLS = List.of("get_entity", "trace", "override", "simulate", "diff");
    /** The tools a server offers when it has their REST routes; an intent of the same name is renamed too, whether offered or not. */
    public static final List<String> OPTIONAL_TOOLS = List.of("search", "explain", "approve", "reject");

    private final McpSyncServer server;
    private final Gateway api;
    private final Function<McpSyncServerExchange, Caller> callers;
    /** The intent tools registered now, by tool name. */
    private final Map<String, IntentSpec> intentTools = new LinkedHashMap<>();
    private String version;
    private final ToolArgumentValidator arguments = new ToolArgumentValidator();

    private CharterMcp(McpServer.SyncSpecification<?> spec, Gateway api, Function<McpSyncServerExchange, Caller> callers,
                       String version, List<IntentSpec> intents, Set<String> operations) {
        this.api = api;
        this.callers = callers;
        this.version = version;
        List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>(fixedTools());
        tools.addAll(optionalTools(operations));
        for (IntentSpec i : intents) {
            intentTools.put(toolName(i), i);
            tools.add(intentTool(i));
        }
        this.server = spec
                .serverInfo("charter", CharterMcp.class.getPackage().getImplementationVersion() == null ? "dev"
                        : CharterMcp.class.getPackage().getImplementationVersion())
                .instructions("Charter decides intents against the company's Program. Each intent is a tool: call it to have the intent "
                        + "decided (allow, needs-override or deny, with every reason); pass dry_run=true to ask without recording. "
                        + "Read resources charter://program/{+path}, charter://catalog and charter://entity/{type}/{+key}.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, true).build())
                .jsonSchemaValidator(arguments)
                .uriTemplateManagerFactory(new ReservedUriTemplates())
                .tools(tools)
                .resources(resources())
                .resourceTemplates(resourceTemplates())
                .build();
    }

    /**
     * @param spec    the SDK's server builder over a transport
     * @param callers who calls, from the exchange (the token and actor of the request, or fixed for stdio)
     */
    public static CharterMcp start(McpServer.SyncSpecification<?> spec, Gateway api, Function<McpSyncServerExchange, Caller> callers,
                                   String programVersion, List<IntentSpec> intents, Set<String> operations) {
        return new CharterMcp(spec, api, callers, programVersion, intents, operations);
    }

    /**
     * The operations ("GET /v1/search") of a server's OpenAPI document: a tool whose REST route the
     * server does not have is not offered.
     */
    public static Set<String> operations(JsonNode openApi) {
        Set<String> ops = new LinkedHashSet<>();
        for (var path : openApi.path("paths").properties()) {
            for (var op : path.getValue().properties()) ops.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
        }
        return ops;
    }

    /** The Program version whose intents are the tools now. */
    public synchronized String version() {
        return version;
    }

    /**
     * A new Program is live: its intents replace the old ones as tools, and connected clients are
     * told ({@code notifications/tools/list_changed}) once the list is whole.
     */
    public synchronized void programChanged(String newVersion, List<IntentSpec> intents) {
        version = newVersion;
        Map<String, IntentSpec> next = new LinkedHashMap<>();
        for (IntentSpec i : intents) next.put(toolName(i), i);
        if (next.equals(intentTools)) return;
        arguments.forget();
        // Removed and added through the async server, which notifies once per change; the last notification follows the whole list.
        for (String name : new ArrayList<>(intentTools.keySet())) {
            if (!next.containsKey(name) || !next.get(name).equals(intentTools.get(name))) {
                server.removeTool(name);
                intentTools.remove(name);
            }
        }
        for (var e : next.entrySet()) {
            if (!intentTools.containsKey(e.getKey())) {
                server.addTool(intentTool(e.getValue()));
                intentTools.put(e.getKey(), e.getValue());
            }
        }
        LOG.info("MCP tools now the {} intents of Program {}", intentTools.size(), newVersion);
    }

    /** The names of the intent tools now (for tests). */
    public synchronized Set<String> intentToolNames() {
        return new LinkedHashSet<>(intentTools.keySet());
    }

    @Override
    public void close() {
        server.closeGracefully();
    }

    static String toolName(IntentSpec i) {
        return FIXED_TOOLS.contains(i.name()) || OPTIONAL_TOOLS.contains(i.name()) ? "intent_" + i.name() : i.name();
    }

    // ---------------------------------------------------------------- intent tools

    private McpServerFeatures.SyncToolSpecification intentTool(IntentSpec i) {
        String title = i.title() == null || i.title().isBlank() ? "Intent " + i.name() : i.title();
        String description = title + " (Charter intent `" + i.name() + "`: decides allow, needs-override or deny with every reason"
                + (i.resolvesActions() ? "; when allowed, plans actions on " + String.join(", ", i.tools()) : "; plans no actions") + ")";
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(toolName(i))
                .title(title)
                .description(description)
                .inputSchema(i.inputSchema())
                // A decision is recorded (it is not read-only); only an intent that resolves to actions reaches outside Charter.
                .annotations(new McpSchema.ToolAnnotations(title, false, i.resolvesActions(), false, i.resolvesActions(), null))
                .build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> decide(i, callers.apply(exchange), request.arguments()))
                .build();
    }

    private McpSchema.CallToolResult decide(IntentSpec intent, Caller caller, Map<String, Object> arguments) {
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        Set<String> paramNames = new LinkedHashSet<>();
        intent.params().forEach(p -> paramNames.add(p.name()));
        ObjectNode body = JSON.createObjectNode();
        body.put("intent", intent.name());
        body.put("actor", caller.actor());
        ObjectNode params = body.putObject("params");
        for (var e : args.entrySet()) {
            if (paramNames.contains(e.getKey())) params.set(e.getKey(), JSON.valueToTree(e.getValue()));
        }
        if (!paramNames.contains(IntentSpec.REASON) && args.get(IntentSpec.REASON) instanceof String reason) body.put("reason", reason);
        if (!paramNames.contains(IntentSpec.DRY_RUN) && args.get(IntentSpec.DRY_RUN) instanceof Boolean dry) body.put("dry_run", dry);
        return call(() -> {
            JsonNode d = api.post(caller, "/v1/intents", body);
            return result(DecisionText.of(d), d);
        });
    }

    // ---------------------------------------------------------------- the other tools

    private List<McpServerFeatures.SyncToolSpecification> fixedTools() {
        return List.of(
                tool("get_entity", "Read an entity", "An entity of the tenant's graph (a repository, deployment, issue, person...) with its claims and relations, as GET /v1/entities/{type}/{key}.",
                        true, schema(Map.of("type", str("Entity type, such as repository, deployment, issue, person"), "key", str("Entity key, such as acme/api")), List.of("type", "key")),
                        (c, a) -> api.get(c, "/v1/entities/" + enc(text(a, "type")) + "/" + enc(text(a, "key")))),
                tool("trace", "Trace an action or decision", "Why an action, violation, error or intent decision happened: the rule or invariants, the events and the Program version, as GET /v1/trace/{id}.",
                        true, schema(Map.of("id", str("An action, violation or error id (GET /v1/actions...), or an intent id")), List.of("id")),
                        (c, a) -> api.get(c, "/v1/trace/" + enc(text(a, "id")))),
                tool("override", "Override a soft denial", "Override the soft denials of a recorded needs-override decision, as you (the token's holder), with a reason; as POST /v1/intents/{id}/override.",
                        false, schema(Map.of("intent_id", str("The intent id of the needs-override decision"), "reason", str("Why the soft invariants may be overridden this time")), List.of("intent_id", "reason")),
                        (c, a) -> {
                            ObjectNode body = JSON.createObjectNode().put("actor", c.actor()).put("reason", text(a, "reason"));
                            return api.post(c, "/v1/intents/" + enc(text(a, "intent_id")) + "/override", body);
                        }),
                tool("simulate", "Simulate the Program on history", "Replay the tenant's stored events (and optional intents) through the live Program, one at a revision of its repository, "
                                + "or a change proposed as text (`files`: path to content on top of that Program's files), changing nothing and sending nothing; the body of POST /v1/simulate.",
                        true, passThrough(Map.of("since", str("ISO-8601 instant: replay events from here"), "until", str("ISO-8601 instant: replay up to here"),
                                "limit", Map.of("type", "integer", "minimum", 1), "program", str("`live` or a revision (commit, branch, tag) of the Program's repository"),
                                "intents", Map.of("type", "array", "items", Map.of("type", "object")),
                                "files", PROPOSED_FILES)),
                        (c, a) -> api.post(c, "/v1/simulate", JSON.valueToTree(a))),
                tool("diff", "Diff two Program revisions against history", "What a Program change would change: the semantic diff between two revisions, or between `from` (the live Program by default) "
                                + "and a change proposed as text (`files` in place of `to`), and its impact replayed on the tenant's events; the body of POST /v1/diff.",
                        true, passThrough(Map.of("from", str("Revision before (default: the live Program)"), "to", str("Revision after (default: the branch's tip)"),
                                "since", str("ISO-8601 instant: replay events from here"), "limit", Map.of("type", "integer", "minimum", 1),
                                "examples", Map.of("type", "integer", "minimum", 0), "files", PROPOSED_FILES)),
                        (c, a) -> api.post(c, "/v1/diff", JSON.valueToTree(a))));
    }

    /** A Program change proposed as text; the server bounds it (POST /v1/simulate says how far). */
    private static final Map<String, Object> PROPOSED_FILES = Map.of("type", "object",
            "description", "A proposed Program change: path (such as rules/new.charter) to the file's whole new content, "
                    + "or null to remove the file, on top of the base Program's files",
            "minProperties", 1,
            "additionalProperties", Map.of("type", List.of("string", "null")));

    /**
     * Tools over REST routes that not every server has. {@code search}: full-text search over the
     * tenant's events and entities with citations, when the server has {@code GET /v1/search}; each
     * argument is passed as the query parameter of the same name, so the tool follows the route's
     * own parameters. {@code explain}: {@code POST /v1/explain}, {@code charter explain} on the
     * stored log. {@code approve} and {@code reject}: an action waiting for approval in the outbox,
     * decided as the token's holder.
     */
    private List<McpServerFeatures.SyncToolSpecification> optionalTools(Set<String> operations) {
        List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
        if (operations.contains("GET /v1/search")) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("q", str("The words to search for"));
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "object");
            schema.put("properties", props);
            schema.put("required", List.of("q"));
            // the route's filters (source, type, time range, entity, limit...) pass through as they are named there
            schema.put("additionalProperties", Map.of("type", List.of("string", "number", "boolean")));
            tools.add(tool("search", "Search what Charter remembers",
                    "Full-text search over the tenant's events and entities, each hit citing its event id, source link and matched text; "
                            + "the arguments are the query parameters of GET /v1/search (q, and its filters).",
                    true, schema, (c, a) -> api.get(c, "/v1/search?" + query(a))));
        }
        if (operations.contains("POST /v1/explain")) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("id", str("The rule or invariant to explain"));
            props.put("event", str("A stored event's id: why the rule fired or did not for it (or an every … has … invariant was violated)"));
            props.put("intent", str("A recorded decision's intent id (or the id of one of `intents`): why a deny guard denied it or did not"));
            props.put("intents", Map.of("type", "array", "items", Map.of("type", "object"), "description", "Intents, as the simulate tool takes them"));
            props.put("since", str("ISO-8601 instant: replay stored events from here"));
            props.put("at", str("ISO-8601 instant: end the run here"));
            props.put("limit", Map.of("type", "integer", "minimum", 1));
            props.put("program", str("`live` or a revision of the Program's repository"));
            props.put("files", PROPOSED_FILES);
            tools.add(tool("explain", "Explain a rule or invariant",
                    "Why a rule fired or did not for a stored event, why an invariant denied an intent or did not: each condition with its "
                            + "value on the events it was checked on, the windows, the nearest events; the body of POST /v1/explain.",
                    true, schema(props, List.of("id")), (c, a) -> api.post(c, "/v1/explain", JSON.valueToTree(a))));
        }
        for (String command : List.of("approve", "reject")) {
            if (!operations.contains("POST /v1/actions/{id}/" + command)) continue;
            tools.add(tool(command, command.equals("approve") ? "Approve an action" : "Reject an action",
                    (command.equals("approve") ? "Approve an action waiting for approval, so it is carried out"
                            : "Reject an action waiting for approval, so it is never carried out")
                            + ", as you (the token's holder, who must be one of its approvers), with a reason; as POST /v1/actions/{id}/" + command + ".",
                    false, schema(Map.of("action_id", str("The action's id (GET /v1/actions?status=awaiting_approval lists them)"),
                            "reason", str("Why")), List.of("action_id", "reason")),
                    (c, a) -> api.post(c, "/v1/actions/" + enc(text(a, "action_id")) + "/" + command,
                            JSON.createObjectNode().put("actor", c.actor()).put("reason", text(a, "reason")))));
        }
        return tools;
    }

    private static String query(Map<String, Object> args) {
        List<String> parts = new ArrayList<>();
        args.forEach((k, v) -> parts.add(enc(k) + "=" + enc(String.valueOf(v))));
        return String.join("&", parts);
    }

    private interface RestCall {
        JsonNode call(Caller caller, Map<String, Object> arguments);
    }

    private McpServerFeatures.SyncToolSpecification tool(String name, String title, String description, boolean readOnly,
                                                         Map<String, Object> schema, RestCall rest) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).title(title).description(description).inputSchema(schema)
                // approving lets an action reach its tool outside Charter
                .annotations(new McpSchema.ToolAnnotations(title, readOnly, name.equals("approve"), readOnly, name.equals("approve"), null))
                .build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> {
                    Caller caller = callers.apply(exchange);
                    Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
                    return call(() -> {
                        JsonNode out = rest.call(caller, args);
                        return result(name.equals("override") ? DecisionText.of(out) : pretty(out), out);
                    });
                })
                .build();
    }

    private static Map<String, Object> str(String description) {
        return Map.of("type", "string", "minLength", 1, "description", description);
    }

    private static Map<String, Object> schema(Map<String, Object> props, List<String> required) {
        return Map.of("type", "object", "properties", new LinkedHashMap<>(props), "required", required, "additionalProperties", false);
    }

    private static Map<String, Object> passThrough(Map<String, Object> props) {
        return schema(props, List.of());
    }

    private static String text(Map<String, Object> args, String name) {
        return String.valueOf(args.get(name));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---------------------------------------------------------------- results and errors

    private interface Work {
        McpSchema.CallToolResult run();
    }

    /**
     * A refusal the agent can act on (a bad parameter, an unknown id, a decision not overridable, an
     * override the Program does not allow this actor) is a tool result with {@code isError}, as the MCP
     * specification asks; a token that may not do this (401, 403) is a JSON-RPC error, and so is
     * nothing else.
     */
    /** 403s that are the Program's answer about this caller and this intent or action, not about the token's rights. */
    private static final Set<String> PROGRAMS_ANSWERS = Set.of("override_not_allowed", "not_an_approver");

    private static McpSchema.CallToolResult call(Work work) {
        try {
            return work.run();
        } catch (ApiFailure f) {
            // An override or approval the Program does not allow is the Program's answer about this intent or action,
            // not the token's rights: the agent reads who may, so it is a tool result too.
            if ((f.status() == 401 || f.status() == 403) && !PROGRAMS_ANSWERS.contains(f.code())) {
                throw McpError.builder(McpSchema.ErrorCodes.INVALID_REQUEST).message(f.getMessage()).data(Map.of("code", f.code(), "status", f.status())).build();
            }
            StringBuilder text = new StringBuilder(f.code()).append(": ").append(f.getMessage());
            JsonNode problems = f.body() == null ? null : f.body().path("error").path("problems");
            if (problems != null && problems.isArray()) problems.forEach(p -> text.append("\n- ").append(p.asText()));
            Object structured = f.body() != null && f.body().isObject() ? toMap(f.body()) : Map.of("error", Map.of("code", f.code(), "message", f.getMessage()));
            return McpSchema.CallToolResult.builder().addTextContent(text.toString()).structuredContent(structured).isError(true).build();
        }
    }

    private static McpSchema.CallToolResult result(String text, JsonNode structured) {
        // the tree as it is: the SDK's Jackson writes a JsonNode as it would the Map it converts to
        return McpSchema.CallToolResult.builder().addTextContent(text).structuredContent(structured).isError(false).build();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode node) {
        return JSON.convertValue(node, Map.class);
    }

    private static String pretty(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (Exception e) {
            return n.toString();
        }
    }

    // ---------------------------------------------------------------- resources

    private List<McpServerFeatures.SyncResourceSpecification> resources() {
        McpSchema.Resource catalog = McpSchema.Resource.builder().uri("charter://catalog").name("catalog").title("Catalog of event types, entities and tools")
                .description("Every event type of each source with its fields, every entity type with its attributes, every tool with its arguments.")
                .mimeType("application/json").build();
        McpSchema.Resource program = McpSchema.Resource.builder().uri("charter://program").name("program").title("The live Program's files")
                .description("The files of the live Program (path and size); read one as charter://program/{+path}.")
                .mimeType("application/json").build();
        return List.of(
                new McpServerFeatures.SyncResourceSpecification(catalog, (ex, req) -> json(req.uri(), catalogJson())),
                new McpServerFeatures.SyncResourceSpecification(program, (ex, req) -> read(req.uri(), () -> api.get(callers.apply(ex), "/v1/program/files"))));
    }

    private List<McpServerFeatures.SyncResourceTemplateSpecification> resourceTemplates() {
        var file = McpSchema.ResourceTemplate.builder("charter://program/{+path}", "program-file").title("A file of the live Program")
                .description("One file of the live Program at the live commit, such as charter://program/charter.yaml").mimeType("text/plain").build();
        var entity = McpSchema.ResourceTemplate.builder("charter://entity/{type}/{+key}", "entity").title("An entity with its claims and relations")
                .description("Such as charter://entity/repository/acme/api").mimeType("application/json").build();
        return List.of(
                new McpServerFeatures.SyncResourceTemplateSpecification(file, (ex, req) -> {
                    String path = req.uri().substring("charter://program/".length());
                    JsonNode f = fetch(req.uri(), () -> api.get(callers.apply(ex), "/v1/program/files/" + encPath(path)));
                    return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(req.uri(), "text/plain", f.path("text").asText())));
                }),
                new McpServerFeatures.SyncResourceTemplateSpecification(entity, (ex, req) -> {
                    String rest = req.uri().substring("charter://entity/".length());
                    int slash = rest.indexOf('/');
                    if (slash < 1 || slash == rest.length() - 1) throw McpError.RESOURCE_NOT_FOUND.apply(req.uri());
                    return read(req.uri(), () -> api.get(callers.apply(ex), "/v1/entities/" + enc(rest.substring(0, slash)) + "/" + enc(rest.substring(slash + 1))));
                }));
    }

    private static String encPath(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/", -1)) parts.add(enc(p));
        return String.join("/", parts);
    }

    private interface Fetch {
        JsonNode get();
    }

    private static JsonNode fetch(String uri, Fetch f) {
        try {
            return f.get();
        } catch (ApiFailure e) {
            if (e.status() == 404) throw McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND).message(e.getMessage()).data(Map.of("uri", uri)).build();
            int code = e.status() == 401 || e.status() == 403 || e.status() == 400 ? McpSchema.ErrorCodes.INVALID_REQUEST : McpSchema.ErrorCodes.INTERNAL_ERROR;
            throw McpError.builder(code).message(e.getMessage()).data(Map.of("code", e.code(), "status", e.status())).build();
        }
    }

    private static McpSchema.ReadResourceResult read(String uri, Fetch f) {
        return json(uri, fetch(uri, f));
    }

    private static McpSchema.ReadResourceResult json(String uri, JsonNode n) {
        return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, "application/json", pretty(n))));
    }

    /** The catalog is the same for every tenant and Program: the standard one, built on first read. */
    private volatile JsonNode catalog;

    private JsonNode catalogJson() {
        JsonNode c = catalog;
        if (c != null) return c;
        ObjectNode root = JSON.createObjectNode();
        ArrayNode entries = root.putArray("entries");
        for (CatalogSearch.Entry e : new CatalogSearch(Catalog.standard()).all()) {
            ObjectNode n = entries.addObject();
            n.put("kind", e.kind());
            n.put("name", e.name());
            switch (e) {
                case CatalogSearch.Entry.Event ev -> n.set("spec", JSON.valueToTree(ev.spec()));
                case CatalogSearch.Entry.Entity en -> n.set("spec", JSON.valueToTree(en.spec()));
                case CatalogSearch.Entry.Tool t -> n.set("spec", JSON.valueToTree(t.spec()));
            }
        }
        catalog = root;
        return root;
    }
}
