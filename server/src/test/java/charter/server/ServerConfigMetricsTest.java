package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration's `metrics` key: token by default (not public), public or off when said, anything else refused. */
class ServerConfigMetricsTest {
    @TempDir
    Path dir;

    private ServerConfig load(String extra) throws Exception {
        Path f = dir.resolve("charter-server.yaml");
        Files.writeString(f, extra + "tenants:\n  acme:\n    program: " + ServerHttpTest.ACME.toAbsolutePath() + "\n");
        return ServerConfig.load(f, name -> null);
    }

    @Test
    void metricsNeedATokenUnlessConfigured() throws Exception {
        assertEquals(MetricsAccess.TOKEN, load("").metrics());
        assertEquals(MetricsAccess.PUBLIC, load("metrics: public\n").metrics());
        assertEquals(MetricsAccess.TOKEN, load("metrics: token\n").metrics());
        assertEquals(MetricsAccess.OFF, load("metrics: off\n").metrics(), "YAML's bare off is false: off");
        assertEquals(MetricsAccess.OFF, load("metrics: \"off\"\n").metrics());
        assertEquals(MetricsAccess.TOKEN, load("metrics: token\n").withPort(9).metrics(), "withPort keeps it");
        ServerConfig.ConfigException e = assertThrows(ServerConfig.ConfigException.class, () -> load("metrics: secret\n"));
        assertTrue(e.getMessage().contains("public, token or off"), e.getMessage());
    }
}
