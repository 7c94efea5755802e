package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproducers of issue 12 (items 1, 4, 5) and issue 13 section 4 against a real server over
 * loopback HTTP: each answers a 4xx that says why, never a 5xx, and none leaves the tenant unable
 * to decide intents or take the next webhook.
 */
class HostileInputServerTest {
    static final Path CORPUS = Path.of("../engine/src/test/resources/corpus");
    static final Path ACME = Path.of("../program-examples/acme");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static CharterServer server;
    static SignedDeliveries webhooks;
    static String base;
    static String token;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Path tokens = tmp.resolve("tokens.jsonl");
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("acme", new ServerConfig.TenantConfig("acme", ACME, null, null, null, SignedDeliveries.SECRETS));
        server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 1024 * 1024, tenants));
        base = "http://127.0.0.1:" + server.port();
        webhooks = new SignedDeliveries(base, "acme");
        token = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ, TokenStore.Scope.INTENTS));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static String corpus(String relative) throws Exception {
        return Files.readString(CORPUS.resolve(relative));
    }

    static String code(SignedDeliveries.Answer a) throws Exception {
        return JSON.readTree(a.body()).path("error").path("code").asText();
    }

    static SignedDeliveries.Answer vercelCreatedAt(String createdAt, String id) throws Exception {
        String body = corpus("vercel/DeploymentError.json").replaceFirst("\"createdAt\": *[0-9]+", "\"createdAt\": " + createdAt)
                .replaceFirst("\"id\": *\"[^\"]*\"", "\"id\": \"" + id + "\"");
        return webhooks.post("vercel", "", body.getBytes(StandardCharsets.UTF_8));
    }

    static SignedDeliveries.Answer sentryAt(String hookTimestamp) throws Exception {
        byte[] body = Files.readAllBytes(CORPUS.resolve("sentry/example-app/issue.created.json"));
        Map<String, String> h = new LinkedHashMap<>(SignedDeliveries.headers("sentry", "issue", body));
        h.put("Sentry-Hook-Timestamp", hookTimestamp);   // not covered by Sentry's signature
        return webhooks.post("sentry", h, body);
    }

    static JsonNode intent(String json) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/v1/intents")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
        JsonNode n = JSON.readTree(a.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("status", a.statusCode());
        return n;
    }

    static int get(String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).GET().build();
        return http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static String ship(String extra) {
        return "{\"intent\":\"ship\",\"actor\":\"carolw\",\"params\":{\"project\":\"api\",\"sha\":\"2c3413d\",\"target\":\"staging\"}" + extra + "}";
    }

    @Test
    void aNonFiniteNumberIsRefusedWith400() throws Exception {
        String pr = corpus("github/pull_request/pull_request.opened.0.json")
                .replaceFirst("\"additions\": *1", "\"additions\": 1e999").replaceFirst("\"deletions\": *[0-9]+", "\"deletions\": -1e999");
        SignedDeliveries.Answer a = webhooks.post("github", "pull_request", pr.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, a.status(), a.body());
        assertEquals("number_out_of_range", code(a));
    }

    @Test
    void timesThatOverflowAreRefusedWith400() throws Exception {
        for (String createdAt : List.of("100000000000000000", "-9223372036854775809", "\"+999999999-12-31T23:59:59Z\"")) {
            SignedDeliveries.Answer a = vercelCreatedAt(createdAt, "evt-overflow");
            assertEquals(400, a.status(), createdAt + ": " + a.body());
            assertEquals("time_out_of_range", code(a));
        }
        SignedDeliveries.Answer s = sentryAt("9223372036854775807");
        assertEquals(400, s.status(), s.body());
        assertEquals(400, get("/v1/events?since=%2B999999999-12-31T23:59:59Z"));
        assertEquals(200, get("/v1/events?since=1900-01-01T00:00:00Z"));
    }

    @Test
    void anUnsignedTimestampFarAheadCannotBreakTheTenantsIntents() throws Exception {
        SignedDeliveries.Answer s = sentryAt("253402300799");
        assertEquals(400, s.status(), s.body());
        assertEquals("time_out_of_range", code(s));
        JsonNode d = intent(ship(""));
        assertEquals(200, d.get("status").asInt(), d.toString());
        assertEquals("allow", d.get("verdict").asText());
    }

    @Test
    void anIntentTimeIsTheMomentItIsMadeAndOneFarFromNowIsRefusedNot500() throws Exception {
        JsonNode past = intent(ship(",\"time\":\"2026-03-06T15:10:00Z\""));
        assertEquals(400, past.get("status").asInt(), past.toString());
        assertEquals("time_out_of_range", past.path("error").path("code").asText());
        JsonNode dryAhead = intent(ship(",\"dry_run\":true,\"time\":\"" + Instant.now().plus(Duration.ofDays(8)) + "\""));
        assertEquals(400, dryAhead.get("status").asInt(), dryAhead.toString());

        Instant before = Instant.now();
        JsonNode dry = intent(ship(",\"dry_run\":true,\"time\":\"" + before.plus(Duration.ofMinutes(10)) + "\""));
        assertEquals(200, dry.get("status").asInt(), dry.toString());
        JsonNode live = intent(ship(",\"time\":\"" + Instant.now().minusSeconds(30) + "\""));
        assertEquals(200, live.get("status").asInt(), live.toString());
        Instant decided = Instant.parse(live.get("time").asText());
        assertTrue(!decided.isBefore(before.minusSeconds(2)) && decided.isBefore(Instant.now().plusSeconds(2)),
                "decided at the server's clock, not ten minutes ahead after the dry run: " + decided);
    }

    @Test
    void aBadDeliveryAmongValidOnesIsRefusedAloneAndNeverFailsTheOthers() throws Exception {
        byte[] good = Files.readAllBytes(CORPUS.resolve("sentry/example-app/issue.created.json"));
        long before = logSize();
        int rounds = 10;
        int valid = 23;
        List<Future<SignedDeliveries.Answer>> goods = new ArrayList<>();
        List<Future<SignedDeliveries.Answer>> bads = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < valid; i++) {
                    goods.add(pool.submit(() -> webhooks.post("sentry", "issue", good)));
                    if (i == valid / 2) {
                        String id = "evt-poison-" + round;
                        bads.add(pool.submit(() -> vercelCreatedAt("-9223372036854775809", id)));
                    }
                }
            }
        }
        for (Future<SignedDeliveries.Answer> f : goods) assertEquals(202, f.get().status(), f.get().body());
        for (Future<SignedDeliveries.Answer> f : bads) assertEquals(400, f.get().status(), f.get().body());
        assertEquals(before + (long) rounds * valid, logSize());
    }

    static long logSize() {
        try (EventStore s = EventStores.open(tmp.resolve("data").toString())) {
            return s.events("acme", EventStore.EventQuery.all()).size();
        }
    }
}
