package charter.server.act;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.engine.ingest.VercelSignatureVerifier;
import charter.server.TokenStore;
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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 of a server process while its actions are in flight (the tools answer slowly), then a
 * restart on the same store: every action planned for an acknowledged webhook is carried out, and
 * each tool saw each action as often as its guarantee allows — once where the tool deduplicates
 * (exactly once), once where the connector looks for its marker before trying again (at least once,
 * deduplicated) — none twice.
 */
class KillNineTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    static final String SECRET = "kill-nine-vercel-secret";
    static final int WEBHOOKS = 40;

    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyActionInFlightAtAKillArrivesAsOftenAsItsGuaranteeSays() throws Exception {
        try (FakeTool deduplicating = new FakeTool(true); FakeTool marking = new FakeTool(false)) {
            deduplicating.delayMillis = 300;   // slow answers: a kill finds actions mid-request
            marking.delayMillis = 300;
            Path config = tmp.resolve("serve.yaml");
            StringBuilder tenants = new StringBuilder();
            Map<String, FakeTool> tools = Map.of("once", deduplicating, "marked", marking);
            for (var e : tools.entrySet()) {
                Path program = copyOf(Path.of("../program-examples/acme"), tmp.resolve("program-" + e.getKey()));
                Files.writeString(program.resolve("charter.yaml"), "name: acme\nmain: main.charter\nconnectors:\n  slack.post: live\n");
                tenants.append("""
                          %s:
                            program: %s
                            secrets: {vercel: env:KILL_NINE_SECRET}
                            connectors:
                              slack.post:
                                base_url: %s
                                guarantee: %s
                                concurrency: 8
                        """.formatted(e.getKey(), program, e.getValue().base(),
                        e.getKey().equals("once") ? "EXACTLY_ONCE" : "AT_LEAST_ONCE_DEDUPLICATED"));
            }
            Files.writeString(config, "data: data\ntokens: tokens.jsonl\nactions:\n  lease_seconds: 2\n  backoff_base_millis: 50\n"
                    + "  backoff_cap_seconds: 1\n  poll_millis: 50\ntenants:\n" + tenants);
            Map<String, String> tokens = new HashMap<>();
            for (String t : tools.keySet()) tokens.put(t, TokenStore.create(tmp.resolve("tokens.jsonl"), t, EnumSet.of(TokenStore.Scope.READ)));

            Process first = serve(config);
            List<String> acknowledged = new ArrayList<>();
            try {
                int port = port(first);
                for (int i = 0; i < WEBHOOKS; i++) {
                    for (String t : tools.keySet()) if (deliver(port, t, "kill-" + i)) acknowledged.add(t + "/kill-" + i);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (deduplicating.requests.get() + marking.requests.get() < 10 && System.nanoTime() < deadline) Thread.sleep(5);
            } finally {
                first.destroyForcibly();   // SIGKILL with requests in flight
                assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            }
            int beforeRestart = deduplicating.requests.get() + marking.requests.get();
            assertTrue(beforeRestart >= 10 && beforeRestart < 2 * WEBHOOKS, "the kill came with " + beforeRestart + " requests made");

            Process second = serve(config);
            try {
                int port = port(second);
                for (var e : tools.entrySet()) {
                    List<JsonNode> actions = settled(port, tokens.get(e.getKey()), acknowledged.stream().filter(a -> a.startsWith(e.getKey() + "/")).count());
                    for (JsonNode a : actions) {
                        String id = a.get("id").asText();
                        assertEquals("done", a.get("status").asText(), id + ": " + a);
                        assertEquals(1, e.getValue().appliedCount(id), e.getKey() + ": " + id + " was applied " + e.getValue().appliedCount(id) + " times");
                    }
                }
                System.out.printf("kill -9 test: %d webhooks acknowledged, %d tool requests before the kill, %d + %d after (%d lookups)%n",
                        acknowledged.size(), beforeRestart, deduplicating.requests.get(), marking.requests.get(), marking.lookups.get());
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits (bounded) until the tenant has {@code expected} actions of preview_deploy_failed, all settled; them. */
    private List<JsonNode> settled(int port, String token, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        List<JsonNode> actions = List.of();
        while (System.nanoTime() < deadline) {
            actions = new ArrayList<>();
            get(port, token, "/v1/actions?rule=preview_deploy_failed&limit=500").get("actions").forEach(actions::add);
            if (actions.size() >= expected && actions.stream().allMatch(a -> List.of("done", "failed", "cancelled").contains(a.get("status").asText()))) {
                return actions;
            }
            Thread.sleep(100);
        }
        fail("not every action settled after the restart: " + actions.stream().map(a -> a.get("id").asText() + "=" + a.get("status").asText()).toList()
                + " (expected " + expected + ")");
        return actions;
    }

    private boolean deliver(int port, String tenant, String id) throws Exception {
        String template = Files.readString(Path.of("../engine/src/test/resources/corpus/vercel/DeploymentError.json"));
        byte[] body = template.replace("\"id\": \"ZqayS9s1AVuTRjB83vVSA2me\"", "\"id\": \"" + id + "\"")
                .replace("dpl_12yAAMp54JKe1XxonMYqW4oWtK5K", "dpl_" + id).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/" + tenant + "/vercel"))
                .timeout(Duration.ofSeconds(30))
                .header("x-vercel-signature", VercelSignatureVerifier.sign(SECRET.getBytes(StandardCharsets.UTF_8), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 202;
    }

    private Process serve(Path config) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                ServeWithStandIns.class.getName(), config.toString()).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("KILL_NINE_SECRET", SECRET);
        return pb.start();
    }

    private static int port(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofPlatform().daemon(true).start(() -> out.lines().forEach(l -> { }));
                return Integer.parseInt(m.group(1));
            }
        }
        fail("the server did not start:\n" + seen);
        return -1;
    }

    private JsonNode get(int port, String token, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    static Path copyOf(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }
}
