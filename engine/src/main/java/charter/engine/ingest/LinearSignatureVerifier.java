package charter.engine.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Linear: {@code linear-signature: <hex>}, HMAC-SHA256 of the raw body with the webhook's signing
 * secret, and the signed body field {@code webhookTimestamp} (epoch milliseconds) within
 * {@link #WINDOW} of now, either way. The signature is checked first; the timestamp is read from
 * the body only once the body is known to be Linear's.
 */
public final class LinearSignatureVerifier implements SignatureVerifier {
    public static final String HEADER = "linear-signature";
    public static final String TIMESTAMP_FIELD = "webhookTimestamp";
    public static final Duration WINDOW = Duration.ofSeconds(60);

    private static final JsonFactory JSON = Payloads.factory(Payloads.DEFAULT_MAX_DEPTH);

    private final Duration window;

    public LinearSignatureVerifier() {
        this(WINDOW);
    }

    public LinearSignatureVerifier(Duration window) {
        this.window = window;
    }

    @Override
    public Verification verify(RawDelivery d, byte[] secret, Instant now) {
        String sig = d.header(HEADER);
        if (sig == null || sig.isBlank()) {
            return new Verification.Missing(HEADER);
        }
        Verification v = Hmac.compare(sig, Hmac.mac("HmacSHA256", secret, d.body()), HEADER);
        if (!v.isValid()) {
            return v;
        }
        Instant ts = timestamp(d.body());
        if (ts == null) {
            return new Verification.Missing(TIMESTAMP_FIELD);
        }
        Duration age = Duration.between(ts, now);
        return age.abs().compareTo(window) <= 0 ? Verification.VALID : new Verification.Stale(age);
    }

    /**
     * The top-level {@code webhookTimestamp}: epoch milliseconds (what Linear sends), or an ISO-8601
     * string (older captures). Null when absent or unreadable.
     */
    static Instant timestamp(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (TIMESTAMP_FIELD.equals(name)) {
                    if (v == JsonToken.VALUE_NUMBER_INT) {
                        return Instant.ofEpochMilli(p.getLongValue());
                    }
                    if (v == JsonToken.VALUE_STRING) {
                        String s = p.getText();
                        try {
                            return OffsetDateTime.parse(s).toInstant();
                        } catch (DateTimeParseException e) {
                            try {
                                return Instant.ofEpochMilli(Long.parseLong(s.strip()));
                            } catch (NumberFormatException e2) {
                                return null;
                            }
                        }
                    }
                    return null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static String sign(byte[] secret, byte[] body) {
        return Hmac.hex(Hmac.mac("HmacSHA256", secret, body));
    }
}
