package charter.engine.ingest;

import java.time.Instant;

/**
 * Sentry: {@code Sentry-Hook-Signature: <hex>} (older integrations: {@code Sentry-App-Signature}),
 * HMAC-SHA256 of the raw body with the client secret; an empty body signs the empty string. The
 * {@code Sentry-Hook-Timestamp} header is not signed, so replays are caught by {@code Request-ID}.
 */
public final class SentrySignatureVerifier implements SignatureVerifier {
    public static final String HEADER = "sentry-hook-signature";
    public static final String LEGACY_HEADER = "sentry-app-signature";

    @Override
    public Verification verify(RawDelivery d, byte[] secret, Instant now) {
        String header = HEADER;
        String sig = d.header(HEADER);
        if (sig == null || sig.isBlank()) {
            header = LEGACY_HEADER;
            sig = d.header(LEGACY_HEADER);
        }
        if (sig == null || sig.isBlank()) {
            return new Verification.Missing(HEADER);
        }
        return Hmac.compare(sig, Hmac.mac("HmacSHA256", secret, d.body()), header);
    }

    public static String sign(byte[] secret, byte[] body) {
        return Hmac.hex(Hmac.mac("HmacSHA256", secret, body));
    }
}
