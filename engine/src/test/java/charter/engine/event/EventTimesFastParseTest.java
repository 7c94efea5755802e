package charter.engine.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: the fast reading of event times agrees with the ISO-8601 formatter it stands in for.
 * On every text it accepts, the formatter gives the same instant; every text it declines goes to
 * the formatter, so it only needs never to accept what the formatter refuses. The texts are valid
 * times and their mutations (a character replaced, dropped or added, digits pushed out of range),
 * drawn from one seeded Random.
 */
class EventTimesFastParseTest {
    private static final long SEED = Long.getLong("times.seed", 20261205L);
    private static final String ALPHABET = "0123456789-:.TZtz+ ";

    @Test
    void acceptsExactlyWhatTheFormatterAcceptsToTheSameInstant() {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int i = 0; i < 60_000; i++) {
            String text = mutate(random, valid(random));
            Instant fast = EventTimes.parseUtcFast(text);
            if (fast == null) continue;
            accepted++;
            Instant reference;
            try {
                reference = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new AssertionError("the fast path accepted " + text + " (" + fast + "), which the formatter refuses: " + e.getMessage());
            }
            assertEquals(reference, fast, text);
        }
        assertTrue(accepted > 10_000, "the valid shape was exercised: " + accepted);
    }

    @Test
    void theUsualShapesAreRead() {
        assertEquals(Instant.parse("2026-03-02T10:15:00Z"), EventTimes.parseUtcFast("2026-03-02T10:15:00Z"));
        assertEquals(Instant.parse("2026-03-02T10:15:00.5Z"), EventTimes.parseUtcFast("2026-03-02T10:15:00.5Z"));
        assertEquals(Instant.parse("2026-03-02T10:15:00.123456789Z"), EventTimes.parseUtcFast("2026-03-02T10:15:00.123456789Z"));
        assertEquals(null, EventTimes.parseUtcFast("2026-02-30T10:15:00Z"));   // left to the formatter's message
        assertEquals(null, EventTimes.parseUtcFast("2026-03-02T10:15:00+01:00"));
    }

    /** A valid UTC time, sometimes with a fraction, with field values near their bounds half the time. */
    private static String valid(Random r) {
        boolean edge = r.nextBoolean();
        int year = edge ? r.nextInt(3) == 0 ? 0 : 9999 - r.nextInt(2) : 1970 + r.nextInt(100);
        int month = edge ? r.nextInt(14) : 1 + r.nextInt(12);
        int day = edge ? 27 + r.nextInt(6) : 1 + r.nextInt(28);
        int hour = edge ? 22 + r.nextInt(3) : r.nextInt(24);
        int minute = edge ? 58 + r.nextInt(3) : r.nextInt(60);
        int second = edge ? 58 + r.nextInt(3) : r.nextInt(60);
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second);
        int fraction = r.nextInt(12) - 1;   // -1: none; 0: a bare point; up to 10 digits
        if (fraction >= 0) {
            StringBuilder f = new StringBuilder(".");
            for (int i = 0; i < fraction; i++) f.append((char) ('0' + r.nextInt(10)));
            text += f;
        }
        return text + "Z";
    }

    private static String mutate(Random r, String text) {
        if (r.nextInt(3) == 0) return text;
        StringBuilder b = new StringBuilder(text);
        int at = r.nextInt(b.length());
        char c = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
        switch (r.nextInt(3)) {
            case 0 -> b.setCharAt(at, c);
            case 1 -> b.deleteCharAt(at);
            default -> b.insert(at, c);
        }
        return b.toString();
    }
}
