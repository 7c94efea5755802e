package charter.server;

import static charter.server.ServerHttpTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.engine.ingest.GithubSignatureVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 3 on the server path: a pull request whose title made the Program's
 * `matches` overflow its stack inside Drools was acknowledged (202) and then seen by no
 * rule at all, with nothing in /v1/errors. Every rule must see it.
 */
class HostileRegexServerTest {
    static final byte[] SECRET = "gh-secret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    @Test
    void aTitleThatBacktracksIsSeenByEveryRule() throws Exception {
        Path program = Files.createDirectories(tmp.resolve("program"));
        Files.writeString(program.resolve("charter.yaml"), "name: regex\nmain: main.charter\n");
        Files.writeString(program.resolve("main.charter"), """
                program "regex"
                rule conventional_title {
                  when github.pull_request.opened p where not (p.title matches "^(feat|fix|chore|docs)(\\\\([a-z]+\\\\))?: (\\\\w|\\\\s)*$")
                  then slack.post(channel: "#prs", text: "not conventional")
                }
                rule every_pr {
                  when github.pull_request.opened p
                  then slack.post(channel: "#prs", text: "opened")
                }
                """);
        Path tokens = tmp.resolve("tokens.jsonl");
        String read = TokenStore.create(tokens, "t", EnumSet.of(TokenStore.Scope.READ));
        var tenant = new ServerConfig.TenantConfig("t", program, null, null, null, Map.of("github", SECRET));
        try (CharterServer server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 1 << 20,
                Map.of("t", tenant)))) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newHttpClient();
            ObjectNode delivery = (ObjectNode) JSON.readTree(Files.readAllBytes(
                    ServerHttpTest.CORPUS.resolve("github/pull_request/pull_request.opened.0.json")));
            ((ObjectNode) delivery.get("pull_request")).put("title", "feat: " + "a".repeat(2000));
            byte[] body = JSON.writeValueAsBytes(delivery);
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/t/github"))
                    .header("X-GitHub-Event", "pull_request").header("X-GitHub-Delivery", "hostile-1")
                    .header("X-Hub-Signature-256", GithubSignatureVerifier.sign(SECRET, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());

            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                JsonNode status = get(http, base + "/v1/status", read);
                if (status.get("caughtUp").asBoolean() && status.get("processedSequence").asLong() >= 1) break;
                if (System.nanoTime() > deadline) fail("the Program did not catch up within 30 s: " + status);
                Thread.sleep(50);
            }
            List<String> rules = new ArrayList<>();
            get(http, base + "/v1/actions", read).get("actions").forEach(a -> rules.add(a.get("provenance").get("id").asText()));
            assertEquals(List.of("every_pr"), rules, "the event must reach every rule; the title is conventional");
            assertTrue(get(http, base + "/v1/errors", read).get("errors").isEmpty());
        }
    }

    private static JsonNode get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
