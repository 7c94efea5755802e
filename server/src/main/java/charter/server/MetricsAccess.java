package charter.server;

import java.util.Locale;

/**
 * Who may read {@code GET /metrics} (configuration key {@code metrics}). The metrics hold counts
 * and tenant names only, never payloads, ids or secrets.
 */
public enum MetricsAccess {
    /** No token: every tenant's series, as Prometheus usually scrapes. */
    PUBLIC,
    /** A bearer token with the read scope: only the token's own tenant's series. */
    TOKEN,
    /** Not served (404). */
    OFF;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The YAML value: YAML 1.1 reads a bare {@code off} as false, which means off here too. */
    static MetricsAccess parse(Object value) {
        if (Boolean.FALSE.equals(value)) return OFF;
        String s = String.valueOf(value);
        for (MetricsAccess a : values()) if (a.label().equals(s.trim())) return a;
        throw new ServerConfig.ConfigException("`metrics` must be public, token or off, got `" + s + "`");
    }
}
