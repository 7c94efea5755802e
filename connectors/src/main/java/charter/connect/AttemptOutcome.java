package charter.connect;

import java.time.Duration;

/** What one attempt to carry out an action came to. The outbox decides what happens next from it. */
public sealed interface AttemptOutcome {

    /** The tool's HTTP status (or SMTP reply code), 0 when no answer arrived. */
    int status();

    /**
     * The tool did it.
     *
     * @param externalId the id of what the tool created or changed (a message ts, an issue id, a dedup key)
     * @param url        a link to it for people, or null when the tool has none
     * @param deduplicated true when the tool (or a lookup) says this action had already been carried out
     */
    record Done(int status, String externalId, String url, boolean deduplicated) implements AttemptOutcome {}

    /**
     * A failure worth trying again (429, 5xx, connection refused before anything was sent).
     *
     * @param retryAfter what the tool asked for (Retry-After, a rate-limit reset), or null to let the outbox back off
     */
    record Retry(int status, String reason, Duration retryAfter) implements AttemptOutcome {}

    /** A failure that trying again will not fix (400, 401, 403, 404, 422, an argument the tool refuses). */
    record Failed(int status, String reason) implements AttemptOutcome {}

    /**
     * The request may or may not have been applied (timeout after sending, reset mid-answer). Before another
     * attempt the outbox asks {@link Connector#lookup} where the guarantee allows it.
     */
    record Unknown(int status, String reason) implements AttemptOutcome {}
}
