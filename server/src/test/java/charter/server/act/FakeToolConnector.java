package charter.server.act;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorFactory;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.WireRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A connector to {@link FakeTool} in the shape the real ones have: the action id as the
 * idempotency key, 429/5xx as retries (with Retry-After), 4xx as failures, a timeout or a reset
 * after sending as an unknown outcome, and a lookup by key.
 */
public final class FakeToolConnector implements Connector {
    static final ObjectMapper JSON = new ObjectMapper();
    private final String tool;
    private final Guarantee guarantee;
    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FakeToolConnector(String tool, Guarantee guarantee, ToolEndpoint endpoint) {
        this.tool = tool;
        this.guarantee = guarantee;
        this.base = endpoint.baseUrl();
        this.token = endpoint.credentials().getOrDefault("token", "");
        this.timeout = Duration.ofMillis(Long.parseLong(endpoint.settings().getOrDefault("timeout_millis", "5000")));
    }

    /** Serves {@code tools} with this guarantee. */
    public static ConnectorFactory factory(Guarantee guarantee, Set<String> tools) {
        return new ConnectorFactory() {
            @Override
            public Set<String> tools() {
                return tools;
            }

            @Override
            public Optional<Connector> create(String tool, ToolEndpoint endpoint) {
                // an endpoint may say which guarantee its tool gives (a tenant whose stand-in does not deduplicate)
                Guarantee g = endpoint.settings().containsKey("guarantee") ? Guarantee.valueOf(endpoint.settings().get("guarantee")) : guarantee;
                return tools.contains(tool) ? Optional.of(new FakeToolConnector(tool, g, endpoint)) : Optional.empty();
            }
        };
    }

    @Override
    public String tool() {
        return tool;
    }

    @Override
    public Guarantee guarantee() {
        return guarantee;
    }

    private String body(ActionRequest r) {
        try {
            return JSON.writeValueAsString(Map.of("tool", r.tool(), "args", r.args()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public WireRequest render(ActionRequest r) {
        return new WireRequest("POST", base + "/things", Map.of("Authorization", "Bearer <redacted>", "Idempotency-Key", r.actionId()), body(r));
    }

    @Override
    public AttemptOutcome send(ActionRequest r) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/things")).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", r.actionId())
                .POST(HttpRequest.BodyPublishers.ofString(body(r))).build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            return new AttemptOutcome.Retry(0, "connection refused", null);
        } catch (HttpTimeoutException e) {
            return new AttemptOutcome.Unknown(0, "timed out after sending");
        } catch (IOException e) {
            return new AttemptOutcome.Unknown(0, "connection failed after sending: " + e.getMessage());
        }
        int s = resp.statusCode();
        if (s == 200 || s == 201) {
            JsonNode n = parse(resp.body());
            return new AttemptOutcome.Done(s, n.path("id").asText(), n.path("url").asText(null), s == 200);
        }
        if (s == 429) {
            Duration after = resp.headers().firstValue("Retry-After").map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
            return new AttemptOutcome.Retry(s, "rate limited", after);
        }
        if (s >= 500) return new AttemptOutcome.Retry(s, "server error", null);
        return new AttemptOutcome.Failed(s, resp.body());
    }

    @Override
    public Optional<AttemptOutcome.Done> lookup(ActionRequest r) throws InterruptedException {
        if (guarantee == Guarantee.AT_MOST_ONCE) return Optional.empty();
        try {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base + "/things?key=" + r.actionId()))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) return Optional.empty();
            JsonNode n = parse(resp.body());
            return Optional.of(new AttemptOutcome.Done(200, n.path("id").asText(), n.path("url").asText(null), true));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
