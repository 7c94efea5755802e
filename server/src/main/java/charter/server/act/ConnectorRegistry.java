package charter.server.act;

import charter.connect.Connector;
import charter.connect.ConnectorFactory;
import charter.connect.ToolEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's connectors: a tool's connector comes from the first {@link ConnectorFactory} that
 * serves the tool (those on the class path, found by {@link ServiceLoader}, after any given
 * explicitly), talking to the endpoint the tenant's server configuration gives for the tool or its
 * vendor. A tool the tenant configured no endpoint for has no connector: its live actions fail with
 * that reason (and can be retried once it is configured).
 */
public final class ConnectorRegistry {
    private final List<ConnectorFactory> factories;
    private final Map<String, Map<String, ToolSettings>> endpoints;
    private final Map<String, Optional<Connector>> made = new ConcurrentHashMap<>();

    /**
     * @param extra     factories tried before those on the class path (tests, stand-ins)
     * @param endpoints per tenant, per tool or vendor, how to reach it
     */
    public ConnectorRegistry(List<ConnectorFactory> extra, Map<String, Map<String, ToolSettings>> endpoints) {
        List<ConnectorFactory> all = new ArrayList<>(extra);
        ServiceLoader.load(ConnectorFactory.class).forEach(all::add);
        this.factories = List.copyOf(all);
        this.endpoints = Map.copyOf(endpoints);
    }

    /** The tenant's settings for a tool: its own entry, else its vendor's; empty when neither is configured. */
    public Optional<ToolSettings> settings(String tenant, String tool) {
        Map<String, ToolSettings> mine = endpoints.getOrDefault(tenant, Map.of());
        ToolSettings own = mine.get(tool);
        if (own != null) return Optional.of(own);
        return Optional.ofNullable(mine.get(vendor(tool)));
    }

    /** The tenant's connector for a tool, or empty (no endpoint configured, or no factory serves the tool). */
    public Optional<Connector> connector(String tenant, String tool) {
        return made.computeIfAbsent(tenant + "\u0000" + tool, k -> settings(tenant, tool).flatMap(s -> make(tool, endpoint(tool, s))));
    }

    /**
     * A connector for a tool that needs no credentials, only to render what it would send (the wire-level
     * dry run of {@code charter serve --demo}): against the tenant's endpoint if any, else the vendor's API.
     */
    public Optional<Connector> renderer(String tenant, String tool) {
        return connector(tenant, tool).or(() -> make(tool, endpoint(tool, new ToolSettings(null, Map.of(), Map.of(), 0, 0))));
    }

    private Optional<Connector> make(String tool, ToolEndpoint endpoint) {
        for (ConnectorFactory f : factories) {
            if (!f.tools().contains(tool)) continue;
            Optional<Connector> c = f.create(tool, endpoint);
            if (c.isPresent()) return c;
        }
        return Optional.empty();
    }

    /**
     * The endpoint as configured: without a base URL the connector uses its vendor's API (docs/act/connectors.md),
     * http.post the Program's URL, and email.send has none, so it fails its actions saying so rather than
     * guessing a local mail server.
     */
    private static ToolEndpoint endpoint(String tool, ToolSettings s) {
        return new ToolEndpoint(s.baseUrl(), s.credentials(), s.settings());
    }

    static String vendor(String tool) {
        int dot = tool.indexOf('.');
        return dot < 0 ? tool : tool.substring(0, dot);
    }

    /** Whether any factory serves the tool. */
    public boolean serves(String tool) {
        return factories.stream().anyMatch(f -> f.tools().contains(tool));
    }
}
