package charter.engine.ingest;

import java.time.Instant;

/**
 * Checks one source's webhook signature over the raw body bytes, in constant time. Implementations
 * never throw on bad input: a malformed header is {@link Verification.Invalid}.
 */
public interface SignatureVerifier {

    Verification verify(RawDelivery d, byte[] secret, Instant now);

    /** The verifier of a source: github, vercel, linear or sentry. */
    static SignatureVerifier forSource(String source) {
        return switch (source) {
            case "github" -> new GithubSignatureVerifier();
            case "vercel" -> new VercelSignatureVerifier();
            case "linear" -> new LinearSignatureVerifier();
            case "sentry" -> new SentrySignatureVerifier();
            default -> throw new IllegalArgumentException("no signature scheme for source '" + source
                    + "' (known: github, vercel, linear, sentry)");
        };
    }
}
