package charter.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RateLimitWaitTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Optional<Duration> wait(Map<String, String> headers) {
        Map<String, List<String>> multi = new java.util.LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        return RateLimitWait.from(HttpHeaders.of(multi, (a, b) -> true), CLOCK);
    }

    @Test
    void readsEachToolsWayOfSayingWhenToComeBack() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), wait(Map.of("Retry-After", "7")));
        assertEquals(Optional.of(Duration.ofMillis(1500)), wait(Map.of("Retry-After", "1.5")));
        assertEquals(Optional.of(Duration.ofSeconds(90)), wait(Map.of("Retry-After", "Sat, 05 Dec 2026 12:01:30 GMT")));
        assertEquals(Optional.of(Duration.ofSeconds(30)), wait(Map.of("x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 30))));
        assertEquals(Optional.of(Duration.ofMillis(2500)), wait(Map.of("X-RateLimit-Requests-Reset", Long.toString(NOW.toEpochMilli() + 2500))));
        assertEquals(Optional.of(Duration.ofSeconds(4)), wait(Map.of("X-Sentry-Rate-Limit-Reset", Long.toString(NOW.getEpochSecond() + 4))));
        assertEquals(Optional.of(Duration.ofSeconds(3)), wait(Map.of("Retry-After", "3", "x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 60))),
                "Retry-After wins over a reset time");
    }

    @Test
    void aResetInThePastIsNowAndAFarOneIsCappedAtAnHour() {
        assertEquals(Optional.of(Duration.ZERO), wait(Map.of("x-ratelimit-reset", Long.toString(NOW.getEpochSecond() - 100))));
        assertEquals(Optional.of(Duration.ZERO), wait(Map.of("Retry-After", "-5")));
        assertEquals(Optional.of(Duration.ofHours(1)), wait(Map.of("Retry-After", "86400")));
    }

    @Test
    void anyHeaderValueGivesNoWaitOrABoundedOneAndNeverThrows() {
        Random random = new Random(7);
        String alphabet = "0123456789.-+eE ,:GMTSatDec";
        for (int i = 0; i < 2000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(30); n > 0; n--) value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String name = List.of("Retry-After", "x-ratelimit-reset", "x-ratelimit-requests-reset", "x-sentry-rate-limit-reset").get(random.nextInt(4));
            Optional<Duration> wait = wait(Map.of(name, value.toString()));
            wait.ifPresent(d -> {
                if (d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0) throw new AssertionError(name + ": " + value + " gave " + d);
            });
        }
        assertEquals(Optional.empty(), wait(Map.of("Retry-After", "soon")));
        assertEquals(Optional.empty(), wait(Map.of()));
    }
}
