package charter.server;

import static charter.server.ServerHttpTest.ACME;
import static charter.server.ServerHttpTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The isolation suite: two tenants with data of their own, and every operation of the served
 * OpenAPI document called with the other tenant's admin token, aimed at the first tenant's ids.
 * No answer may carry anything of the first tenant, and the first tenant's data must be intact
 * afterwards, the other tenant's erasure included. An operation added to the document without a
 * way to call it here fails the suite.
 */
class TenantIsolationTest {
    static final byte[] VC = FailedDeploy.SECRET;
    /** Every id of acme's data carries this, so a leak shows in an answer's text. */
    static final String MARK = "isoacme";

    @TempDir
    static Path tmp;
    static CharterServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static String acme;
    static String beta;
    static String acmeAction;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = tmp.resolve("tokens.jsonl");
        acme = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.ADMIN));
        beta = TokenStore.create(tokens, "beta", EnumSet.of(TokenStore.Scope.ADMIN));
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("acme", new ServerConfig.TenantConfig("acme", ACME, null, null, null, Map.of("vercel", VC)));
        tenants.put("beta", new ServerConfig.TenantConfig("beta", ACME, null, null, null, Map.of("vercel", VC)));
        server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024, tenants)
                .withHttp(McpClients.SERVER_LIMITS));

        for (int i = 0; i < 3; i++) deliver("acme", "evt-secret-" + MARK + "-" + i, "dpl_" + MARK + i);
        deliver("beta", "evt-beta-0", "dpl_beta0");
        Answer decided = call("POST", "/v1/intents", acme, "{\"id\":\"int-" + MARK + "\",\"intent\":\"rollback\",\"actor\":\"dave-r\",\"params\":{\"project\":\"api\"}}");
        assertEquals(200, decided.status(), decided.text());
        awaitCaughtUp(acme, 3);
        awaitCaughtUp(beta, 1);
        acmeAction = call("GET", "/v1/actions", acme, null).body().get("actions").get(0).get("id").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /**
     * Issue 12 item 9: both tenants name the same Program folder, and still share nothing
     * compiled: not the Program, not its JavaScript functions, not a context or its thread.
     */
    @Test
    void tenantsNamingTheSameFolderShareNoCompiledProgramNorJavaScriptContext() {
        Tenant a = server.tenant("acme");
        Tenant b = server.tenant("beta");
        assertTrue(a.program() != b.program(), "one CompiledProgram for both tenants");
        charter.compiler.js.JsFunctions fa = a.program().functions();
        charter.compiler.js.JsFunctions fb = b.program().functions();
        assertFalse(fa.functions().isEmpty(), "acme's Program has JavaScript functions");
        assertTrue(fa != fb, "one set of JavaScript contexts for both tenants");
    }

    record Answer(int status, JsonNode body, String text) {}

    static Answer call(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isBlank() || !r.body().strip().startsWith("{") ? null : JSON.readTree(r.body());
        return new Answer(r.statusCode(), body, r.body());
    }

    static void deliver(String tenant, String id, String deployment) throws Exception {
        HttpResponse<String> r = http.send(FailedDeploy.request("http://127.0.0.1:" + server.port(), tenant, id, deployment).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    /** Waits (bounded) until the Program has run on the tenant's whole log and recorded what it planned. */
    static void awaitCaughtUp(String token, long sequence) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonNode s = call("GET", "/v1/status", token, null).body();
            if (s.get("caughtUp").asBoolean() && s.get("processedSequence").asLong() >= sequence) return;
            if (System.nanoTime() > deadline) fail("the Program did not catch up with the log within 30 s: " + s);
            Thread.sleep(50);
        }
    }

    /** Search: acme finds its own words (once indexed); beta, asking for them by name and by prefix, finds nothing of acme. */
    @Test
    void searchFindsOnlyTheAskingTenantsWords() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Answer own;
        while ((own = call("GET", "/v1/search?q=dpl_" + MARK + "0", acme, null)).body().get("total").asLong() == 0) {
            if (System.nanoTime() > deadline) fail("acme's events were not indexed within 30 s: " + own.text());
            Thread.sleep(50);
        }
        assertTrue(own.body().get("hits").get(0).get("eventId").asText().contains(MARK), own.text());
        for (String q : List.of("dpl_" + MARK + "0", "dpl_" + MARK + "*", "evt-secret-" + MARK + "-0", "\"" + MARK + "\"")) {
            Answer other = call("GET", "/v1/search?q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8)
                    + "&expand=true&entity=deployment:dpl_" + MARK + "0", beta, null);
            assertEquals(200, other.status(), other.text());
            assertEquals(0, other.body().get("total").asLong(), other.text());
            assertFalse(other.body().get("hits").toString().contains(MARK) || other.body().get("around").toString().contains(MARK), other.text());
        }
    }

    /** How each operation is aimed at acme's data; a path here is the document's template. */
    static String concrete(String template) {
        return template.replace("{type}/{key}", "deployment/dpl_" + MARK + "0")
                .replace("/v1/trace/{id}", "/v1/trace/" + acmeAction)
                .replace("/v1/actions/{id}", "/v1/actions/" + acmeAction)
                .replace("/v1/intents/{id}/override", "/v1/intents/int-" + MARK + "/override")
                .replace("/v1/program/files/{path}", "/v1/program/files/main.charter")
                .replace("/v1/search", "/v1/search?q=dpl_" + MARK + "*&expand=true");
    }

    static final Map<String, String> BODIES = Map.ofEntries(
            Map.entry("POST /v1/intents", "{\"id\":\"int-beta-probe\",\"intent\":\"rollback\",\"actor\":\"dave-r\",\"params\":{\"project\":\"api\"}}"),
            Map.entry("POST /v1/intents/{id}/override", "{\"actor\":\"alice\",\"reason\":\"from the other tenant\"}"),
            Map.entry("POST /v1/simulate", "{}"),
            Map.entry("POST /v1/diff", "{}"),
            Map.entry("POST /v1/explain", "{\"id\":\"preview_deploy_failed\",\"event\":\"evt-secret-" + MARK + "-0\"}"),
            Map.entry("POST /v1/actions/{id}/retry", "{}"),
            Map.entry("POST /v1/actions/{id}/cancel", "{}"),
            Map.entry("POST /v1/actions/{id}/approve", "{\"actor\":\"alice\",\"reason\":\"from the other tenant\"}"),
            Map.entry("POST /v1/actions/{id}/reject", "{\"actor\":\"alice\",\"reason\":\"from the other tenant\"}"),
            Map.entry("POST /v1/actions/pause", "{}"),
            Map.entry("POST /v1/actions/resume", "{}"));

    /** Routes outside the tenant API: webhooks name their tenant in the URL and are signed; these carry no tenant data. */
    static final Set<String> NOT_TENANT_API = Set.of("/webhooks/{tenant}/{source}", "/webhooks/{source}", "/healthz", "/v1/openapi.json",
            "/mcp");   // JSON-RPC, not REST: mcpWithTheOtherTenantsTokenShowsNothingOfTheFirst below

    /** /mcp: the other tenant's token lists its own tools, and every tool and resource aimed at acme's ids shows nothing of acme. */
    @Test
    void mcpWithTheOtherTenantsTokenShowsNothingOfTheFirst() throws Exception {
        long acmeDecisions = call("GET", "/v1/decisions", acme, null).body().get("decisions").size();
        try (var c = McpClients.http(server.port(), beta)) {
            List<String> answers = new ArrayList<>();
            var calls = List.of(
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("get_entity", Map.of("type", "deployment", "key", "dpl_" + MARK + "0")),
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("trace", Map.of("id", acmeAction)),
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("trace", Map.of("id", "int-" + MARK)),
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("override", Map.of("intent_id", "int-" + MARK, "reason", "from the other tenant")),
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("simulate", Map.of()),
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("approve", Map.of("action_id", acmeAction, "reason", "from the other tenant")),
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("reject", Map.of("action_id", acmeAction, "reason", "from the other tenant")),
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("simulate", Map.of("files",
                            Map.of("proposed.charter", "rule p \"p\" { when vercel.deployment.error d then slack.post(channel: \"#p\", text: \"p\") }"))),
                    new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("diff", Map.of("files",
                            Map.of("proposed.charter", "rule p \"p\" { when vercel.deployment.error d then slack.post(channel: \"#p\", text: \"p\") }"))));
            for (var req : calls) {
                var r = c.callTool(req);
                String text = JSON.writeValueAsString(r);
                // beta may have an intent of the same id (ids are per tenant): then it is beta's own ship, never acme's rollback
                if (req.name().equals("trace") && req.arguments().get("id").equals("int-" + MARK) && !r.isError()) {
                    assertEquals("ship", JSON.valueToTree(r.structuredContent()).at("/decision/intent").asText(), text);
                } else if (!Set.of("simulate", "diff", "override").contains(req.name())) {
                    assertTrue(r.isError(), req + " found acme's data: " + text);
                }
                assertFalse(text.contains("\"rollback\"") && text.contains("dave-r"), "acme's rollback by dave-r shows: " + text);
                answers.add(text);
            }
            // explain names acme's stored event (the answer may repeat that id, and nothing else of acme's)
            var explained = c.callTool(new io.modelcontextprotocol.spec.McpSchema.CallToolRequest("explain",
                    Map.of("id", "preview_deploy_failed", "event", "evt-secret-" + MARK + "-0")));
            assertTrue(explained.isError(), "beta's log has no such event: " + JSON.writeValueAsString(explained));
            String explainedText = JSON.writeValueAsString(explained).replace("evt-secret-" + MARK + "-0", "");
            for (String leak : List.of("secret-" + MARK, "dpl_" + MARK, acmeAction)) assertFalse(explainedText.contains(leak), explainedText);
            for (String uri : List.of("charter://entity/deployment/dpl_" + MARK + "0", "charter://program/no-such.charter")) {
                try {
                    answers.add(JSON.writeValueAsString(c.readResource(new io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest(uri))));
                    fail(uri + " was read with the other tenant's token");
                } catch (io.modelcontextprotocol.spec.McpError e) {
                    answers.add(e.getMessage());
                }
            }
            // acme's ids that no request names (an error may repeat the id it was asked for)
            for (String a : answers) {
                for (String leak : List.of("secret-" + MARK, "dpl_" + MARK + "1", "dpl_" + MARK + "2")) {
                    assertFalse(a.contains(leak), "an MCP answer with beta's token shows acme's " + leak + ": " + a);
                }
            }
        }
        assertEquals(acmeDecisions, call("GET", "/v1/decisions", acme, null).body().get("decisions").size(), "nothing recorded in acme");
    }

    @Test
    void everyOperationWithTheOtherTenantsTokenShowsNothingOfTheFirstAndChangesNothing() throws Exception {
        JsonNode doc;
        try (InputStream in = CharterServer.class.getResourceAsStream("/charter/server/openapi.json")) {
            doc = JSON.readTree(in);
        }
        long acmeEvents = call("GET", "/v1/events", acme, null).body().get("events").size();
        long acmeActions = call("GET", "/v1/actions", acme, null).body().get("actions").size();
        long acmeDecisions = call("GET", "/v1/decisions", acme, null).body().get("decisions").size();

        List<String> exercised = new ArrayList<>();
        List<String> erasures = new ArrayList<>();
        for (var path : (Iterable<Map.Entry<String, JsonNode>>) doc.get("paths")::fields) {
            if (NOT_TENANT_API.contains(path.getKey())) continue;
            for (var op : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!Set.of("GET", "POST", "DELETE", "PUT", "PATCH").contains(method)) continue;
                String key = method + " " + path.getKey();
                if (method.equals("DELETE")) {   // last: it erases the caller's own tenant
                    erasures.add(path.getKey());
                    continue;
                }
                if (!method.equals("GET") && !BODIES.containsKey(key)) fail(key + " is in the OpenAPI document but not in the isolation suite");
                String target = concrete(path.getKey());
                Answer a = call(method, target, beta, BODIES.get(key));
                // acme's ids, except one the request itself names (an error may repeat what was asked for)
                for (String leak : List.of("secret-" + MARK, "dpl_" + MARK, "int-" + MARK, acmeAction)) {
                    if (target.contains(leak) || BODIES.getOrDefault(key, "").contains(leak)) continue;
                    assertFalse(a.text().contains(leak), key + " with the other tenant's token shows acme's " + leak + ": " + a.text());
                }
                assertTrue(a.status() < 500, key + ": " + a.status() + " " + a.text());
                if (a.body() != null && a.body().has("tenant")) assertEquals("beta", a.body().get("tenant").asText(), key);
                exercised.add(key);
            }
        }
        // intent ids are per tenant: acme's id is free in beta, and recording it there leaves acme's decision alone
        Answer same = call("POST", "/v1/intents", beta, "{\"id\":\"int-" + MARK + "\",\"intent\":\"ship\",\"actor\":\"carolw\","
                + "\"params\":{\"project\":\"api\",\"sha\":\"2c3413d\",\"target\":\"production\"}}");
        assertEquals(200, same.status(), same.text());
        Answer acmeTrace = call("GET", "/v1/trace/int-" + MARK, acme, null);
        assertEquals("rollback", acmeTrace.body().path("decision").path("intent").asText(), acmeTrace.text());

        for (String path : erasures) {
            Answer a = call("DELETE", path, beta, null);
            assertEquals(200, a.status(), a.text());
            assertFalse(a.text().contains(MARK));
            exercised.add("DELETE " + path);
        }
        assertTrue(exercised.size() >= 20, "the document lists the tenant API: " + exercised);

        // acme is untouched by all of it, beta's erasure included
        assertEquals(acmeEvents, call("GET", "/v1/events", acme, null).body().get("events").size());
        assertEquals(acmeActions, call("GET", "/v1/actions", acme, null).body().get("actions").size());
        assertEquals(acmeDecisions, call("GET", "/v1/decisions", acme, null).body().get("decisions").size());
        assertEquals(200, call("GET", concrete("/v1/entities/{type}/{key}"), acme, null).status());
        assertEquals(200, call("GET", "/v1/trace/" + acmeAction, acme, null).status());
        assertTrue(call("GET", "/v1/events", beta, null).body().get("events").isEmpty(), "beta erased its own data");
    }
}
