package charter.connect.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The credentials (and required settings) one request is built with. A missing credential becomes a visible placeholder, so a dry run
 * (the demo has no credentials) still shows the whole request, and the attempt fails naming what is missing.
 * One instance per request built: connectors stay stateless.
 */
final class Secrets {
    private final Map<String, String> credentials;
    private final List<String> missing = new ArrayList<>();

    Secrets(Map<String, String> credentials) {
        this.credentials = credentials;
    }

    /** The first of the names the endpoint has, else a placeholder naming the last. */
    String get(String... names) {
        for (String name : names) {
            String value = credentials.get(name);
            if (value != null && !value.isEmpty()) return value;
        }
        String wanted = String.join("' or '", names);
        missing.add("credential '" + wanted + "'");
        return "<missing credential '" + wanted + "'>";
    }

    /** A setting the request cannot do without, else a placeholder (and the attempt fails naming it). */
    String setting(Map<String, String> settings, String name) {
        String value = settings.get(name);
        if (value != null && !value.isEmpty()) return value;
        missing.add("setting '" + name + "'");
        return "<missing setting '" + name + "'>";
    }

    List<String> missing() {
        return List.copyOf(missing);
    }
}
