package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL server (scripts/postgres-test-server, a cluster of this test's own) is stopped
 * and started again in the middle of a stream of signed webhook deliveries over HTTP. The sender
 * retries a delivery until it is acknowledged, as a webhook source does. Then: every acknowledged
 * delivery is in the log, once; the only refusals were 503, and only while the database was down
 * (or just after, while the pool reconnects); and the server carried on by itself, the Program
 * running the whole log.
 */
class PostgresRestartTest {
    static final Path SCRIPT = Path.of("../scripts/postgres-test-server");
    /** After the database is back, how long the pool may still answer 503 (a connection attempt in flight). */
    static final Duration RECONNECT = Duration.ofSeconds(5);

    @TempDir
    Path tmp;
    Path cluster;
    CharterServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (cluster != null) script("stop", cluster);
    }

    @Test
    void aDatabaseRestartMidStreamLosesNoAcknowledgedDeliveryAndAnswers503OnlyWhileDown() throws Exception {
        Assumptions.assumeFalse("1".equals(System.getenv("CHARTER_SKIP_PG")), "CHARTER_SKIP_PG=1");
        // Not under @TempDir: as root, the script hands the folder to the postgres user, who must reach it.
        cluster = java.nio.file.Files.createTempDirectory("charter-pg-restart-");
        String url;
        try {
            url = script("start", cluster).strip();
        } catch (IllegalStateException e) {
            cluster = null;
            Assumptions.abort("PostgreSQL cannot be started here: " + e.getMessage());
            return;
        }
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("acme", new ServerConfig.TenantConfig("acme", ServerHttpTest.ACME, null, null, null, Map.of("vercel", FailedDeploy.SECRET)));
        server = CharterServer.start(new ServerConfig(0, url, tmp.resolve("tokens.jsonl"), 64 * 1024, tenants));
        String base = "http://127.0.0.1:" + server.port();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        int n = 30;
        int downAt = 10;
        long[] down = new long[2];
        long[] up = new long[2];
        List<String> acknowledged = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int i = 0; i < n; i++) {
            String id = "restart-" + i;
            if (i == downAt) {
                down[0] = System.nanoTime();
                script("down", cluster);
                down[1] = System.nanoTime();
            }
            if (i == downAt + 5) {   // five deliveries tried (and refused) while it is down
                up[0] = System.nanoTime();
                script("up", cluster);
                up[1] = System.nanoTime();
            }
            while (true) {
                assertTrue(System.nanoTime() < deadline, "delivery " + id + " never acknowledged; refusals " + refusals);
                long sent = System.nanoTime();
                HttpResponse<String> r = http.send(FailedDeploy.request(base, "acme", id, "dpl_" + i).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() == 202 || r.statusCode() == 200) {   // accepted, or a duplicate of an accepted one
                    acknowledged.add(id);
                    break;
                }
                refusals.add(id + " " + r.statusCode() + " " + r.body());
                assertEquals(503, r.statusCode(), "only 503 while the database is away: " + r.body());
                boolean whileDown = down[0] != 0 && sent >= down[0] && (up[1] == 0 || sent <= up[1] + RECONNECT.toNanos());
                assertTrue(whileDown, "a 503 while the database was up: " + r.body());
                if (i >= downAt + 5) Thread.sleep(200);   // retry as a source does, a little later
                else break;   // while it is down: move on, the delivery is retried after (below)
            }
        }
        // the deliveries refused while it was down, sent again now that it is back
        Set<String> acked = new HashSet<>(acknowledged);
        for (int i = 0; i < n; i++) {
            String id = "restart-" + i;
            if (acked.contains(id)) continue;
            HttpResponse<String> r = http.send(FailedDeploy.request(base, "acme", id, "dpl_" + i).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());
            acknowledged.add(id);
        }
        assertTrue(refusals.size() >= 5, "deliveries were refused while it was down: " + refusals);
        assertEquals(n, acknowledged.size());

        // every acknowledged delivery is in the log, once; and the Program ran the whole log
        try (EventStore check = EventStores.open(url)) {
            List<EventStore.StoredEvent> log = check.events("acme", new EventStore.EventQuery(null, null, null, 0, 10 * n));
            List<String> ids = log.stream().map(EventStore.StoredEvent::deliveryId).toList();
            assertEquals(n, ids.size(), "one event per delivery: " + ids);
            assertEquals(new HashSet<>(acknowledged), new HashSet<>(ids));
            long head = log.getLast().sequence();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.processedSequence("acme") < head) {
                assertTrue(System.nanoTime() < until, "the Program did not carry on to the log's head " + head);
                Thread.sleep(100);
            }
        }
    }

    /** Runs the test-server script; its stdout (the URL for start). */
    private static String script(String command, Path dir) throws Exception {
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), command, dir.toString()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("postgres-test-server " + command + " failed: " + err);
        }
        return out;
    }
}
