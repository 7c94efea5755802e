package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.ingest.GithubSignatureVerifier;
import charter.engine.ingest.LinearSignatureVerifier;
import charter.engine.ingest.SentrySignatureVerifier;
import charter.engine.ingest.VercelSignatureVerifier;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over real HTTP on loopback, with a real SQLite store and the acme Program: signed
 * corpus deliveries for every source, every refusal (none reaches the log), intents allowed, denied
 * and overridden, and two tenants that cannot see each other.
 */
class ServerHttpTest {
    static final Path CORPUS = Path.of("../engine/src/test/resources/corpus");
    static final Path ACME = Path.of("../program-examples/acme");
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] GH = "gh-secret".getBytes(StandardCharsets.UTF_8);
    static final byte[] VC = "vercel-secret".getBytes(StandardCharsets.UTF_8);
    static final byte[] LN = "linear-secret".getBytes(StandardCharsets.UTF_8);
    static final byte[] SN = "sentry-secret".getBytes(StandardCharsets.UTF_8);
    static final byte[] BETA_GH = "beta-gh-secret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path tmp;
    static CharterServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static String base;
    static String acmeRead;
    static String acmeIntents;
    static String betaAll;
    static Path data;

    @BeforeAll
    static void start() {
        data = tmp.resolve("data");
        Path tokens = tmp.resolve("tokens.jsonl");
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("acme", new ServerConfig.TenantConfig("acme", ACME, null, null, null,
                Map.of("github", GH, "vercel", VC, "linear", LN, "sentry", SN)));
        tenants.put("beta", new ServerConfig.TenantConfig("beta", ACME, null, null, null, Map.of("github", BETA_GH)));
        server = CharterServer.start(new ServerConfig(0, data.toString(), tokens, 64 * 1024, tenants));
        base = "http://127.0.0.1:" + server.port();
        acmeRead = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ));
        acmeIntents = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ, TokenStore.Scope.INTENTS));
        betaAll = TokenStore.create(tokens, "beta", EnumSet.of(TokenStore.Scope.ADMIN));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    record Reply(int status, JsonNode body) {}

    static Reply post(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    static Reply get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    static Reply postJson(String path, String token, String json) throws Exception {
        return post(path, token == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token), json.getBytes(StandardCharsets.UTF_8));
    }

    static long logSize(String tenant) {
        try (EventStore s = EventStores.open(data.toString())) {
            return s.events(tenant, EventStore.EventQuery.all()).size();
        }
    }

    static Map<String, String> github(String event, byte[] body, byte[] secret) {
        return Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", GithubSignatureVerifier.sign(secret, body));
    }

    static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Linear's corpus bodies are from 2023: a fresh `webhookTimestamp` keeps them inside the 60 s window. */
    static byte[] freshLinear(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8)
                .replaceAll("\"webhookTimestamp\"\\s*:\\s*(\"[^\"]*\"|\\d+)", "\"webhookTimestamp\": " + System.currentTimeMillis());
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signedCorpusDeliveriesOfEverySourceAreAcceptedThenDuplicatesAreNoOps() throws Exception {
        long before = logSize("acme");
        List<String> accepted = new ArrayList<>();
        // GitHub: one delivery per event folder (the first file)
        try (Stream<Path> dirs = Files.list(CORPUS.resolve("github"))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().limit(12).toList()) {
                Path f = files(dir).getFirst();
                byte[] body = Files.readAllBytes(f);
                Reply r = post("/webhooks/acme/github", github(dir.getFileName().toString(), body, GH), body);
                assertEquals(202, r.status(), f + ": " + r.body());
                accepted.add(r.body().get("eventId").asText());
            }
        }
        for (Path f : files(CORPUS.resolve("vercel"))) {
            if (f.toString().contains("payload-only")) continue; // a bare payload without its envelope: rejected by design
            byte[] body = Files.readAllBytes(f);
            Reply r = post("/webhooks/acme/vercel", Map.of("x-vercel-signature", VercelSignatureVerifier.sign(VC, body)), body);
            assertTrue(r.status() == 202 || r.status() == 200, f + ": " + r.body()); // the corpus repeats some envelope ids
            if (r.status() == 202) accepted.add(r.body().get("eventId").asText());
        }
        for (Path f : files(CORPUS.resolve("linear"))) {
            byte[] body = freshLinear(Files.readAllBytes(f));
            Reply r = post("/webhooks/acme/linear", Map.of("linear-signature", LinearSignatureVerifier.sign(LN, body),
                    "Linear-Delivery", UUID.randomUUID().toString()), body);
            assertEquals(202, r.status(), f + ": " + r.body());
            accepted.add(r.body().get("eventId").asText());
        }
        for (Path f : files(CORPUS.resolve("sentry"))) {
            byte[] body = Files.readAllBytes(f);
            String resource = f.getFileName().toString().split("\\.")[0];
            Reply r = post("/webhooks/acme/sentry", Map.of("Sentry-Hook-Signature", SentrySignatureVerifier.sign(SN, body),
                    "Sentry-Hook-Resource", resource, "Request-ID", UUID.randomUUID().toString()), body);
            assertEquals(202, r.status(), f + ": " + r.body());
            accepted.add(r.body().get("eventId").asText());
        }
        assertEquals(before + accepted.size(), logSize("acme"), "every acknowledged delivery is in the log, once");

        // the same GitHub delivery twice: the second is a 200 no-op
        byte[] body = Files.readAllBytes(files(CORPUS.resolve("github/push")).getFirst());
        Map<String, String> h = github("push", body, GH);
        assertEquals(202, post("/webhooks/acme/github", h, body).status());
        long after = logSize("acme");
        Reply dup = post("/webhooks/acme/github", h, body);
        assertEquals(200, dup.status());
        assertEquals("duplicate", dup.body().get("status").asText());
        assertEquals(after, logSize("acme"));

        // the events are readable back, paginated by sequence
        Reply page1 = get("/v1/events?limit=5", acmeRead);
        assertEquals(200, page1.status());
        assertEquals(5, page1.body().get("events").size());
        long last = page1.body().get("events").get(4).get("sequence").asLong();
        Reply page2 = get("/v1/events?limit=5&after=" + last, acmeRead);
        assertEquals(last + 1, page2.body().get("events").get(0).get("sequence").asLong());
        Reply vercel = get("/v1/events?source=vercel&limit=500", acmeRead);
        for (JsonNode e : vercel.body().get("events")) assertEquals("vercel", e.get("source").asText());
        assertTrue(vercel.body().get("events").size() > 0);
        // and the graph: the deployment the Vercel deliveries claimed
        Reply entity = get("/v1/entities/deployment/dpl_12yAAMp54JKe1XxonMYqW4oWtK5K", acmeRead);
        assertEquals(200, entity.status(), String.valueOf(entity.body()));
        assertTrue(entity.body().get("claims").size() > 0);
        assertEquals(404, get("/v1/entities/deployment/nope", acmeRead).status());
    }

    @Test
    void everyRefusalHasItsStatusAndAJsonBodyAndNoneReachesTheLog() throws Exception {
        long before = logSize("acme");
        byte[] body = Files.readAllBytes(files(CORPUS.resolve("github/push")).getFirst());

        Reply wrong = post("/webhooks/acme/github", github("push", body, "not-the-secret".getBytes()), body);
        assertEquals(401, wrong.status());
        assertEquals("signature_invalid", wrong.body().get("error").get("code").asText());

        Reply missing = post("/webhooks/acme/github", Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1"), body);
        assertEquals(401, missing.status());
        assertEquals("signature_missing", missing.body().get("error").get("code").asText());

        byte[] stale = Files.readAllBytes(CORPUS.resolve("linear/IssueCreated.json")); // signed 2023
        Reply old = post("/webhooks/acme/linear", Map.of("linear-signature", LinearSignatureVerifier.sign(LN, stale)), stale);
        assertEquals(401, old.status());
        assertEquals("signature_stale", old.body().get("error").get("code").asText());

        byte[] big = new byte[70 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        Reply tooBig = post("/webhooks/acme/github", github("push", big, GH), big);
        assertEquals(413, tooBig.status());
        assertEquals("too_large", tooBig.body().get("error").get("code").asText());

        byte[] broken = "{\"ref\": \"refs/heads/main\", ".getBytes();
        Reply malformed = post("/webhooks/acme/github", github("push", broken, GH), broken);
        assertEquals(400, malformed.status());
        assertEquals("malformed_json", malformed.body().get("error").get("code").asText());

        Reply noTenant = post("/webhooks/nobody/github", github("push", body, GH), body);
        assertEquals(404, noTenant.status());
        assertEquals("unknown_tenant", noTenant.body().get("error").get("code").asText());
        Reply noSource = post("/webhooks/acme/gitlab", Map.of(), body);
        assertEquals(404, noSource.status());
        assertEquals("unknown_source", noSource.body().get("error").get("code").asText());
        Reply notConfigured = post("/webhooks/beta/vercel", Map.of(), body);
        assertEquals(404, notConfigured.status());
        // two tenants: the one-tenant route is not served
        assertEquals(404, post("/webhooks/github", github("push", body, GH), body).status());
        // beta's secret does not open acme's door
        assertEquals(401, post("/webhooks/acme/github", github("push", body, BETA_GH), body).status());

        assertEquals(before, logSize("acme"), "no refusal reaches the log");
    }

    /**
     * A refusal that comes before the body was read (an unknown tenant: 404, decided on the
     * headers) is one answer, sent once the body has arrived and been dropped, on a connection that
     * stays usable for the next request. Answering and closing with the body unread reset the
     * connection, and the sender could lose the answer.
     */
    @Test
    void aRefusalIsOneWellFormedResponseOnAConnectionThatStaysOpen() throws Exception {
        byte[] body = "{\"zen\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            out.write(("POST /webhooks/nobody/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);   // the server has refused on the headers by now; the body is still to come
            out.write(body);
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String first = rawResponse(in);
            assertTrue(first.startsWith("HTTP/1.1 404"), first);
            assertEquals("unknown_tenant", JSON.readTree(first.substring(first.indexOf("\r\n\r\n") + 4)).get("error").get("code").asText());
            String second = rawResponse(in);
            assertTrue(second.startsWith("HTTP/1.1 200"), "the next answer on the connection: " + second);
        }
    }

    /** One HTTP/1.1 response with a Content-Length body, read off a raw connection. */
    private static String rawResponse(java.io.DataInputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        byte[] body = new byte[m.find() ? Integer.parseInt(m.group(1)) : 0];
        in.readFully(body);
        return head + new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void intentsAreAllowedDeniedAndOverriddenWithAnAudit() throws Exception {
        Reply allowed = postJson("/v1/intents", acmeIntents,
                "{\"intent\":\"ship\",\"actor\":\"carolw\",\"params\":{\"project\":\"api\",\"sha\":\"2c3413d\",\"target\":\"production\"}}");
        assertEquals(200, allowed.status(), String.valueOf(allowed.body()));
        assertEquals("allow", allowed.body().get("verdict").asText(), String.valueOf(allowed.body()));
        assertEquals(2, allowed.body().get("actions").size());
        assertEquals("vercel.deploy", allowed.body().get("actions").get(0).get("tool").asText());
        assertTrue(allowed.body().get("programVersion").asText().startsWith("sha256:"));
        assertTrue(allowed.body().get("recorded").asBoolean());

        Reply denied = postJson("/v1/intents", acmeIntents,
                "{\"id\":\"tri-1\",\"intent\":\"triage\",\"actor\":\"carolw\",\"params\":{\"issue_id\":\"42\",\"assignee\":\"mallory\"}}");
        assertEquals("deny", denied.body().get("verdict").asText());
        JsonNode denial = denied.body().get("denials").get(0);
        assertEquals("triage_to_known_person", denial.get("invariant").asText());
        assertEquals("hard", denial.get("level").asText());
        assertTrue(denial.get("location").asText().contains("intents.charter"));
        Reply cannot = postJson("/v1/intents/tri-1/override", acmeIntents, "{\"actor\":\"alice\",\"reason\":\"please\"}");
        assertEquals(409, cannot.status());

        Reply dry = postJson("/v1/intents", acmeIntents,
                "{\"id\":\"rb-dry\",\"intent\":\"rollback\",\"actor\":\"dave-r\",\"params\":{\"project\":\"api\"},\"dry_run\":true}");
        assertEquals("needs-override", dry.body().get("verdict").asText());
        assertFalse(dry.body().get("recorded").asBoolean());
        assertEquals(404, postJson("/v1/intents/rb-dry/override", acmeIntents, "{\"actor\":\"alice\",\"reason\":\"x\"}").status());

        Reply soft = postJson("/v1/intents", acmeIntents,
                "{\"id\":\"rb-1\",\"intent\":\"rollback\",\"actor\":\"dave-r\",\"params\":{\"project\":\"api\"},\"reason\":\"broken\"}");
        assertEquals("needs-override", soft.body().get("verdict").asText());
        assertEquals("soft", soft.body().get("denials").get(0).get("level").asText());
        assertEquals(0, soft.body().get("actions").size());
        assertEquals(400, postJson("/v1/intents/rb-1/override", acmeIntents, "{\"actor\":\"alice\"}").status());
        assertEquals("broken", soft.body().get("reason").asText());
        // Who may override is the Program's: the owners of api (Platform), never the sender; refusals record nothing.
        Reply own = postJson("/v1/intents/rb-1/override", acmeIntents, "{\"actor\":\"dave\",\"reason\":\"mine\"}");
        assertEquals(403, own.status(), String.valueOf(own.body()));
        assertEquals("override_not_allowed", own.body().get("error").get("code").asText());
        assertTrue(own.body().get("error").get("message").asText().contains("dave sent this intent and may not override its own denial"),
                own.body()::toString);
        Reply stranger = postJson("/v1/intents/rb-1/override", acmeIntents, "{\"actor\":\"frank\",\"reason\":\"I know best\"}");
        assertEquals(403, stranger.status(), String.valueOf(stranger.body()));
        assertEquals("frank may not override `rollback_by_owning_team`; who may: owner(intent.project) (team platform), but not the sender",
                stranger.body().get("error").get("message").asText());
        assertFalse(stranger.body().get("decision").get("recorded").asBoolean());
        Reply over = postJson("/v1/intents/rb-1/override", acmeIntents, "{\"actor\":\"alice\",\"reason\":\"Platform agreed\"}");
        assertEquals(200, over.status(), String.valueOf(over.body()));
        assertEquals("allow", over.body().get("verdict").asText());
        assertEquals("alice", over.body().get("override").get("actor").asText());
        assertEquals(soft.body().get("sequence").asLong(), over.body().get("overrides").asLong());
        assertEquals("vercel.rollback", over.body().get("actions").get(0).get("tool").asText());

        assertEquals(409, postJson("/v1/intents", acmeIntents,
                "{\"id\":\"rb-1\",\"intent\":\"rollback\",\"actor\":\"dave-r\",\"params\":{\"project\":\"api\"}}").status());
        Reply bad = postJson("/v1/intents", acmeIntents, "{\"intent\":\"shipp\",\"actor\":\"x\"}");
        assertEquals(400, bad.status());
        assertTrue(bad.body().get("error").get("message").asText().contains("did you mean"), String.valueOf(bad.body()));
        assertEquals(400, postJson("/v1/intents", acmeIntents, "{not json").status());
        assertEquals(403, postJson("/v1/intents", acmeRead, "{}").status(), "the read scope cannot decide");

        JsonNode audit = get("/v1/decisions", acmeRead).body().get("decisions");
        List<String> ids = new ArrayList<>();
        for (JsonNode d : audit) ids.add(d.get("intentId").asText() + ":" + d.get("verdict").asText());
        assertTrue(ids.containsAll(List.of("tri-1:deny", "rb-1:needs-override", "rb-1:allow")), ids.toString());
        assertFalse(ids.stream().anyMatch(s -> s.startsWith("rb-dry")), "a dry run is not recorded");
    }

    @Test
    void aTenantsTokenNeverReachesAnotherTenantsData() throws Exception {
        byte[] body = Files.readAllBytes(files(CORPUS.resolve("github/push")).getFirst());
        assertEquals(202, post("/webhooks/beta/github", github("push", body, BETA_GH), body).status());
        postJson("/v1/intents", acmeIntents, "{\"id\":\"iso-acme\",\"intent\":\"rollback\",\"actor\":\"carolw\",\"params\":{\"project\":\"api\"}}");

        JsonNode betaEvents = get("/v1/events?limit=500", betaAll).body().get("events");
        assertEquals(logSize("beta"), betaEvents.size());
        for (JsonNode d : get("/v1/decisions?limit=500", betaAll).body().get("decisions")) {
            assertNotEquals("iso-acme", d.get("intentId").asText());
        }
        assertEquals(404, postJson("/v1/intents/iso-acme/override", betaAll, "{\"actor\":\"a\",\"reason\":\"b\"}").status());
        assertEquals("beta", get("/v1/program", betaAll).body().get("tenant").asText());
        assertEquals("acme", get("/v1/program", acmeRead).body().get("tenant").asText());
        // no token, a made-up token: 401 and no data
        for (String path : List.of("/v1/events", "/v1/decisions", "/v1/program", "/v1/actions", "/v1/entities/deployment/x")) {
            Reply none = get(path, null);
            assertEquals(401, none.status(), path);
            assertFalse(none.body().has("events"));
            assertEquals(401, get(path, "chr_forged").status(), path);
        }
        // public endpoints
        assertEquals("ok", get("/healthz", null).body().get("status").asText());
        assertEquals("3.1.0", get("/v1/openapi.json", null).body().get("openapi").asText());
    }

    @Test
    void tokensAreStoredHashed() throws Exception {
        String all = Files.readString(tmp.resolve("tokens.jsonl"));
        assertFalse(all.contains(acmeRead.substring(4)));
        assertTrue(all.contains(TokenStore.hash(acmeRead)));
        assertEquals(Instant.class, Instant.now().getClass());
    }
}
