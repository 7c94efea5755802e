package charter.server;

import static charter.server.ServerApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.server.ApiClient.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's files deleted while the server runs: the next webhook is a 503 with a JSON code
 * (not a 202 for a delivery nobody will read), the body names no file, and /healthz turns red and
 * says which tenants' writes are refused.
 */
class StoreIntegrityHttpTest {
    @TempDir
    Path tmp;

    @Test
    void deletingTheStoreWhileServingRefusesWritesAndTurnsHealthRed() throws Exception {
        Path data = tmp.resolve("data");
        ServerConfig config = new ServerConfig(0, data.toString(), tmp.resolve("tokens.jsonl"), 256 * 1024,
                Map.of("acme", new ServerConfig.TenantConfig("acme", ServerHttpTest.ACME, null, null, null, Map.of("vercel", FailedDeploy.SECRET))));
        try (CharterServer server = CharterServer.start(config)) {
            String base = "http://127.0.0.1:" + server.port();
            ApiClient api = new ApiClient(base);
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, api.get("/healthz", null).status());
            assertEquals(202, http.send(FailedDeploy.request(base, "acme", "dlv-1").build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            for (String f : new String[] {"charter.db", "charter.db-wal", "charter.db-shm"}) Files.deleteIfExists(data.resolve(f));

            HttpResponse<String> r = http.send(FailedDeploy.request(base, "acme", "dlv-2").build(), HttpResponse.BodyHandlers.ofString());
            Reply refused = new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
            assertError(refused, 503, "store_unavailable");
            assertFalse(r.body().contains(tmp.toString()) || r.body().contains("charter.db") || r.body().contains("Exception"), r.body());

            Reply health = api.get("/healthz", null);
            assertEquals(503, health.status(), health.text());
            JsonNode h = health.json();
            assertEquals("failing", h.path("status").asText());
            assertEquals("file_deleted", h.path("store").path("faults").path(0).path("code").asText());
            assertEquals("refused", h.path("tenants").path("acme").path("writes").asText());
            assertFalse(health.text().contains(tmp.toString()), "health names no file: " + health.text());

            // and it stays refused: nothing more is acknowledged into the deleted file
            for (int i = 3; i < 6; i++) {
                assertEquals(503, http.send(FailedDeploy.request(base, "acme", "dlv-" + i).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            assertTrue(Files.notExists(data.resolve("charter.db")));
        }
    }
}
