package charter.connect;

import charter.connect.fake.FakeTool;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Connectors with short timeouts for tests, and builders for endpoints and requests. */
public final class ConnectorHarness implements AutoCloseable {
    /** Past the request timeout below: a fake that delays this long leaves the outcome unknown. */
    public static final Duration PAST_TIMEOUT = Duration.ofMillis(2600);

    public final Clock clock;
    public final Connectors connectors;

    public ConnectorHarness() {
        this(Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC));
    }

    public ConnectorHarness(Clock clock) {
        this.clock = clock;
        this.connectors = new Connectors(new Connectors.Options(Duration.ofSeconds(2), Duration.ofMillis(2000), clock));
    }

    public Connector connector(String tool, FakeTool fake, Map<String, String> credentials, Map<String, String> settings) {
        return connector(tool, fake.baseUrl(), credentials, settings);
    }

    public Connector connector(String tool, URI base, Map<String, String> credentials, Map<String, String> settings) {
        return connectors.create(tool, new ToolEndpoint(base, credentials, settings)).orElseThrow();
    }

    public static ActionRequest request(String tool, String actionId, Object... keyValues) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) args.put((String) keyValues[i], keyValues[i + 1]);
        return new ActionRequest("acme", actionId, tool, args, 1);
    }

    @Override
    public void close() {
        connectors.close();
    }
}
