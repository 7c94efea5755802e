package charter.connect.fake;

import java.util.List;
import java.util.Map;

/**
 * One request a fake tool received, as it arrived.
 *
 * @param headers header names in lower case
 * @param query   the raw query string, or empty
 */
public record Received(String method, String path, String query, Map<String, List<String>> headers, String body) {
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** One query parameter, decoded; null when absent. */
    public String param(String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            if (key.equals(name)) return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }
}
