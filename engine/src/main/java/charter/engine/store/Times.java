package charter.engine.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times are stored as microseconds since the epoch: sortable, portable, exact for webhook times. */
final class Times {
    private Times() {}

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
