package charter.server;

import static charter.server.ServerHttpTest.ACME;
import static charter.server.ServerHttpTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine makes of the log, kept in the store: actions with their provenance, the trace
 * behind an action or a decision, decisions and the consumer position across a restart (nothing
 * processed twice), and the erasure of one tenant's data.
 */
class ServerOutcomesTest {
    static final byte[] VC = FailedDeploy.SECRET;

    @TempDir
    Path tmp;
    CharterServer server;
    final HttpClient http = HttpClient.newHttpClient();
    String read;
    String intents;
    String admin;
    String otherAdmin;

    @BeforeEach
    void start() {
        Path tokens = tmp.resolve("tokens.jsonl");
        read = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ));
        intents = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ, TokenStore.Scope.INTENTS));
        admin = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.ADMIN));
        otherAdmin = TokenStore.create(tokens, "beta", EnumSet.of(TokenStore.Scope.ADMIN));
        server = startServer();
    }

    CharterServer startServer() {
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("acme", new ServerConfig.TenantConfig("acme", ACME, null, null, null, Map.of("vercel", VC)));
        tenants.put("beta", new ServerConfig.TenantConfig("beta", ACME, null, null, null, Map.of("vercel", VC)));
        return CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tmp.resolve("tokens.jsonl"), 64 * 1024, tenants));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    JsonNode send(HttpRequest.Builder b, int expected) throws Exception {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    JsonNode get(String path, String token, int expected) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token), expected);
    }

    JsonNode post(String path, String token, String json, int expected) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)), expected);
    }

    /** A failed preview deploy under a new delivery id: acme's `preview_deploy_failed` plans an action for each. */
    String deliverFailedPreview(String tenant, String deliveryId) throws Exception {
        return send(FailedDeploy.request(base(), tenant, deliveryId), 202).get("eventId").asText();
    }

    /** Waits (bounded) until the Program has run on every event in the tenant's log. */
    JsonNode awaitCaughtUp(String token, long sequence) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode s = get("/v1/status", token, 200);
            if (s.get("caughtUp").asBoolean() && s.get("processedSequence").asLong() >= sequence) return s;
            Thread.sleep(50);
        }
        fail("the Program did not catch up with the log within 30 s");
        return null;
    }

    List<JsonNode> actions(String token) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        get("/v1/actions?limit=500", token, 200).get("actions").forEach(out::add);
        return out;
    }

    @Test
    void actionsAreRecordedWithProvenanceAndTheTraceLeadsBackToRuleEventAndVersion() throws Exception {
        String eventId = deliverFailedPreview("acme", "dpl-err-1");
        awaitCaughtUp(read, 1);
        List<JsonNode> actions = actions(read);
        JsonNode action = actions.stream().filter(a -> a.get("provenance").get("id").asText().equals("preview_deploy_failed"))
                .findFirst().orElseThrow(() -> new AssertionError("no action of preview_deploy_failed in " + actions));
        assertEquals("slack.post", action.get("tool").asText());
        assertEquals(List.of(eventId), List.of(action.get("provenance").get("eventIds").get(0).asText()));
        assertEquals(1, action.get("eventSequence").asLong());

        JsonNode trace = get("/v1/trace/" + action.get("id").asText(), read, 200);
        assertEquals("action", trace.get("kind").asText());
        assertEquals("rule", trace.get("cause").get("kind").asText());
        assertEquals("preview_deploy_failed", trace.get("cause").get("id").asText());
        assertEquals("deploys.charter", Path.of(trace.get("cause").get("file").asText()).getFileName().toString());
        assertTrue(trace.get("cause").get("line").asInt() > 0);
        assertEquals(eventId, trace.get("events").get(0).get("id").asText());
        assertEquals("vercel.deployment.error", trace.get("events").get(0).get("type").asText());
        JsonNode program = get("/v1/program", read, 200);
        assertEquals(program.get("version").asText(), trace.get("programVersion").asText());

        // filters and isolation
        assertTrue(get("/v1/actions?rule=no_such_rule", read, 200).get("actions").isEmpty());
        assertTrue(get("/v1/actions", otherAdmin, 200).get("actions").isEmpty());
        JsonNode hidden = get("/v1/trace/" + action.get("id").asText(), otherAdmin, 404);
        assertEquals("unknown_id", hidden.get("error").get("code").asText());
        assertEquals(400, http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/actions?limit=x"))
                .header("Authorization", "Bearer " + read).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void decisionsActionsAndThePositionSurviveARestartAndNothingIsProcessedTwice() throws Exception {
        for (int i = 0; i < 5; i++) deliverFailedPreview("acme", "dpl-err-" + i);
        awaitCaughtUp(read, 5);
        List<JsonNode> before = actions(read);
        assertFalse(before.isEmpty());
        JsonNode soft = post("/v1/intents", intents,
                "{\"id\":\"rb-1\",\"intent\":\"rollback\",\"actor\":\"dave-r\",\"params\":{\"project\":\"api\"},\"reason\":\"broken\"}", 200);
        assertEquals("needs-override", soft.get("verdict").asText());

        server.close();
        server = startServer();

        assertEquals(5, get("/v1/status", read, 200).get("processedSequence").asLong(), "the position is read back from the store");
        awaitCaughtUp(read, 5);
        assertEquals(ids(before), ids(actions(read)), "a restart records nothing twice and loses nothing");
        JsonNode decisions = get("/v1/decisions", read, 200).get("decisions");
        assertEquals(1, decisions.size());
        assertEquals("rb-1", decisions.get(0).get("intentId").asText());
        post("/v1/intents", intents, "{\"id\":\"rb-1\",\"intent\":\"rollback\",\"actor\":\"dave-r\",\"params\":{\"project\":\"api\"}}", 409);
        JsonNode over = post("/v1/intents/rb-1/override", intents, "{\"actor\":\"alice\",\"reason\":\"Platform agreed\"}", 200);
        assertEquals("allow", over.get("verdict").asText());
        assertEquals(soft.get("sequence").asLong(), over.get("overrides").asLong());

        // the trace of a decision names its invariants
        JsonNode trace = get("/v1/trace/rb-1", read, 200);
        assertEquals("decision", trace.get("kind").asText());
        assertEquals("alice", trace.get("decision").get("override").get("actor").asText());
        assertFalse(trace.get("invariants").isEmpty());
        assertTrue(trace.get("invariants").get(0).get("line").asInt() > 0);

        deliverFailedPreview("acme", "dpl-err-after-restart");
        awaitCaughtUp(read, 6);
        List<JsonNode> after = actions(read);
        Set<String> added = ids(after);
        added.removeAll(ids(before));
        assertFalse(added.isEmpty(), "the event after the restart is processed");
        assertEquals(after.size(), ids(after).size());
    }

    private static Set<String> ids(List<JsonNode> outputs) {
        Set<String> ids = new HashSet<>();
        for (JsonNode o : outputs) ids.add(o.get("id").asText());
        return ids;
    }

    @Test
    void erasingATenantNeedsTheAdminScopeAndTouchesNoOtherTenant() throws Exception {
        deliverFailedPreview("acme", "dpl-err-a");
        deliverFailedPreview("beta", "dpl-err-b");
        awaitCaughtUp(read, 1);
        awaitCaughtUp(otherAdmin, 1);

        JsonNode refused = send(HttpRequest.newBuilder(URI.create(base() + "/v1/tenant")).header("Authorization", "Bearer " + read).DELETE(), 403);
        assertEquals("scope_missing", refused.get("error").get("code").asText());
        assertEquals(1, get("/v1/events", read, 200).get("events").size());

        JsonNode erased = send(HttpRequest.newBuilder(URI.create(base() + "/v1/tenant")).header("Authorization", "Bearer " + admin).DELETE(), 200);
        assertEquals("erased", erased.get("status").asText());
        assertTrue(get("/v1/events", read, 200).get("events").isEmpty());
        assertTrue(actions(read).isEmpty());
        assertEquals(0, get("/v1/status", read, 200).get("processedSequence").asLong());
        assertEquals(1, get("/v1/events", otherAdmin, 200).get("events").size(), "the other tenant keeps its log");
        assertFalse(actions(otherAdmin).isEmpty());

        // the tenant goes on with an empty log: the next delivery is event 1 again, and it is processed
        deliverFailedPreview("acme", "dpl-err-a");
        awaitCaughtUp(read, 1);
        assertFalse(actions(read).isEmpty());
    }
}
