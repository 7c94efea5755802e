package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.server.TokenStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** charter token create | list | revoke, in process, on a real tokens file. */
class TokenCommandTest {
    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path acme = Path.of("../program-examples/acme").toAbsolutePath();
        return Files.writeString(dir.resolve("charter-server.yaml"),
                "tokens: tokens.jsonl\ntenants:\n  acme:\n    program: " + acme + "\n  beta:\n    program: " + acme + "\n");
    }

    @Test
    void createListAndRevokeByNameAndById() throws Exception {
        String cfg = config().toString();
        MainTest.Run ci = MainTest.run("token", "create", "--config", cfg, "--tenant", "acme", "--scopes", "read", "--name", "ci", "--expires", "30d");
        assertEquals(0, ci.code(), ci.err());
        String ciToken = ci.out().strip();
        MainTest.Run ops = MainTest.run("token", "create", "--config", cfg, "--tenant", "beta", "--scopes", "read,intents");
        assertEquals(0, ops.code(), ops.err());

        MainTest.Run list = MainTest.run("token", "list", "--config", cfg);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("ci") && list.out().contains("acme") && list.out().contains("beta"), list.out());
        assertFalse(list.out().contains(ciToken), "list never shows a token");
        MainTest.Run json = MainTest.run("token", "list", "--config", cfg, "--tenant", "acme", "--format", "json");
        assertTrue(json.out().contains("\"name\" : \"ci\"") && !json.out().contains("beta"), json.out());
        Instant expires = TokenStore.read(dir.resolve("tokens.jsonl")).getFirst().expires();
        assertTrue(expires.isAfter(Instant.now().plusSeconds(29L * 86_400)), String.valueOf(expires));

        assertEquals(0, MainTest.run("token", "revoke", "--config", cfg, "--name", "ci").code());
        assertEquals(1, TokenStore.read(dir.resolve("tokens.jsonl")).size());
        String betaId = TokenStore.read(dir.resolve("tokens.jsonl")).getFirst().id();
        MainTest.Run byId = MainTest.run("token", "revoke", "--config", cfg, "--id", betaId);
        assertEquals(0, byId.code(), byId.err());
        assertTrue(TokenStore.read(dir.resolve("tokens.jsonl")).isEmpty());
    }

    @Test
    void mistakesAreOneLine() throws Exception {
        String cfg = config().toString();
        MainTest.Run none = MainTest.run("token", "revoke", "--config", cfg, "--name", "nobody");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("no token named `nobody`"), none.err());
        MainTest.Run past = MainTest.run("token", "create", "--config", cfg, "--tenant", "acme", "--scopes", "read", "--expires", "2001-01-01T00:00:00Z");
        assertEquals(1, past.code());
        assertTrue(past.err().contains("not in the future"), past.err());
        assertEquals(0, MainTest.run("token", "create", "--config", cfg, "--tenant", "acme", "--scopes", "read", "--name", "dup").code());
        MainTest.Run dup = MainTest.run("token", "create", "--config", cfg, "--tenant", "acme", "--scopes", "read", "--name", "dup");
        assertEquals(1, dup.code());
        assertTrue(dup.err().contains("already exists"), dup.err());
        Files.writeString(dir.resolve("tokens.jsonl"), "{broken\n", java.nio.file.StandardOpenOption.APPEND);
        MainTest.Run broken = MainTest.run("token", "list", "--config", cfg);
        assertEquals(1, broken.code());
        assertTrue(broken.err().contains("tokens.jsonl:2"), broken.err());
    }
}
