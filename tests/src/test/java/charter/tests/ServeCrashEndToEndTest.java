package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.engine.ingest.VercelSignatureVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 of a real `charter serve` process in the middle of a stream of webhooks, then a restart
 * on the same data: every delivery that was acknowledged is in the log, and every event in the log
 * is processed exactly once (one action of the rule it triggers, per event, none twice).
 */
class ServeCrashEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "crash-test-vercel-secret";
    static final Pattern LISTENING = Pattern.compile("listening on http://[^ ]+:(\\d+)");

    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAcknowledgedDeliverySurvivesAKillAndIsProcessedExactlyOnce() throws Exception {
        Path config = tmp.resolve("charter-serve.yaml");
        Files.writeString(config, """
                data: data
                tokens: tokens.jsonl
                tenants:
                  acme:
                    program: %s
                    secrets:
                      vercel: env:CRASH_TEST_VERCEL_SECRET
                """.formatted(Charter.root().resolve("program-examples/acme")));
        Charter.Result token = Charter.runIn(tmp, "token", "create", "--config", config.toString(), "--tenant", "acme", "--scopes", "read");
        assertEquals(0, token.code(), token.toString());
        String read = token.out().strip();

        Process first = serve(config);
        int port = port(first);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        java.util.Queue<String> refused = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            senders.add(Thread.ofPlatform().start(() -> stream(port, client, sent, acknowledged, refused)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < 400 && System.nanoTime() < deadline) Thread.sleep(10);
        first.destroyForcibly();   // SIGKILL: no shutdown hook, no flush, mid-stream
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        for (Thread t : senders) t.join(30_000);
        assertEquals(List.of(), List.copyOf(refused), "no delivery may be refused while the server is up");
        assertTrue(acknowledged.size() >= 100, "too few deliveries were acknowledged before the kill: " + acknowledged.size());

        Process second = serve(config);
        try {
            int again = port(second);
            awaitCaughtUp(again, read);
            Map<String, Long> logged = new HashMap<>();   // event id -> sequence
            for (JsonNode e : pages(again, read, "/v1/events", "events")) {
                if (logged.put(e.get("id").asText(), e.get("sequence").asLong()) != null) fail("event twice in the log: " + e.get("id"));
            }
            for (String delivery : acknowledged) {
                assertTrue(logged.containsKey("vercel:" + delivery), "acknowledged delivery " + delivery + " is not in the log");
            }
            Map<String, Integer> actionsPerEvent = new HashMap<>();
            Set<String> actionIds = new HashSet<>();
            for (JsonNode a : pages(again, read, "/v1/actions?rule=preview_deploy_failed", "actions")) {
                assertTrue(actionIds.add(a.get("id").asText()), "action recorded twice: " + a.get("id"));
                for (JsonNode id : a.get("provenance").get("eventIds")) actionsPerEvent.merge(id.asText(), 1, Integer::sum);
            }
            for (String event : logged.keySet()) {
                assertEquals(1, actionsPerEvent.getOrDefault(event, 0), "actions of preview_deploy_failed for " + event);
            }
            System.out.printf("kill -9 test: %d sent, %d acknowledged before the kill, %d in the log, %d actions after restart%n",
                    sent.get(), acknowledged.size(), logged.size(), actionIds.size());
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process serve(Path config) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Charter.root().resolve("charter").toString(), "serve", "--config", config.toString(), "--port", "0")
                .directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("CRASH_TEST_VERCEL_SECRET", SECRET);
        return pb.start();
    }

    /** Reads the server's output until it says where it listens (bounded by the launcher's timeout). */
    private static int port(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Charter.TIMEOUT_SECONDS);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofPlatform().daemon(true).start(() -> out.lines().forEach(l -> { }));   // keep the pipe drained
                return Integer.parseInt(m.group(1));
            }
        }
        p.destroyForcibly();
        fail("the server did not start:\n" + seen);
        return -1;
    }

    /** Sends failed preview deploys, each under a new delivery id, until the server stops answering. */
    private void stream(int port, int client, AtomicInteger sent, Set<String> acknowledged, java.util.Queue<String> refused) {
        String template;
        try {
            template = Files.readString(Charter.root().resolve("engine/src/test/resources/corpus/vercel/DeploymentError.json"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; i < 5_000; i++) {
            String id = "crash-" + client + "-" + i;
            byte[] body = template.replace("\"id\": \"ZqayS9s1AVuTRjB83vVSA2me\"", "\"id\": \"" + id + "\"").getBytes(StandardCharsets.UTF_8);
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/acme/vercel"))
                    .timeout(Duration.ofSeconds(5))
                    .header("x-vercel-signature", VercelSignatureVerifier.sign(SECRET.getBytes(StandardCharsets.UTF_8), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            sent.incrementAndGet();
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) acknowledged.add(id);
                else refused.add(id + ": " + r.statusCode() + " " + r.body());
            } catch (IOException e) {
                return;   // the server is gone: what was not acknowledged is the sender's to retry
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void awaitCaughtUp(int port, String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            JsonNode s = get(port, token, "/v1/status");
            if (s.get("caughtUp").asBoolean()) return;
            Thread.sleep(100);
        }
        fail("the restarted server did not process its log within 120 s");
    }

    private List<JsonNode> pages(int port, String token, String path, String list) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String next = path + (path.contains("?") ? "&" : "?") + "limit=500";
        while (next != null) {
            JsonNode page = get(port, token, next);
            page.get(list).forEach(out::add);
            next = page.get("next").isNull() ? null : page.get("next").asText();
        }
        return out;
    }

    private JsonNode get(int port, String token, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
