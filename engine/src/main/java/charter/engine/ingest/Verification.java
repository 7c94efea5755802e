package charter.engine.ingest;

import java.time.Duration;

/** The outcome of checking a delivery's signature. Only {@link Valid} lets a delivery in. */
public sealed interface Verification {

    default boolean isValid() {
        return this instanceof Valid;
    }

    /** The signature matches the body and, where the scheme has one, the timestamp is fresh. */
    record Valid() implements Verification {}

    /** The signature header is there but does not match (or is not well-formed hex). */
    record Invalid(String reason) implements Verification {}

    /** The header (lower-cased name) that carries the signature, or the signed timestamp, is absent. */
    record Missing(String header) implements Verification {}

    /** The signed timestamp is outside the replay window; {@code age} is now minus the timestamp (negative: from the future). */
    record Stale(Duration age) implements Verification {}

    Valid VALID = new Valid();
}
