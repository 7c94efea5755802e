package charter.server;

import static charter.server.ServerHttpTest.ACME;
import static charter.server.ServerHttpTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.connect.fake.FakePagerDuty;
import charter.connect.fake.FakeSlack;
import charter.server.act.ToolSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From a signed webhook to a page at PagerDuty and a message in Slack through the real connectors
 * (found on the class path, as a deployed server finds them), against the connectors' stand-ins of
 * both tools, with the trail from the action to what was created in /v1/trace.
 */
class RealConnectorsEndToEndTest {
    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFailedProductionDeployPagesAndPostsOnceWithItsTrail() throws Exception {
        try (FakePagerDuty pagerduty = new FakePagerDuty(Set.of("pd-routing-key")); FakeSlack slack = new FakeSlack("xoxb-test-token")) {
            Path program = ServerActionsTest.copyOf(ACME, tmp.resolve("program"));
            Files.writeString(program.resolve("charter.yaml"), "name: acme\nmain: main.charter\nconnectors:\n  pagerduty.page: live\n  slack.post: live\n");
            Path tokens = tmp.resolve("tokens.jsonl");
            String read = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ));
            ServerConfig config = new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024, Map.of("acme",
                    new ServerConfig.TenantConfig("acme", program, null, null, null, Map.of("vercel", FailedDeploy.SECRET)).withConnectors(Map.of(
                            "pagerduty", new ToolSettings(pagerduty.baseUrl(), Map.of("routing_key", "pd-routing-key"), Map.of(), 4, 50),
                            "slack", new ToolSettings(slack.baseUrl(), Map.of("token", "xoxb-test-token"), Map.of(), 4, 50)))));
            try (CharterServer server = CharterServer.start(config)) {
                String base = "http://127.0.0.1:" + server.port();
                HttpResponse<String> hook = http.send(FailedDeploy.production(base, "acme", "prod-fail-1", Instant.now()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, hook.statusCode(), hook.body());
                JsonNode page = awaitDone(base, read, "page_on_failed_prod_deploy", "pagerduty.page");
                JsonNode post = awaitDone(base, read, "page_on_failed_prod_deploy", "slack.post");
                assertEquals(1, pagerduty.pages(), "one page");
                assertEquals(1, slack.messages().size(), "one message");
                for (JsonNode action : List.of(page, post)) {
                    JsonNode trace = get(base, read, "/v1/trace/" + action.get("id").asText());
                    assertEquals("vercel.deployment.error", trace.get("events").get(0).get("type").asText());
                    assertEquals("done", trace.get("carriedOut").get("status").asText());
                    JsonNode attempt = trace.get("attempts").get(0);
                    assertEquals("done", attempt.get("outcome").asText());
                    assertFalse(attempt.get("request").toString().contains("pd-routing-key"), "the routing key is redacted: " + attempt);
                    assertFalse(attempt.get("request").toString().contains("xoxb-test-token"), "the token is redacted: " + attempt);
                }
                assertTrue(get(base, read, "/v1/actions/" + page.get("id").asText()).get("attempts").get(0).has("externalId"));
            }
        }
    }

    private JsonNode awaitDone(String base, String token, String rule, String tool) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode a : get(base, token, "/v1/actions?rule=" + rule + "&tool=" + tool).get("actions")) {
                last = a;
                if (a.get("status").asText().equals("done")) return a;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(tool + " of " + rule + " never done: " + last);
    }

    private JsonNode get(String base, String token, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
