package charter.server.act;

import java.time.Duration;

/**
 * The dispatcher's settings ({@code actions:} in the server configuration).
 *
 * @param policy   attempts and backoff
 * @param lease    how long an action may stay {@code sending} before another dispatcher (or this one
 *                 after a restart) takes it over as an attempt with an unknown outcome; longer than
 *                 any connector's timeout
 * @param poll     how often due actions are looked for when nothing wakes the dispatcher
 * @param enabled  false: actions are admitted and kept, none is sent (a standby server)
 */
public record ActSettings(AttemptPolicy policy, Duration lease, Duration poll, boolean enabled) {
    public static final ActSettings DEFAULTS = new ActSettings(AttemptPolicy.DEFAULT, Duration.ofSeconds(60), Duration.ofMillis(250), true);

    public ActSettings {
        if (lease.toMillis() < 1_000) throw new IllegalArgumentException("the lease must be at least a second");
        if (poll.toMillis() < 1) throw new IllegalArgumentException("the poll interval must be at least a millisecond");
    }
}
