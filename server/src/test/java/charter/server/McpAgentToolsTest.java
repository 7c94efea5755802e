package charter.server;

import static charter.server.McpHttpTest.structured;
import static charter.server.McpHttpTest.text;
import static charter.server.ServerHttpTest.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.connect.Guarantee;
import charter.server.act.FakeTool;
import charter.server.act.FakeToolConnector;
import charter.server.act.ToolSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP tools an agent works with beside the intents, over Streamable HTTP with the official
 * SDK's client against a real server: explain a rule, approve or reject an action waiting for
 * approval (as an approver and as someone who is not), and simulate or diff a Program change
 * proposed as text against the tenant's stored log, with nothing recorded and nothing sent.
 */
class McpAgentToolsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A rule an agent proposes: it fires on every failed preview deploy, and says so in #proposals. */
    static final String PROPOSED_RULE = """
            rule tell_proposals "Tell #proposals when a preview deploy fails" {
              when vercel.deployment.error d where d.target == "preview"
              then slack.post(channel: "#proposals", text: "proposed: preview of ${d.project} failed")
            }
            """;

    @TempDir
    static Path tmp;
    static CharterServer server;
    static FakeTool tool;
    static String alice;      // acme, intents: of team platform, which approves slack
    static String dave;       // acme, intents: of team product, not an approver
    static String reader;     // acme, read only
    static String beta;       // beta, admin
    static String mainCharter;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        tool = new FakeTool(true);
        Path tokens = tmp.resolve("tokens.jsonl");
        alice = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.INTENTS, TokenStore.Scope.READ), "alice", null);
        dave = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.INTENTS, TokenStore.Scope.READ), "dave", null);
        reader = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ), "rita", null);
        beta = TokenStore.create(tokens, "beta", EnumSet.of(TokenStore.Scope.ADMIN), "erin", null);
        Path acme = ServerActionsTest.copyOf(ACME, tmp.resolve("program-acme"));
        Files.writeString(acme.resolve("charter.yaml"), "name: acme\nmain: main.charter\ntimezone: UTC\nconnectors:\n"
                + "  slack:\n    mode: approval\n    approvers: [team:platform]\n");
        mainCharter = Files.readString(acme.resolve("main.charter"));
        Path betaDir = tmp.resolve("beta-program");
        Files.createDirectories(betaDir);
        Files.writeString(betaDir.resolve("charter.yaml"), "name: beta\ntimezone: UTC\nsources: [vercel]\n");
        Files.writeString(betaDir.resolve("main.charter"), McpHttpTest.BETA_PROGRAM);
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("acme", new ServerConfig.TenantConfig("acme", acme, null, null, null, Map.of("vercel", FailedDeploy.SECRET))
                .withConnectors(Map.of("slack", new ToolSettings(tool.base(), Map.of("token", "xoxb-secret"), Map.of(), 4, 100))));
        tenants.put("beta", new ServerConfig.TenantConfig("beta", betaDir, null, null, null, Map.of("vercel", FailedDeploy.SECRET)));
        // the server's default body limit (1 MiB), so the proposal's own bound is what refuses a large one
        server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, ServerConfig.DEFAULT_MAX_BODY, tenants)
                        .withActions(new charter.server.act.ActSettings(new charter.server.act.AttemptPolicy(5, Duration.ofMillis(10),
                                Duration.ofMillis(100)), Duration.ofSeconds(30), Duration.ofMillis(20), true))
                        .withHttp(McpClients.SERVER_LIMITS),
                List.of(FakeToolConnector.factory(Guarantee.EXACTLY_ONCE, Set.of("slack.post"))));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (tool != null) tool.close();
    }

    static JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** A failed preview deploy for acme, and the id of the stored event and of the slack.post acme's preview_deploy_failed planned for it. */
    static String[] failedPreview(String delivery) throws Exception {
        HttpResponse<String> r = http.send(FailedDeploy.request("http://127.0.0.1:" + server.port(), "acme", delivery, "dpl_" + delivery).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        String eventId = JSON.readTree(r.body()).get("eventId").asText();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (JsonNode a : get("/v1/actions?rule=preview_deploy_failed&limit=500", reader).get("actions")) {
                if (a.get("provenance").get("eventIds").get(0).asText().equals(eventId)) return new String[] {eventId, a.get("id").asText()};
            }
            Thread.sleep(20);
        }
        fail("no action planned for " + delivery);
        return null;
    }

    static String status(String actionId) throws Exception {
        return get("/v1/actions/" + actionId, reader).get("action").get("status").asText();
    }

    static JsonNode awaitStatus(String actionId, String status) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode a = get("/v1/actions/" + actionId, reader);
            if (a.get("action").get("status").asText().equals(status)) return a;
            Thread.sleep(20);
        }
        fail(actionId + " never became " + status + ": " + get("/v1/actions/" + actionId, reader));
        return null;
    }

    static McpSchema.CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
        return c.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    @Test
    void theNewToolsAreListedWithTheirSchemas() {
        try (McpSyncClient c = McpClients.http(server.port(), reader)) {
            Map<String, McpSchema.Tool> tools = c.listTools().tools().stream().collect(Collectors.toMap(McpSchema.Tool::name, t -> t));
            assertTrue(tools.keySet().containsAll(List.of("explain", "approve", "reject")), tools.keySet().toString());
            assertTrue(tools.get("explain").annotations().readOnlyHint());
            assertFalse(tools.get("approve").annotations().readOnlyHint());
            assertTrue(tools.get("approve").annotations().openWorldHint(), "an approved action reaches its tool");
            JsonNode approve = JSON.valueToTree(tools.get("approve").inputSchema());
            assertEquals(List.of("action_id", "reason"), JSON.convertValue(approve.get("required"), List.class));
            assertFalse(approve.at("/properties").has("actor"), "the actor is the token's holder, never an argument");
            JsonNode simulate = JSON.valueToTree(tools.get("simulate").inputSchema());
            assertEquals("object", simulate.at("/properties/files/type").asText(), simulate.toString());
            assertTrue(JSON.valueToTree(tools.get("diff").inputSchema()).at("/properties/files").isObject());
        }
    }

    @Test
    void explainsWhyARuleFiredForAStoredEventAndWhyAnotherDidNot() throws Exception {
        String eventId = failedPreview("explain-1")[0];
        try (McpSyncClient c = McpClients.http(server.port(), reader)) {
            McpSchema.CallToolResult fired = call(c, "explain", Map.of("id", "preview_deploy_failed", "event", eventId));
            assertFalse(fired.isError(), text(fired));
            JsonNode x = structured(fired);
            assertEquals("fired", x.get("verdict").asText(), x.toString());
            assertTrue(x.get("happened").asBoolean());
            assertEquals(eventId, x.at("/subject/id").asText());
            assertEquals("acme", x.get("tenant").asText());
            assertEquals("live", x.at("/replay/program").asText());
            assertTrue(x.at("/occurrences/0/events").toString().contains(eventId), x.toString());

            McpSchema.CallToolResult notFired = call(c, "explain", Map.of("id", "page_on_failed_prod_deploy", "event", eventId));
            JsonNode y = structured(notFired);
            assertEquals("did-not-fire", y.get("verdict").asText(), y.toString());
            assertFalse(y.get("happened").asBoolean());
            assertTrue(y.at("/steps/0/text").asText().contains("production"), "the condition that failed: " + y.get("steps"));
            assertFalse(y.at("/steps/0/holds").asBoolean(true), "the pattern did not hold: " + y.get("steps"));

            McpSchema.CallToolResult unknown = call(c, "explain", Map.of("id", "preview_deploy_faild", "event", eventId));
            assertTrue(unknown.isError());
            assertTrue(text(unknown).startsWith("cannot_explain: ") && text(unknown).contains("preview_deploy_failed"), "a did-you-mean: " + text(unknown));
            McpSchema.CallToolResult noEvent = call(c, "explain", Map.of("id", "preview_deploy_failed", "event", "evt-never-stored"));
            assertTrue(noEvent.isError() && text(noEvent).contains("evt-never-stored"), text(noEvent));
        }
    }

    @Test
    void explainsWhyAGuardDeniedAnIntentGivenInlineOrRecorded() throws Exception {
        try (McpSyncClient c = McpClients.http(server.port(), reader)) {
            Map<String, Object> intent = Map.of("id", "i-1", "intent", "triage", "actor", "alice", "time", "2026-03-06T10:00:00Z",
                    "params", Map.of("issue_id", "S-1", "assignee", "nobody-we-know"));
            JsonNode x = structured(call(c, "explain", Map.of("id", "triage_to_known_person", "intent", "i-1", "intents", List.of(intent))));
            assertEquals("denied", x.get("verdict").asText(), x.toString());
            assertEquals("triage_to_known_person", x.at("/guards/0/invariant").asText(), x.toString());
        }
        // a decision the agent had recorded: its id alone
        try (McpSyncClient c = McpClients.http(server.port(), alice)) {
            JsonNode decided = structured(call(c, "triage", Map.of("issue_id", "S-9", "assignee", "nobody-we-know")));
            assertEquals("deny", decided.get("verdict").asText(), decided.toString());
            String intentId = decided.get("intentId").asText();
            JsonNode x = structured(call(c, "explain", Map.of("id", "triage_to_known_person", "intent", intentId)));
            assertEquals("denied", x.get("verdict").asText(), x.toString());
            assertEquals(intentId, x.at("/subject/id").asText());
            McpSchema.CallToolResult unknown = call(c, "explain", Map.of("id", "triage_to_known_person", "intent", "int-never-decided"));
            assertTrue(unknown.isError() && text(unknown).startsWith("cannot_explain: no decision `int-never-decided`"), text(unknown));
        }
    }

    @Test
    void aNonApproverIsRefusedWithAToolErrorAndNothingChangesThenAnApproverApprovesAndTheActionIsSent() throws Exception {
        String actionId = failedPreview("approve-1")[1];
        awaitStatus(actionId, "awaiting_approval");
        try (McpSyncClient c = McpClients.http(server.port(), dave)) {
            McpSchema.CallToolResult refused = call(c, "approve", Map.of("action_id", actionId, "reason", "looks fine to me"));
            assertTrue(refused.isError(), "a non-approver's refusal is the tool's answer, not a protocol error");
            assertTrue(text(refused).startsWith("not_an_approver: `dave` may not approve or reject this action; its approvers are team:platform"),
                    text(refused));
            McpSchema.CallToolResult rejectRefused = call(c, "reject", Map.of("action_id", actionId, "reason", "no"));
            assertTrue(rejectRefused.isError() && text(rejectRefused).startsWith("not_an_approver"), text(rejectRefused));
        }
        JsonNode still = get("/v1/actions/" + actionId, reader).get("action");
        assertEquals("awaiting_approval", still.get("status").asText());
        assertFalse(still.has("decision"), "nothing recorded for the refusals: " + still);
        assertEquals(0, tool.appliedCount(actionId));
        try (McpSyncClient c = McpClients.http(server.port(), reader)) {
            McpError scope = org.junit.jupiter.api.Assertions.assertThrows(McpError.class,
                    () -> call(c, "approve", Map.of("action_id", actionId, "reason", "read only")));
            assertTrue(scope.getMessage().contains("intents"), "approving needs the intents scope, as in REST: " + scope.getMessage());
        }
        try (McpSyncClient c = McpClients.http(server.port(), alice)) {
            McpSchema.CallToolResult ok = call(c, "approve", Map.of("action_id", actionId, "reason", "expected: the branch is broken"));
            assertFalse(ok.isError(), text(ok));
            JsonNode a = structured(ok).get("action");
            assertEquals("alice", a.at("/decision/by").asText(), a.toString());
            assertEquals("expected: the branch is broken", a.at("/decision/reason").asText());
            awaitStatus(actionId, "done");
            assertEquals(1, tool.appliedCount(actionId));
            McpSchema.CallToolResult twice = call(c, "reject", Map.of("action_id", actionId, "reason", "too late"));
            assertTrue(twice.isError() && text(twice).startsWith("action_state"), text(twice));
        }
    }

    @Test
    void aRejectedActionIsNeverSent() throws Exception {
        String actionId = failedPreview("reject-1")[1];
        awaitStatus(actionId, "awaiting_approval");
        try (McpSyncClient c = McpClients.http(server.port(), alice)) {
            McpSchema.CallToolResult r = call(c, "reject", Map.of("action_id", actionId, "reason", "noise"));
            assertFalse(r.isError(), text(r));
            // a rejected action is cancelled, with the decision: who and why
            assertEquals("cancelled", structured(r).at("/action/status").asText(), structured(r).toString());
            assertEquals("alice", structured(r).at("/action/decision/by").asText(), structured(r).toString());
            McpSchema.CallToolResult unknown = call(c, "approve", Map.of("action_id", "act-nope", "reason", "x"));
            assertTrue(unknown.isError() && text(unknown).startsWith("unknown_action"), text(unknown));
        }
        Thread.sleep(200);
        assertEquals("cancelled", status(actionId));
        assertEquals(0, tool.appliedCount(actionId));
    }

    /**
     * The agent proposes a rule as text (and, to try to make it act, turns slack live in the same
     * proposal): the simulation plans its slack.post for every stored failed preview deploy, the diff
     * reports the added rule and its firings, and nothing is recorded or sent.
     */
    @Test
    void aRuleProposedAsTextShowsWhatItWouldHaveDoneAndNothingIsRecordedOrSent() throws Exception {
        failedPreview("propose-1");
        failedPreview("propose-2");
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("main.charter", mainCharter.replace("import \"people.charter\"\n", "import \"people.charter\"\nimport \"rules/proposed.charter\"\n"));
        files.put("rules/proposed.charter", PROPOSED_RULE);
        files.put("charter.yaml", "name: acme\nmain: main.charter\ntimezone: UTC\nconnectors:\n  slack.post: live\n");
        long actions = get("/v1/actions?limit=500", reader).get("actions").size();
        long decisions = get("/v1/decisions?limit=500", reader).get("decisions").size();
        int requests = tool.requests.get();
        long stored = get("/v1/events?limit=500", reader).get("events").size();
        try (McpSyncClient c = McpClients.http(server.port(), reader)) {
            McpSchema.CallToolResult sim = call(c, "simulate", Map.of("files", files));
            assertFalse(sim.isError(), text(sim));
            JsonNode s = structured(sim);
            assertEquals("live + 3 proposed files", s.at("/replay/program").asText(), s.get("replay").toString());
            assertEquals(stored, s.at("/replay/events").asLong());
            List<JsonNode> proposed = actionsOf(s, "tell_proposals");
            assertTrue(proposed.size() >= 2, "the proposed rule fires on each stored failed preview: " + s.get("summary"));
            assertEquals("#proposals", proposed.getFirst().at("/args/channel").asText(), proposed.getFirst().toString());
            assertEquals(actionsOf(s, "preview_deploy_failed").size(), proposed.size(), "the same events as the live rule beside it");
            assertTrue(s.at("/replay/warnings").isArray());

            McpSchema.CallToolResult diff = call(c, "diff", Map.of("files", files));
            assertFalse(diff.isError(), text(diff));
            JsonNode d = structured(diff);
            assertTrue(d.get("changes").toString().contains("tell_proposals"), d.get("changes").toString());
            assertTrue(d.at("/impact/actionsAdded/count").asInt() >= 2, "the proposed rule's firings are added actions: " + d.get("impact"));
            assertTrue(d.at("/impact/rules").toString().contains("tell_proposals"), d.get("impact").toString());
            assertEquals("live + 3 proposed files", d.at("/after/source").asText(), d.get("after").toString());

            // Forgetting the import: the compiler's warning says the file is ignored
            JsonNode unimported = structured(call(c, "simulate", Map.of("files", Map.of("rules/proposed.charter", PROPOSED_RULE))));
            assertTrue(actionsOf(unimported, "tell_proposals").isEmpty());
            assertTrue(unimported.at("/replay/warnings").toString().contains("not imported"), unimported.get("replay").toString());
        }
        Thread.sleep(300);   // the dispatcher would have sent by now
        assertEquals(actions, get("/v1/actions?limit=500", reader).get("actions").size(), "no action recorded");
        assertEquals(decisions, get("/v1/decisions?limit=500", reader).get("decisions").size(), "no decision recorded");
        assertEquals(requests, tool.requests.get(), "nothing reached the tool");
        assertEquals(stored, get("/v1/events?limit=500", reader).get("events").size());
        assertFalse(get("/v1/program", reader).toString().contains("proposed"), "the live Program is unchanged");
    }

    static List<JsonNode> actionsOf(JsonNode simulation, String rule) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode entry : simulation.get("timeline")) {
            if (entry.path("kind").asText().equals("action") && entry.at("/provenance/id").asText().equals(rule)) out.add(entry);
        }
        return out;
    }

    @Test
    void aProposalThatDoesNotCompileOrIsTooLargeIsAToolErrorSayingWhere() {
        try (McpSyncClient c = McpClients.http(server.port(), reader)) {
            McpSchema.CallToolResult bad = call(c, "simulate", Map.of("files",
                    Map.of("deploys.charter", "rule broken \"x\" {\n  when vercel.deployment.eror d\n  then slack.post(channel: \"#x\", text: \"y\")\n}\n")));
            assertTrue(bad.isError());
            String t = text(bad);
            assertTrue(t.startsWith("does_not_compile: `files`: the proposed Program does not compile: deploys.charter:2:"), t);
            JsonNode diagnostics = structured(bad).at("/error/diagnostics");
            assertTrue(diagnostics.isArray() && !diagnostics.isEmpty(), structured(bad).toString());
            assertEquals("deploys.charter", diagnostics.get(0).path("file").asText(), diagnostics.toString());
            assertEquals(2, diagnostics.get(0).path("line").asInt(), diagnostics.toString());

            McpSchema.CallToolResult diffBad = call(c, "diff", Map.of("files", Map.of("deploys.charter", "rule {")));
            assertTrue(diffBad.isError() && text(diffBad).startsWith("does_not_compile"), text(diffBad));

            Map<String, Object> many = new LinkedHashMap<>();
            for (int i = 0; i <= ProposedFiles.MAX_FILES; i++) many.put("f" + i + ".charter", "");
            McpSchema.CallToolResult tooMany = call(c, "simulate", Map.of("files", many));
            assertTrue(tooMany.isError() && text(tooMany).startsWith("proposal_too_large"), text(tooMany));
            McpSchema.CallToolResult tooBig = call(c, "diff", Map.of("files", Map.of("big.charter", "//" + "x".repeat(ProposedFiles.MAX_BYTES))));
            assertTrue(tooBig.isError() && text(tooBig).startsWith("proposal_too_large"), text(tooBig));
            for (String path : List.of("../escape.charter", "/etc/passwd.charter", "a//b.charter", ".hidden/x.charter", "notes.txt", "")) {
                McpSchema.CallToolResult r = call(c, "simulate", Map.of("files", Map.of(path, "")));
                assertTrue(r.isError() && text(r).startsWith("bad_proposal"), path + ": " + text(r));
            }
            McpSchema.CallToolResult both = call(c, "diff", Map.of("to", "main", "files", Map.of("x.charter", "")));
            assertTrue(both.isError() && text(both).contains("not both"), text(both));
        }
    }

    @Test
    void anotherTenantsTokenSeesNothingOfTheFirstThroughTheNewTools() throws Exception {
        String[] planned = failedPreview("isolation-1");
        try (McpSyncClient c = McpClients.http(server.port(), beta)) {
            McpSchema.CallToolResult explain = call(c, "explain", Map.of("id", "preview_deploy_failed", "event", planned[0]));
            assertTrue(explain.isError(), "beta's Program has no such rule, and beta's log no such event: " + text(explain));
            McpSchema.CallToolResult approve = call(c, "approve", Map.of("action_id", planned[1], "reason", "from beta"));
            assertTrue(approve.isError() && text(approve).startsWith("unknown_action"), text(approve));
            McpSchema.CallToolResult reject = call(c, "reject", Map.of("action_id", planned[1], "reason", "from beta"));
            assertTrue(reject.isError() && text(reject).startsWith("unknown_action"), text(reject));
            McpSchema.CallToolResult sim = call(c, "simulate", Map.of("files", Map.of("main.charter", McpHttpTest.BETA_PROGRAM + "\n" + PROPOSED_RULE)));
            assertFalse(sim.isError(), text(sim));
            JsonNode s = structured(sim);
            assertEquals("beta", s.get("tenant").asText());
            assertEquals(0, s.at("/replay/events").asInt(), "beta's log is empty: " + s.get("replay"));
            String all = text(explain) + text(approve) + text(reject) + s;
            assertFalse(all.contains("dpl_isolation-1"), all);
        }
        assertEquals("awaiting_approval", status(planned[1]));
    }
}
