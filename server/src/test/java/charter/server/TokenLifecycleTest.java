package charter.server;

import static charter.server.ServerApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.server.ApiClient.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens on a running server: a revoked or hand-deleted token stops working within a second, a
 * malformed file never turns a request into a 500 (the last good file is kept), names and expiry.
 */
class TokenLifecycleTest {
    static final EnumSet<TokenStore.Scope> READ = EnumSet.of(TokenStore.Scope.READ);

    @TempDir
    static Path tmp;
    static CharterServer server;
    static ApiClient api;
    static Path tokens;

    @BeforeAll
    static void start() {
        tokens = tmp.resolve("tokens.jsonl");
        server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024,
                Map.of("acme", new ServerConfig.TenantConfig("acme", ServerHttpTest.ACME, null, null, null, Map.of()))));
        api = new ApiClient("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Polls until the token answers {@code status}, for at most a second. */
    static Reply within1s(String token, int status) throws Exception {
        long deadline = System.nanoTime() + 1_000_000_000L;
        Reply r;
        do {
            r = api.get("/v1/status", token);
            if (r.status() == status) return r;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return r;
    }

    @Test
    void aRevokedTokenStopsWorkingWithinASecondAndTheOthersGoOn() throws Exception {
        String keep = TokenStore.create(tokens, "acme", READ, "keep-1", null);
        String gone = TokenStore.create(tokens, "acme", READ, "gone-1", null);
        assertEquals(200, api.get("/v1/status", keep).status());
        assertEquals(200, api.get("/v1/status", gone).status());
        List<TokenStore.Token> revoked = TokenStore.revoke(tokens, t -> "gone-1".equals(t.name()));
        assertEquals(1, revoked.size());
        assertError(within1s(gone, 401), 401, "token_invalid");
        assertEquals(200, api.get("/v1/status", keep).status());
    }

    @Test
    void aTokenDeletedFromTheFileByHandStopsWorkingWithinASecond() throws Exception {
        String doomed = TokenStore.create(tokens, "acme", READ, "by-hand", null);
        assertEquals(200, api.get("/v1/status", doomed).status());
        List<String> lines = Files.readAllLines(tokens);
        List<String> kept = lines.stream().filter(l -> !l.contains("\"by-hand\"")).toList();
        assertEquals(lines.size() - 1, kept.size());
        // in place, same file: as an editor that truncates and writes would
        Files.write(tokens, kept, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        assertError(within1s(doomed, 401), 401, "token_invalid");
    }

    @Test
    void aMalformedFileKeepsTheLastGoodTokensAndNeverAnswers500() throws Exception {
        String good = TokenStore.create(tokens, "acme", READ, "survivor", null);
        assertEquals(200, api.get("/v1/status", good).status());
        byte[] before = Files.readAllBytes(tokens);
        try {
            Files.writeString(tokens, "{not json\n", StandardOpenOption.APPEND);
            Thread.sleep(2 * TokenStore.RECHECK.toMillis());
            for (String t : new String[] {null, "chr_unknown", "garbage"}) {
                Reply r = api.get("/v1/status", t);
                assertEquals(401, r.status(), r.text());
                assertFalse(r.text().contains(tokens.toString()) || r.text().contains("tokens.jsonl"), r.text());
            }
            assertEquals(200, api.get("/v1/status", good).status(), "the last good file is kept");
        } finally {
            Files.write(tokens, before);
        }
    }

    @Test
    void aMalformedFileRefusesTheStartWithItsLine() throws Exception {
        Path bad = tmp.resolve("bad-tokens.jsonl");
        Files.writeString(bad, "{\"tenant\":\"acme\",\"scopes\":[\"read\"],\"sha256\":\"" + "a".repeat(64) + "\"}\n{\"tenant\":\"acme\"}\n");
        ServerConfig.ConfigException e = assertThrows(ServerConfig.ConfigException.class, () -> new TokenStore(bad));
        assertTrue(e.getMessage().contains("bad-tokens.jsonl:2"), e.getMessage());
    }

    @Test
    void anExpiredTokenIsRefusedAsExpired() throws Exception {
        String old = TokenStore.create(tokens, "acme", READ, "expired-1", Instant.now().minusSeconds(1));
        assertError(api.get("/v1/status", old), 401, "token_expired");
        String later = TokenStore.create(tokens, "acme", READ, "expires-later", Instant.now().plusSeconds(3600));
        assertEquals(200, api.get("/v1/status", later).status());
    }

    @Test
    void namesAreUniqueAndListedWithTheirIds() throws Exception {
        Path file = tmp.resolve("names.jsonl");
        String t = TokenStore.create(file, "acme", READ, "ci", null);
        assertThrows(IllegalArgumentException.class, () -> TokenStore.create(file, "acme", READ, "ci", null));
        assertThrows(IllegalArgumentException.class, () -> TokenStore.create(file, "acme", READ, "no spaces", null));
        List<TokenStore.Token> listed = TokenStore.read(file);
        assertEquals(1, listed.size());
        assertEquals("ci", listed.getFirst().name());
        assertEquals(TokenStore.hash(t).substring(0, 12), listed.getFirst().id());
        assertFalse(Files.readString(file).contains(t), "the token itself is never written");
    }

    /** Random creates and revokes against a set of what should work: the store agrees after each step. */
    @Test
    void theStoreAgreesWithAModelOfCreatesAndRevokes() throws Exception {
        Path file = tmp.resolve("model.jsonl");
        TokenStore store = new TokenStore(file);
        Random random = new Random(12);
        List<String> all = new ArrayList<>();
        Set<String> live = new HashSet<>();
        for (int step = 0; step < 12; step++) {
            if (live.isEmpty() || random.nextInt(3) > 0) {
                String tok = TokenStore.create(file, random.nextBoolean() ? "acme" : "beta", READ, "m" + step, null);
                all.add(tok);
                live.add(tok);
            } else {
                String victim = new ArrayList<>(live).get(random.nextInt(live.size()));
                String id = TokenStore.hash(victim).substring(0, 12);
                assertEquals(1, TokenStore.revoke(file, x -> x.id().equals(id)).size());
                live.remove(victim);
            }
            Thread.sleep(TokenStore.RECHECK.toMillis() + 20);
            for (String tok : all) assertEquals(live.contains(tok), store.authenticate(tok).isPresent(), "step " + step);
        }
        assertEquals(live.size(), TokenStore.read(file).size());
        assertTrue(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).endsWith("\n"));
    }
}
