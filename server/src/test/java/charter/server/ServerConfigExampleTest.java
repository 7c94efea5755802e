package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The example configuration shipped in program-examples loads as documented. */
class ServerConfigExampleTest {
    static final Path EXAMPLE = Path.of("../program-examples/charter-server.example.yaml");

    @Test
    void theShippedExampleLoadsWithEveryDocumentedSetting() {
        ServerConfig c = ServerConfig.load(EXAMPLE, name -> "secret-of-" + name);
        assertEquals(8080, c.port());
        assertEquals(1048576, c.maxBodyBytes());
        assertEquals(MetricsAccess.TOKEN, c.metrics());
        assertEquals("127.0.0.1", c.host());
        assertEquals(ServerConfig.HttpLimits.DEFAULTS, c.http());
        assertTrue(Path.of(c.data()).isAbsolute(), c.data());
        ServerConfig.TenantConfig acme = c.tenants().get("acme");
        assertEquals(EXAMPLE.toAbsolutePath().getParent().resolve("acme").normalize(), acme.program().normalize());
        assertEquals(Set.of("github", "vercel", "linear", "sentry"), acme.secrets().keySet());
        assertEquals("secret-of-ACME_VERCEL_SECRET", new String(acme.secrets().get("vercel")));
        assertEquals(charter.server.act.ActSettings.DEFAULTS, c.actions());
    }
}
