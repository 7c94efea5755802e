package charter.connect;

import java.net.URI;
import java.util.Map;

/**
 * Where and as whom a tenant's connector talks to one tool, from the server configuration (secrets already
 * resolved from their environment references; never from the Program).
 *
 * @param baseUrl     the API's base URL, a local stand-in in tests and walkthroughs; null for the vendor's own (email.send
 *                    has none: its connector fails each action naming the missing {@code smtp://host:port})
 * @param credentials named secrets, such as {@code token}, {@code routing_key}, {@code signing_secret}
 * @param settings    other named settings, such as {@code from} for email or {@code team_id} for Vercel
 */
public record ToolEndpoint(URI baseUrl, Map<String, String> credentials, Map<String, String> settings) {
    public ToolEndpoint {
        credentials = Map.copyOf(credentials);
        settings = Map.copyOf(settings);
    }
}
