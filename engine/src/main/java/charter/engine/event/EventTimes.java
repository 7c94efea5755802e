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

    /**
     * The shape nearly every recorded time has, {@code 2026-03-02T10:15:00Z} with an optional
     * fraction of 1 to 9 digits, read without the general ISO-8601 formatter (which costs more than
     * the rest of reading an event line); null for any other text, which the caller then gives to
     * the formatter. It accepts exactly what {@code OffsetDateTime.parse(text, ISO_OFFSET_DATE_TIME)}
     * accepts in this shape, to the same instant (EventTimesTest checks it against the formatter).
     */
    static Instant parseUtcFast(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) return null;
        int nanos = 0;
        if (n > 20) {
            if (text.charAt(19) != '.' || n == 21) return null;   // a fraction of 1 to 9 digits
            int fraction = digits(text, 20, n - 1);
            if (fraction < 0) return null;
            nanos = fraction;
            for (int i = n - 1 - 20; i < 9; i++) nanos *= 10;
        } else if (n != 20) {
            return null;
        }
        try {
            return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;   // out of range (Feb 30, hour 24 ...): the formatter says what is wrong
        }
    }

    /** The value of the ASCII digits text[from, to), or -1 when one is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

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
