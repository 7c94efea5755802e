package charter.engine.ingest;

import java.time.Instant;

/**
 * GitHub: {@code X-Hub-Signature-256: sha256=<hex>}, HMAC-SHA256 of the raw body with the webhook
 * secret. No timestamp in the scheme: replays are caught by the delivery id ({@code X-GitHub-Delivery}).
 */
public final class GithubSignatureVerifier implements SignatureVerifier {
    public static final String HEADER = "x-hub-signature-256";
    private static final String PREFIX = "sha256=";

    @Override
    public Verification verify(RawDelivery d, byte[] secret, Instant now) {
        String sig = d.header(HEADER);
        if (sig == null || sig.isBlank()) {
            return new Verification.Missing(HEADER);
        }
        sig = sig.strip();
        if (!sig.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return new Verification.Invalid(HEADER + " must start with sha256=");
        }
        return Hmac.compare(sig.substring(PREFIX.length()), Hmac.mac("HmacSHA256", secret, d.body()), HEADER);
    }

    /** The header value GitHub would send for this body. */
    public static String sign(byte[] secret, byte[] body) {
        return PREFIX + Hmac.hex(Hmac.mac("HmacSHA256", secret, body));
    }
}
