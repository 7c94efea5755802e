package charter.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a failure the server carries on from is reported: logged once, with the tenant and what
 * was involved (log sequence, rule, commit), and counted in {@code charter_failures_total} by
 * tenant and kind. Callers report each failure here and nowhere else, so it is logged once.
 */
final class FailureLog {
    private static final Logger LOG = LoggerFactory.getLogger("charter.failures");

    /** What failed. */
    enum Kind {
        /** The store could not be read or written (the log consumer retries; a webhook or decision got 503). */
        STORE,
        /** A rule's condition or action failed on an event (recorded as a rule error in the outputs). */
        RULE,
        /** A Program commit could not be fetched or read, or the watcher failed. */
        WATCH,
        /** A commit was rejected: it did not compile or a scenario failed. */
        REJECTED,
        /** A new Program version could not be swapped in; the previous one stays live. */
        SWAP;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The same failure (tenant, kind, message) is logged at most once in this long; every one is counted. */
    static final long REPEAT_MILLIS = 60_000;

    private final MeterRegistry registry;
    private final java.util.concurrent.ConcurrentHashMap<String, Long> lastLogged = new java.util.concurrent.ConcurrentHashMap<>();

    FailureLog(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A failure with its cause: logged at error level with the stack trace. */
    void failed(String tenant, Kind kind, String what, Throwable cause) {
        count(tenant, kind);
        if (firstInAWhile(tenant, kind, what)) LOG.error("{} failure: tenant={} {}", kind.label(), tenant, what, cause);
        else LOG.debug("{} failure again: tenant={} {}: {}", kind.label(), tenant, what, String.valueOf(cause));
    }

    /** False when the same failure was logged less than {@link #REPEAT_MILLIS} ago (an outage fails every request). */
    private boolean firstInAWhile(String tenant, Kind kind, String what) {
        long now = System.currentTimeMillis();
        String key = tenant + "\u0000" + kind + "\u0000" + what;
        Long before = lastLogged.get(key);
        if (before != null && now - before < REPEAT_MILLIS) return false;
        if (lastLogged.size() > 10_000) lastLogged.clear();   // bounded: messages hold sequences and ids
        lastLogged.put(key, now);
        return true;
    }

    /** A failure described in full by the message (a rule error, a rejected commit): logged at warn level. */
    void failed(String tenant, Kind kind, String what) {
        count(tenant, kind);
        LOG.warn("{} failure: tenant={} {}", kind.label(), tenant, what);
    }

    /** The count of the kind for the tenant, as /metrics shows it. */
    double total(String tenant, Kind kind) {
        return counter(tenant, kind).count();
    }

    private void count(String tenant, Kind kind) {
        counter(tenant, kind).increment();
    }

    private Counter counter(String tenant, Kind kind) {
        return Counter.builder("charter.failures")
                .description("Failures the server carried on from, by tenant and kind (store, rule, watch, rejected, swap); each is logged once.")
                .tags("tenant", tenant, "kind", kind.label())
                .register(registry);
    }
}
