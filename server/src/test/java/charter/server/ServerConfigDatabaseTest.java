package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.store.EventStores;
import charter.engine.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database URL: from an environment reference like the secrets, and never printed with its password. */
class ServerConfigDatabaseTest {
    @TempDir
    Path dir;

    private ServerConfig load(String data, Map<String, String> env) throws Exception {
        Path f = dir.resolve("charter-server.yaml");
        Files.writeString(f, "data: " + data + "\ntenants:\n  acme:\n    program: " + ServerHttpTest.ACME.toAbsolutePath() + "\n");
        return ServerConfig.load(f, env::get);
    }

    @Test
    void theDatabaseUrlCanComeFromTheEnvironment() throws Exception {
        String url = "jdbc:postgresql://db:5432/charter?user=charter&password=s3cret";
        assertEquals(url, load("env:CHARTER_DATABASE_URL", Map.of("CHARTER_DATABASE_URL", url)).data());
        ServerConfig.ConfigException e = assertThrows(ServerConfig.ConfigException.class, () -> load("env:CHARTER_DATABASE_URL", Map.of()));
        assertTrue(e.getMessage().contains("CHARTER_DATABASE_URL") && e.getMessage().contains("not set"), e.getMessage());
        assertEquals(dir.resolve("data").toString(), load("data", Map.of()).data(), "a folder is still a folder");
    }

    /** Passwords of every shape, in both places a URL holds one: never in what is printed or in the error. */
    @Test
    void passwordsAreRedactedWhereverTheUrlIsPrinted() {
        Random random = new Random(13);
        String alphabet = "abcXYZ019!$%()*+,-.:;=~_'";
        for (int i = 0; i < 500; i++) {
            StringBuilder pw = new StringBuilder("P");
            for (int k = random.nextInt(20); k >= 0; k--) pw.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String password = pw.toString();
            for (String url : new String[] {
                    "jdbc:postgresql://db:5432/charter?user=charter&password=" + password,
                    "jdbc:postgresql://db:5432/charter?password=" + password + "&user=charter",
                    "postgres://charter:" + password + "@db:5432/charter",
                    "postgresql://charter:" + password + "@db/charter?sslmode=require"}) {
                String shown = EventStores.redact(url);
                assertFalse(shown.contains(password), url + " shown as " + shown);
                assertTrue(shown.contains("db"), "the host stays: " + shown);
                if (url.startsWith("postgres")) {
                    StoreException e = assertThrows(StoreException.class, () -> EventStores.open(url));
                    assertFalse(e.getMessage().contains(password), e.getMessage());
                }
            }
        }
        assertEquals("/var/lib/charter", EventStores.redact("/var/lib/charter"));
    }
}
