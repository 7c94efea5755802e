package charter.server;

import static charter.server.ServerHttpTest.ACME;
import static charter.server.ServerHttpTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `GET /v1/search` on a real server: webhooks in, indexed by the tenant's feeder, found with citations; bad input is a 400. */
class SearchApiTest {
    @TempDir
    static Path tmp;
    static CharterServer server;
    static String token;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path tokens = tmp.resolve("tokens.jsonl");
        token = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ));
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("acme", new ServerConfig.TenantConfig("acme", ACME, null, null, null, Map.of("vercel", FailedDeploy.SECRET)));
        server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024, tenants));
        HttpResponse<String> r = http.send(FailedDeploy.request("http://127.0.0.1:" + server.port(), "acme", "evt-1", "dpl_searchme").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static HttpResponse<String> get(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/search?" + query))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWebhookIsFoundWithItsCitation() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode body;
        while ((body = JSON.readTree(get("q=dpl_searchme").body())).get("total").asLong() == 0) {
            if (System.nanoTime() > deadline) fail("not indexed within 30 s: " + body);
            Thread.sleep(50);
        }
        JsonNode hit = body.get("hits").get(0);
        assertEquals("vercel", hit.get("source").asText());
        assertTrue(hit.get("matched").asText().contains("**dpl_searchme**"), hit.toString());
        assertTrue(hit.get("link").asText().startsWith("https://"), hit.toString());
        assertTrue(body.get("indexedUpTo").asLong() >= 1);
        assertEquals(0, JSON.readTree(get("q=dpl_searchme&source=github").body()).get("total").asLong());
        assertEquals(0, JSON.readTree(get("q=dpl_searchme&until=2000-01-01T00:00:00Z").body()).get("total").asLong());
    }

    @Test
    void badParametersAreA400WithACode() throws Exception {
        assertEquals("invalid_query", error(get(""), 400));
        assertEquals("invalid_query", error(get("q=" + "a".repeat(1001)), 400));
        assertEquals("bad_parameter", error(get("q=x&since=yesterday"), 400));
        assertEquals("bad_parameter", error(get("q=x&limit=many"), 400));
        assertEquals("invalid_query", error(get("q=x&limit=1000"), 400));
        assertEquals("bad_parameter", error(get("q=x&expand=maybe"), 400));
        assertEquals("invalid_query", error(get("q=x&entity=nocolon"), 400));
    }

    @Test
    void anyQueryTextIsAnsweredNeverA500() throws Exception {
        String alphabet = "ab \"*-+|~()[]{}:\\/^!?&'@#$%.,;<>=\u00e9\u4e2d AND OR NOT dpl";
        Random random = new Random(11);
        for (int i = 0; i < 150; i++) {
            StringBuilder q = new StringBuilder();
            for (int j = 1 + random.nextInt(30); j > 0; j--) q.append(alphabet.charAt(random.nextInt(alphabet.length())));
            HttpResponse<String> r = get("q=" + URLEncoder.encode(q.toString(), StandardCharsets.UTF_8));
            assertTrue(r.statusCode() == 200 || (r.statusCode() == 400 && q.toString().isBlank()), q + " → " + r.statusCode() + " " + r.body());
        }
    }

    private static String error(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("error").get("code").asText();
    }
}
