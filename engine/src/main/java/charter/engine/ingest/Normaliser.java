package charter.engine.ingest;

/**
 * Turns one source's raw delivery into a canonical event plus the entities and relations it
 * mentions. Never drops a well-formed delivery: an event type it does not know becomes the
 * source's {@code <source>.unknown} event with a warning. Refuses bad input with a
 * {@link DeliveryException}; never throws anything else for any body. Does not set significance
 * (the Program does) and does not verify signatures ({@link SignatureVerifier} does). Thread-safe.
 */
public interface Normaliser {

    /** The source this normaliser reads: github, vercel, linear or sentry. */
    String source();

    Normalised normalise(RawDelivery d) throws DeliveryException;
}
