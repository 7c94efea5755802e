package charter.connect;

import charter.connect.http.HttpTransport;
import charter.connect.tools.ConnectorContext;
import charter.connect.tools.ToolConnectors;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The connectors of every catalog tool, sharing one {@link HttpClient}. Close it when the server stops.
 *
 * <pre>{@code
 * try (Connectors connectors = new Connectors(Connectors.Options.DEFAULT)) {
 *     Connector page = connectors.create("pagerduty.page", endpoint).orElseThrow();
 *     AttemptOutcome outcome = page.send(request);
 * }
 * }</pre>
 */
public final class Connectors implements ConnectorFactory, AutoCloseable {

    /**
     * @param connectTimeout how long to wait for a connection (a refused or silent host is retried, nothing was sent)
     * @param requestTimeout how long to wait for the tool's answer once the request is sent (then the outcome is unknown)
     * @param clock          the time http.post signs and rate-limit resets are measured against
     */
    public record Options(Duration connectTimeout, Duration requestTimeout, Clock clock) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(5), Duration.ofSeconds(15), Clock.systemUTC());
    }

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final ConnectorContext context;

    public Connectors(Options options) {
        // HTTP/1.1: every tool's API speaks it, and the request on the wire is then the one render() shows.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.context = new ConnectorContext(new HttpTransport(client, options.requestTimeout()), options.clock(),
                new ObjectMapper(), options.requestTimeout());
    }

    public Connectors() {
        this(Options.DEFAULT);
    }

    @Override
    public Set<String> tools() {
        return new TreeSet<>(ToolConnectors.tools());
    }

    @Override
    public Optional<Connector> create(String tool, ToolEndpoint endpoint) {
        return Optional.ofNullable(ToolConnectors.create(tool, endpoint, context));
    }

    @Override
    public void close() {
        client.close();
        executor.close();
    }
}
