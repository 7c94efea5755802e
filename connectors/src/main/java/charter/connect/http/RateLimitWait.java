package charter.connect.http;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long a tool asked to be left alone: {@code Retry-After} (seconds or an HTTP date) or the tools' own
 * rate-limit reset headers (GitHub's and Vercel's {@code x-ratelimit-reset} in epoch seconds, Linear's
 * {@code x-ratelimit-requests-reset} in epoch milliseconds, Sentry's {@code x-sentry-rate-limit-reset}).
 */
public final class RateLimitWait {
    /** Never wait longer than this on a tool's word; a reset an hour away is still a reason to come back. */
    static final Duration LONGEST = Duration.ofHours(1);

    private RateLimitWait() {}

    public static Optional<Duration> from(HttpHeaders headers, Clock clock) {
        Optional<Duration> retryAfter = headers.firstValue("retry-after").flatMap(v -> retryAfter(v.trim(), clock));
        if (retryAfter.isPresent()) return retryAfter;
        for (String name : new String[] {"x-ratelimit-reset", "x-sentry-rate-limit-reset"}) {
            Optional<Duration> reset = headers.firstValue(name).flatMap(v -> epoch(v.trim(), clock, false));
            if (reset.isPresent()) return reset;
        }
        return headers.firstValue("x-ratelimit-requests-reset").flatMap(v -> epoch(v.trim(), clock, true));
    }

    private static Optional<Duration> retryAfter(String value, Clock clock) {
        try {
            return Optional.of(clamp(Duration.ofMillis((long) (Double.parseDouble(value) * 1000))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(clamp(Duration.between(clock.instant(), at)));
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }

    private static Optional<Duration> epoch(String value, Clock clock, boolean millis) {
        try {
            double number = Double.parseDouble(value);
            Instant at = Instant.ofEpochMilli((long) (millis ? number : number * 1000));
            return Optional.of(clamp(Duration.between(clock.instant(), at)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration clamp(Duration wait) {
        if (wait.isNegative()) return Duration.ZERO;
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}
