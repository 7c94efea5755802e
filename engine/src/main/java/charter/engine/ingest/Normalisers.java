package charter.engine.ingest;

import charter.compiler.catalog.Catalog;
import java.util.List;
import java.util.Locale;

/** The normaliser of each source, over the standard catalog and default limits. */
public final class Normalisers {
    private Normalisers() {}

    public static final List<String> SOURCES = List.of("github", "vercel", "linear", "sentry");

    private static final java.util.Map<String, Normaliser> STANDARD = new java.util.concurrent.ConcurrentHashMap<>();

    /** The normaliser of a source over the standard catalog and default limits (shared: normalisers are stateless). */
    public static Normaliser forSource(String source) {
        String s = source == null ? "" : source.strip().toLowerCase(Locale.ROOT);
        Normaliser n = STANDARD.get(s);
        if (n == null) {
            n = forSource(s, Catalog.standard(), Payloads.Limits.DEFAULT);
            STANDARD.put(s, n);
        }
        return n;
    }

    public static Normaliser forSource(String source, Catalog catalog, Payloads.Limits limits) {
        String s = source == null ? "" : source.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "github" -> new GithubNormaliser(catalog, limits);
            case "vercel" -> new VercelNormaliser(catalog, limits);
            case "linear" -> new LinearNormaliser(catalog, limits);
            case "sentry" -> new SentryNormaliser(catalog, limits);
            default -> throw new IllegalArgumentException("unknown source '" + source + "' (known: " + String.join(", ", SOURCES) + ")");
        };
    }

    /** Over a given parser: tests normalise with the whole JSON tree ({@code new Payloads(limits, true)}) to compare. */
    static Normaliser forSource(String source, Catalog catalog, Payloads payloads) {
        return switch (source) {
            case "github" -> new GithubNormaliser(catalog, payloads);
            case "vercel" -> new VercelNormaliser(catalog, payloads);
            case "linear" -> new LinearNormaliser(catalog, payloads);
            case "sentry" -> new SentryNormaliser(catalog, payloads);
            default -> throw new IllegalArgumentException("unknown source '" + source + "'");
        };
    }
}
