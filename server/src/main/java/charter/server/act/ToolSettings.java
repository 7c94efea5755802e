package charter.server.act;

import java.net.URI;
import java.util.Map;

/**
 * How a tenant reaches one tool (or every tool of a vendor), from the server configuration: where,
 * as whom (secrets already resolved from their environment references) and how hard it may be
 * pushed.
 *
 * @param baseUrl       the API's base URL, or null for the vendor's own
 * @param credentials   named secrets, such as {@code token} or {@code routing_key}
 * @param settings      other named settings
 * @param concurrency   at most this many of the tenant's actions in flight at this tool
 * @param perSecond     at most this many of the tenant's attempts per second at this tool
 */
public record ToolSettings(URI baseUrl, Map<String, String> credentials, Map<String, String> settings, int concurrency,
                           double perSecond) {
    public static final int DEFAULT_CONCURRENCY = 8;
    public static final double DEFAULT_PER_SECOND = 50;

    public ToolSettings {
        credentials = Map.copyOf(credentials);
        settings = Map.copyOf(settings);
        if (concurrency < 1) concurrency = DEFAULT_CONCURRENCY;
        if (!(perSecond > 0)) perSecond = DEFAULT_PER_SECOND;
    }
}
