package charter.server;

import static charter.server.ServerHttpTest.ACME;
import static charter.server.ServerHttpTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.connect.Guarantee;
import charter.server.act.FakeTool;
import charter.server.act.FakeToolConnector;
import charter.server.act.ToolSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acting end to end through the server: a signed webhook plans an action, the Program's
 * {@code connectors:} block says live, record or approval, and the action reaches a tool on loopback
 * (or waits for its approvers, or is only recorded, never sent); the trail in /v1/actions and
 * /v1/trace, the kill switch, the metrics, and one tenant never seeing or acting on another's.
 */
class ServerActionsTest {
    /** One server for the class (each tenant compiles acme, which takes a while on a loaded machine). */
    @TempDir
    static Path tmp;
    static CharterServer server;
    static FakeTool tool;
    /** Gets every request meant for a tool the Program only records: none may arrive. */
    static FakeTool forbidden;
    /** The tool of `delta`, the tenant whose actions the kill switch holds. */
    static FakeTool held;
    static final HttpClient http = HttpClient.newHttpClient();
    static final Map<String, String> read = new LinkedHashMap<>();
    static final Map<String, String> act = new LinkedHashMap<>();
    static final Map<String, String> admin = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        tool = new FakeTool(true);
        forbidden = new FakeTool(true);
        held = new FakeTool(true);
        Map<String, String> modes = Map.of(
                "acme", "  slack.post: live\n",
                "beta", "  slack:\n    mode: approval\n    approvers: [team:platform]\n",
                "gamma", "  slack.post: record\n",
                "delta", "  slack.post: live\n",
                "epsilon", "  slack.post: live\n");
        Path tokens = tmp.resolve("tokens.jsonl");
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        for (var e : modes.entrySet()) {
            Path program = copyOf(ACME, tmp.resolve("program-" + e.getKey()));
            Files.writeString(program.resolve("charter.yaml"), "name: acme\nmain: main.charter\ntimezone: UTC\nconnectors:\n" + e.getValue());
            if (e.getKey().equals("epsilon")) requireApprovalInTheProgram(program);
            URI base = switch (e.getKey()) {
                case "gamma" -> forbidden.base();
                case "delta" -> held.base();
                default -> tool.base();
            };
            tenants.put(e.getKey(), new ServerConfig.TenantConfig(e.getKey(), program, null, null, null, Map.of("vercel", FailedDeploy.SECRET))
                    .withConnectors(Map.of("slack", new ToolSettings(base, Map.of("token", "xoxb-secret"), Map.of(), 4, 100))));
            read.put(e.getKey(), TokenStore.create(tokens, e.getKey(), EnumSet.of(TokenStore.Scope.READ)));
            act.put(e.getKey(), TokenStore.create(tokens, e.getKey(), EnumSet.of(TokenStore.Scope.READ, TokenStore.Scope.INTENTS)));
            admin.put(e.getKey(), TokenStore.create(tokens, e.getKey(), EnumSet.of(TokenStore.Scope.ADMIN)));
        }
        server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024, tenants)
                        .withActions(new charter.server.act.ActSettings(new charter.server.act.AttemptPolicy(5, Duration.ofMillis(10),
                                Duration.ofMillis(100)), Duration.ofSeconds(30), Duration.ofMillis(20), true)),
                List.of(FakeToolConnector.factory(Guarantee.EXACTLY_ONCE, Set.of("slack.post"))));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        for (FakeTool f : new FakeTool[] {tool, forbidden, held}) if (f != null) f.close();
    }

    /**
     * Tenant epsilon's Program asks for approval itself, although its `connectors:` block says slack.post is
     * live: a failed preview deploy's message waits for product or the project's owner, and everything a
     * rollback resolves to waits for product (its vercel.rollback, a tool the block only records, is recorded).
     */
    static void requireApprovalInTheProgram(Path program) throws Exception {
        Path deploys = program.resolve("deploys.charter");
        String rule = "rule preview_deploy_failed \"Tell #deploys when a preview deploy fails\" {";
        String d = Files.readString(deploys);
        assertTrue(d.contains(rule));
        Files.writeString(deploys, d.replace(rule, rule.replace(" {", " approval by team product, owner(d.project) {")));
        Path intents = program.resolve("intents.charter");
        String intent = "intent rollback(project: string) \"Roll a project back to its previous production deployment\" {";
        String i = Files.readString(intents);
        assertTrue(i.contains(intent));
        Files.writeString(intents, i.replace(intent, intent.replace(" {", " approval by team product {")));
    }

    static Path copyOf(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }

    static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    static JsonNode call(String method, String path, String token, String json, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token);
        if (json != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        else b.method(method, HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body());
        return r.body().isEmpty() || !r.body().startsWith("{") ? null : JSON.readTree(r.body());
    }

    /** A failed preview deploy for the tenant; acme's preview_deploy_failed plans one slack.post for it. Its action's id. */
    static String plan(String tenant, String delivery) throws Exception {
        HttpResponse<String> r = http.send(FailedDeploy.request(base(), tenant, delivery, "dpl_" + delivery).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        String eventId = JSON.readTree(r.body()).get("eventId").asText();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (JsonNode a : call("GET", "/v1/actions?rule=preview_deploy_failed&limit=500", read.get(tenant), null, 200).get("actions")) {
                if (a.get("provenance").get("eventIds").get(0).asText().equals(eventId)) return a.get("id").asText();
            }
            Thread.sleep(20);
        }
        fail("no action planned for " + delivery);
        return null;
    }

    static JsonNode awaitStatus(String tenant, String id, String status) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode a = null;
        while (System.nanoTime() < deadline) {
            a = call("GET", "/v1/actions/" + id, read.get(tenant), null, 200);
            if (a.get("action").get("status").asText().equals(status)) return a;
            Thread.sleep(20);
        }
        fail(id + " never became " + status + ": " + a);
        return null;
    }

    @Test
    void aLiveActionReachesTheToolOnceAndTheTrailLeadsFromTheWebhookToWhatWasCreated() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) ids.add(plan("acme", "live-" + i));
        for (String id : ids) {
            JsonNode shown = awaitStatus("acme", id, "done");
            assertEquals(1, tool.appliedCount(id));
            JsonNode attempt = shown.get("attempts").get(0);
            assertEquals("done", attempt.get("outcome").asText());
            assertEquals("http://tool/things/" + id, attempt.get("url").asText());
            assertEquals("Bearer <redacted>", attempt.get("request").get("headers").get("Authorization").asText());
            JsonNode trace = call("GET", "/v1/trace/" + id, read.get("acme"), null, 200);
            assertEquals("vercel.deployment.error", trace.get("events").get(0).get("type").asText());
            assertEquals("done", trace.get("carriedOut").get("status").asText());
            assertEquals("http://tool/things/" + id, trace.get("url").asText());
            assertEquals(1, trace.get("attempts").size());
        }
        assertEquals(3, call("GET", "/v1/actions?status=done&tool=slack.post&rule=preview_deploy_failed", read.get("acme"), null, 200).get("actions").size());
        assertEquals(0, call("GET", "/v1/actions?status=failed", read.get("acme"), null, 200).get("actions").size());
        assertEquals("bad_parameter", call("GET", "/v1/actions?status=sent", read.get("acme"), null, 400).get("error").get("code").asText());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base() + "/metrics"))
                .header("Authorization", "Bearer " + read.get("acme")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("charter_actions_total{") && l.contains("result=\"sent\"")
                && l.contains("tool=\"slack.post\"") && l.endsWith(" 3.0")), metrics.body());
        assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("charter_action_attempt_seconds_count{") && l.contains("tool=\"slack.post\"")),
                "the attempt latency timer: " + metrics.body().lines().filter(l -> l.contains("action")).toList());
        // done is done: nothing to cancel or retry
        assertEquals("action_state", call("POST", "/v1/actions/" + ids.getFirst() + "/cancel", act.get("acme"), "{}", 409).get("error").get("code").asText());
    }

    @Test
    void anActionWaitsForItsApproversAndOnlyThemAndARejectedOneIsNeverSent() throws Exception {
        String approved = plan("beta", "approve-1");
        String rejected = plan("beta", "reject-1");
        awaitStatus("beta", approved, "awaiting_approval");
        Thread.sleep(200);
        assertEquals(0, tool.appliedCount(approved), "nothing is sent before approval");
        JsonNode refused = call("POST", "/v1/actions/" + approved + "/approve", act.get("beta"), "{\"actor\":\"dave\",\"reason\":\"lgtm\"}", 403);
        assertEquals("not_an_approver", refused.get("error").get("code").asText());
        call("POST", "/v1/actions/" + approved + "/approve", act.get("beta"), "{\"actor\":\"alice\"}", 400);
        call("POST", "/v1/actions/" + approved + "/approve", read.get("beta"), "{\"actor\":\"alice\",\"reason\":\"x\"}", 403);
        // alice is in platform; her GitHub login names her too
        JsonNode ok = call("POST", "/v1/actions/" + approved + "/approve", act.get("beta"), "{\"actor\":\"alice-chen\",\"reason\":\"expected failure\"}", 200);
        assertEquals("alice-chen", ok.get("action").get("decision").get("by").asText());
        JsonNode done = awaitStatus("beta", approved, "done");
        assertEquals("expected failure", done.get("action").get("decision").get("reason").asText());
        assertEquals(1, tool.appliedCount(approved));
        call("POST", "/v1/actions/" + rejected + "/reject", act.get("beta"), "{\"actor\":\"bob\",\"reason\":\"noise\"}", 200);
        awaitStatus("beta", rejected, "cancelled");
        Thread.sleep(200);
        assertEquals(0, tool.appliedCount(rejected));
        call("POST", "/v1/actions/" + rejected + "/approve", act.get("beta"), "{\"actor\":\"bob\",\"reason\":\"changed my mind\"}", 409);
    }

    @Test
    void aRuleWithApprovalByWaitsForItsApproversWhateverTheToolsModeAndProceedsOnceApproved() throws Exception {
        String id = plan("epsilon", "program-approval-1");
        JsonNode waiting = awaitStatus("epsilon", id, "awaiting_approval");
        // The corpus deploy's project has no owner at acme: owner(d.project) adds no one.
        assertEquals("[\"team:product\"]", waiting.get("action").get("approvers").toString());
        assertEquals("[\"team:product\"]", waiting.get("action").get("approvalBy").toString());
        Thread.sleep(200);
        assertEquals(0, tool.appliedCount(id), "nothing is sent before approval, though slack.post is live");
        JsonNode refused = call("POST", "/v1/actions/" + id + "/approve", act.get("epsilon"), "{\"actor\":\"alice-chen\",\"reason\":\"lgtm\"}", 403);
        assertEquals("not_an_approver", refused.get("error").get("code").asText());
        JsonNode ok = call("POST", "/v1/actions/" + id + "/approve", act.get("epsilon"), "{\"actor\":\"dave-r\",\"reason\":\"known flake\"}", 200);
        assertEquals("dave-r", ok.get("action").get("decision").get("by").asText());
        JsonNode done = awaitStatus("epsilon", id, "done");
        assertEquals("known flake", done.get("action").get("decision").get("reason").asText());
        assertEquals(1, tool.appliedCount(id));
    }

    @Test
    void anApproverIsAPersonOfTheProgramOrAMemberOfANamedTeamAndNobodyIsNoOne() {
        var directory = server.tenant("epsilon").program().directory();
        assertTrue(ActionApi.mayApprove(directory, "dave-r", List.of("team:product")));
        assertTrue(ActionApi.mayApprove(directory, "erin", List.of("alice", "team:product")));
        assertTrue(ActionApi.mayApprove(directory, "alice-chen", List.of("alice")));
        assertFalse(ActionApi.mayApprove(directory, "alice-chen", List.of("team:product")));
        // An actor who calls themself "nobody" approves nothing an unowned `owner(...)` left.
        assertFalse(ActionApi.mayApprove(directory, "nobody", List.of("nobody")));
    }

    @Test
    void everythingAnIntentWithApprovalByResolvesToWaitsButARecordToolOnlyRecords() throws Exception {
        JsonNode decided = call("POST", "/v1/intents", act.get("epsilon"),
                "{\"id\":\"int-approval-1\",\"intent\":\"rollback\",\"actor\":\"alice-chen\",\"reason\":\"bad deploy\",\"params\":{\"project\":\"api\"}}", 200);
        assertEquals("allow", decided.path("decision").path("verdict").asText(decided.path("verdict").asText()), decided::toString);
        Map<String, JsonNode> byTool = new LinkedHashMap<>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (byTool.size() < 2 && System.nanoTime() < deadline) {
            for (JsonNode a : call("GET", "/v1/actions?limit=500", read.get("epsilon"), null, 200).get("actions")) {
                if ("int-approval-1".equals(a.get("provenance").get("intentId").asText())) byTool.put(a.get("tool").asText(), a);
            }
            Thread.sleep(20);
        }
        assertEquals("recorded", byTool.get("vercel.rollback").get("status").asText(), byTool::toString);
        JsonNode slack = byTool.get("slack.post");
        assertEquals("awaiting_approval", slack.get("status").asText());
        assertEquals("[\"team:product\"]", slack.get("approvers").toString());
        String id = slack.get("id").asText();
        assertEquals("not_an_approver", call("POST", "/v1/actions/" + id + "/approve", act.get("epsilon"),
                "{\"actor\":\"bob-k\",\"reason\":\"ok\"}", 403).get("error").get("code").asText());
        call("POST", "/v1/actions/" + id + "/approve", act.get("epsilon"), "{\"actor\":\"erin\",\"reason\":\"agreed with alice\"}", 200);
        awaitStatus("epsilon", id, "done");
        assertEquals(1, tool.appliedCount(id));
    }

    @Test
    void aRecordedActionNeverReachesAConnectorButShowsTheRequestItWouldSend() throws Exception {
        String id = plan("gamma", "record-1");
        JsonNode shown = awaitStatus("gamma", id, "recorded");
        Thread.sleep(300);
        assertEquals(0, forbidden.requests.get(), "a recorded action reached the tool");
        assertEquals("POST", shown.get("request").get("method").asText());
        assertEquals(forbidden.base() + "/things", shown.get("request").get("target").asText());
        assertEquals(id, shown.get("request").get("headers").get("Idempotency-Key").asText());
        assertFalse(shown.toString().contains("xoxb-secret"));
        assertEquals(0, shown.get("attempts").size());
    }

    @Test
    void oneTenantNeitherSeesNorActsOnAnothersActions() throws Exception {
        String betaAction = plan("beta", "iso-1");
        awaitStatus("beta", betaAction, "awaiting_approval");
        for (String cmd : List.of("approve", "reject", "cancel", "retry")) {
            JsonNode e = call("POST", "/v1/actions/" + betaAction + "/" + cmd, admin.get("acme"), "{\"actor\":\"alice\",\"reason\":\"x\"}", 404);
            assertEquals("unknown_action", e.get("error").get("code").asText());
        }
        call("GET", "/v1/actions/" + betaAction, admin.get("acme"), null, 404);
        assertTrue(call("GET", "/v1/actions", read.get("acme"), null, 200).get("actions").findValuesAsText("id").stream().noneMatch(betaAction::equals));
        call("POST", "/v1/actions/pause", admin.get("gamma"), "{}", 200);
        assertEquals("awaiting_approval", call("GET", "/v1/actions/" + betaAction, read.get("beta"), null, 200).get("action").get("status").asText());
        assertTrue(call("GET", "/v1/actions/pauses", read.get("beta"), null, 200).get("paused").isEmpty(), "gamma's pause is gamma's alone");
        call("POST", "/v1/actions/resume", admin.get("gamma"), "{}", 200);
    }

    @Test
    void theKillSwitchHoldsEveryActionOfATenantOrToolUntilResumed() throws Exception {
        call("POST", "/v1/actions/pause", act.get("delta"), "{}", 403);
        call("POST", "/v1/actions/pause", admin.get("delta"), "{\"tool\":\"slack.pots\"}", 400);
        JsonNode paused = call("POST", "/v1/actions/pause", admin.get("delta"), "{\"tool\":\"slack.post\",\"actor\":\"ops\",\"reason\":\"storm\"}", 200);
        assertEquals("slack.post", paused.get("paused").get(0).get("tool").asText());
        String id = plan("delta", "paused-1");
        Thread.sleep(300);
        assertEquals("planned", call("GET", "/v1/actions/" + id, read.get("delta"), null, 200).get("action").get("status").asText());
        assertEquals(0, held.requests.get());
        call("POST", "/v1/actions/resume", admin.get("delta"), "{\"tool\":\"slack.post\"}", 200);
        awaitStatus("delta", id, "done");
        assertEquals(1, held.appliedCount(id));
    }
}
