package charter.server.act;

import charter.engine.store.Outbox;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One lane per (tenant, tool): how many of its actions are in flight (at most its concurrency), a
 * token bucket for its rate, and a pause when the tool asked to be left alone (429 with
 * Retry-After). A lane that is full or slow holds up no other lane: the dispatcher only takes from
 * the store what each lane has room for.
 */
final class Lanes {
    /** A lane's limits. */
    record Limits(int concurrency, double perSecond) {
        Limits {
            if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
            if (!(perSecond > 0)) throw new IllegalArgumentException("rate must be positive");
        }
    }

    private final Function<Outbox.Lane, Limits> limits;
    private final Map<Outbox.Lane, Lane> lanes = new ConcurrentHashMap<>();

    Lanes(Function<Outbox.Lane, Limits> limits) {
        this.limits = limits;
    }

    private Lane lane(Outbox.Lane key) {
        return lanes.computeIfAbsent(key, k -> new Lane(limits.apply(k)));
    }

    /** Takes all the room the lane has now (slots and tokens), up to {@code most}; how much it took. */
    int reserve(Outbox.Lane key, long nowNanos, int most) {
        return lane(key).reserve(nowNanos, most);
    }

    /** Gives back {@code n} reservations that started nothing; true when the lane was full, so that waiting actions can start now. */
    boolean unreserve(Outbox.Lane key, int n) {
        return n > 0 && lane(key).unreserve(n);
    }

    /** An action of the lane ended; true when the lane was full, so that waiting actions can start now. */
    boolean end(Outbox.Lane key) {
        return lane(key).end();
    }

    /** The tool asked for a pause (Retry-After on a 429): the lane starts nothing until then. */
    void holdOff(Outbox.Lane key, long nowNanos, Duration wait) {
        lane(key).holdOff(nowNanos + wait.toNanos());
    }

    int inFlight() {
        return lanes.values().stream().mapToInt(Lane::inFlight).sum();
    }

    private static final class Lane {
        private final Limits limits;
        private int inFlight;
        private double tokens;
        private long refilled = System.nanoTime();
        private long heldUntil;

        Lane(Limits limits) {
            this.limits = limits;
            this.tokens = Math.max(1, limits.perSecond());
        }

        synchronized int reserve(long now, int most) {
            if (now - heldUntil < 0) return 0;
            refill(now);
            int n = (int) Math.max(0, Math.min(Math.min(limits.concurrency() - inFlight, Math.floor(tokens)), most));
            inFlight += n;
            tokens -= n;
            return n;
        }

        synchronized boolean unreserve(int n) {
            boolean wasFull = inFlight >= limits.concurrency();
            inFlight -= n;
            tokens = Math.min(Math.max(1, limits.perSecond()), tokens + n);
            return wasFull;
        }

        synchronized boolean end() {
            return inFlight-- >= limits.concurrency();
        }

        synchronized int inFlight() {
            return inFlight;
        }

        synchronized void holdOff(long until) {
            if (until - heldUntil > 0) heldUntil = until;
        }

        private void refill(long now) {
            double burst = Math.max(1, limits.perSecond());
            tokens = Math.min(burst, tokens + (now - refilled) / 1e9 * limits.perSecond());
            refilled = now;
        }
    }
}
