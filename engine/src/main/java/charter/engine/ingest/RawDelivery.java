package charter.engine.ingest;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A webhook delivery exactly as received: the source it was sent to, its headers
 * (names lower-cased) and the body bytes. Signatures are verified over these
 * bytes, never over a re-serialised body.
 */
public record RawDelivery(String source, Map<String, String> headers, byte[] body, Instant receivedAt) {
    public RawDelivery {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = java.util.Collections.unmodifiableMap(lower);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
