package charter.connect;

import java.util.Optional;

/**
 * Carries out one tool's actions through that tool's real API. Stateless between calls and safe to call from
 * many threads; retries, limits, approval and the trail belong to the outbox, not here.
 */
public interface Connector {

    /** The catalog tool this connector serves, such as {@code pagerduty.page}. */
    String tool();

    /** What holds when an attempt's outcome is unknown; written down per connector in docs/act/connectors.md. */
    Guarantee guarantee();

    /** The exact request {@link #send} would make, secrets redacted. Never touches the network. */
    WireRequest render(ActionRequest request);

    /** One attempt. Never throws for anything the tool or the network does: every failure is an outcome. */
    AttemptOutcome send(ActionRequest request) throws InterruptedException;

    /**
     * Looks for what an earlier attempt of this action created (by the marker or id the connector carries),
     * for use after an {@link AttemptOutcome.Unknown}. Empty when nothing is found or the tool cannot be asked.
     */
    default Optional<AttemptOutcome.Done> lookup(ActionRequest request) throws InterruptedException {
        return Optional.empty();
    }
}
