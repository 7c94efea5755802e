package charter.engine.ingest;

import java.time.Instant;

/**
 * Vercel: {@code x-vercel-signature: <hex>}, HMAC-SHA1 of the raw body with the integration's
 * secret. No timestamp in the scheme: replays are caught by the envelope {@code id}.
 */
public final class VercelSignatureVerifier implements SignatureVerifier {
    public static final String HEADER = "x-vercel-signature";

    @Override
    public Verification verify(RawDelivery d, byte[] secret, Instant now) {
        String sig = d.header(HEADER);
        if (sig == null || sig.isBlank()) {
            return new Verification.Missing(HEADER);
        }
        return Hmac.compare(sig, Hmac.mac("HmacSHA1", secret, d.body()), HEADER);
    }

    public static String sign(byte[] secret, byte[] body) {
        return Hmac.hex(Hmac.mac("HmacSHA1", secret, body));
    }
}
