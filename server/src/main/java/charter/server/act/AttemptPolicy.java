package charter.server.act;

import charter.connect.AttemptOutcome;
import charter.connect.Guarantee;
import charter.engine.store.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Where one attempt leaves an action: done, retried later (exponential backoff with full jitter,
 * or when the tool asked), or failed for good (a refusal, the attempt budget spent, or an unknown
 * outcome a tool without deduplication cannot risk repeating). Pure: the dispatcher applies it.
 *
 * @param maxAttempts attempts per budget (a retry by hand starts a new one)
 * @param base        the first backoff's upper bound; each further attempt doubles it
 * @param cap         no backoff waits longer (a tool's Retry-After may)
 */
public record AttemptPolicy(int maxAttempts, Duration base, Duration cap) {
    public static final AttemptPolicy DEFAULT = new AttemptPolicy(8, Duration.ofSeconds(1), Duration.ofMinutes(5));

    public AttemptPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
    }

    /**
     * @param state       the action's next state (done, retrying or failed)
     * @param nextAttempt when retrying, when; else null
     * @param unknown     whether the next attempt must first look for this one's result
     * @param error       why it is retrying or failed, else empty
     */
    public record Next(Outbox.State state, Instant nextAttempt, boolean unknown, String error) {}

    /**
     * @param attemptsInBudget attempts made in this budget, this one included
     */
    public Next after(AttemptOutcome outcome, Guarantee guarantee, int attemptsInBudget, Instant now, RandomGenerator random) {
        return switch (outcome) {
            case AttemptOutcome.Done d -> new Next(Outbox.State.DONE, null, false, "");
            case AttemptOutcome.Failed f -> new Next(Outbox.State.FAILED, null, false, describe(f.status(), f.reason()));
            case AttemptOutcome.Retry r -> again(describe(r.status(), r.reason()), r.retryAfter(), false, attemptsInBudget, now, random);
            case AttemptOutcome.Unknown u -> guarantee == Guarantee.AT_MOST_ONCE
                    ? new Next(Outbox.State.FAILED, null, false, "outcome unknown (" + describe(u.status(), u.reason())
                            + "); the tool cannot deduplicate, so it is not tried again: check the tool, then retry or cancel")
                    : again(describe(u.status(), u.reason()), null, true, attemptsInBudget, now, random);
        };
    }

    private Next again(String why, Duration retryAfter, boolean unknown, int attemptsInBudget, Instant now, RandomGenerator random) {
        if (attemptsInBudget >= maxAttempts) {
            return new Next(Outbox.State.FAILED, null, false, "gave up after " + attemptsInBudget + " attempts: " + why);
        }
        return new Next(Outbox.State.RETRYING, now.plus(delay(attemptsInBudget, retryAfter, random)), unknown, why);
    }

    /** Full jitter: uniform in [0, min(cap, base·2^(n-1))]; at least what the tool asked for. */
    public Duration delay(int attempt, Duration retryAfter, RandomGenerator random) {
        long ceiling = cap.toMillis();
        long exp = base.toMillis() << Math.min(30, Math.max(0, attempt - 1));
        long bound = Math.max(1, Math.min(ceiling, exp < 0 ? ceiling : exp));
        long jitter = random.nextLong(bound + 1);
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter.plusMillis(Math.min(jitter, 1_000));   // what the tool asked, spread a little
        }
        return Duration.ofMillis(jitter);
    }

    static String describe(int status, String reason) {
        String r = reason == null || reason.isBlank() ? "" : reason;
        if (status == 0) return r.isEmpty() ? "no answer" : r;
        return r.isEmpty() ? "status " + status : "status " + status + ": " + r;
    }
}
