package charter.engine.event;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * The rule every time that enters Charter from outside obeys (docs/security/hostile-input.md, "Times").
 * A time is <em>representable</em> when it lies in [{@link #EARLIEST}, {@link #LATEST}]: every such
 * time fits the store's microseconds and Drools' milliseconds with room to spare, so no arithmetic
 * on it can overflow. An event's time may also be no later than {@link #MAX_AHEAD} after the moment
 * it was received: a time far ahead would move the tenant's clock into the future, and every
 * deadline and intent after it would be judged there.
 */
public final class EventTimes {
    private EventTimes() {}

    /** The Unix epoch: a tenant's clock starts no earlier. */
    public static final Instant EARLIEST = Instant.EPOCH;
    /** The last instant of year 9999. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    /** How far ahead of its receipt (clock skew, queues) an event's own time may be. */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(15);

    public static boolean representable(Instant t) {
        return t != null && !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
    }

    /** Epoch milliseconds as an instant, or null when outside the representable range. */
    public static Instant ofEpochMilli(long millis) {
        Instant t = Instant.ofEpochMilli(millis);   // any long is a valid Instant
        return representable(t) ? t : null;
    }

    /** Epoch seconds as an instant, or null when outside the representable range. */
    public static Instant ofEpochSecond(long seconds) {
        try {
            Instant t = Instant.ofEpochSecond(seconds);
            return representable(t) ? t : null;
        } catch (DateTimeException e) {
            return null;   // beyond Instant's own range
        }
    }

    /**
     * What is wrong with an event time received at {@code receivedAt}, or null when it is acceptable:
     * representable, and at most {@link #MAX_AHEAD} after its receipt.
     */
    public static String problem(Instant time, Instant receivedAt) {
        if (!representable(time)) {
            return "event time " + time + " is outside the range Charter accepts (" + EARLIEST + " to " + LATEST + ")";
        }
        if (receivedAt != null && time.isAfter(receivedAt.plus(MAX_AHEAD))) {
            return "event time " + time + " is more than " + MAX_AHEAD.toMinutes() + " minutes after the delivery was received ("
                    + receivedAt + "); a time in the future would move the tenant's clock ahead";
        }
        return null;
    }
}
