package charter.server;

import charter.engine.event.CanonicalEvent;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.LiveEngine;
import charter.engine.store.EventStore;
import charter.engine.store.OutcomeStore;
import charter.engine.store.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Feeds one tenant's engine from its durable log, the way a consumer reads a topic: it reads the
 * events after its position, runs them through the {@link LiveEngine}, and records what the engine
 * reported together with its new position in one transaction ({@link OutcomeStore#record}). A
 * webhook is acknowledged once it is in the log; this is what runs the Program on it afterwards.
 *
 * <p>Exactly once across a crash: the position only moves with the outputs of the events before
 * it, so after a kill the events after the recorded position are processed again, and outputs are
 * keyed by idempotency ids, so what was recorded already is not recorded twice. On start the engine
 * first rebuilds its state from the events already processed that its windows can still see
 * ({@link LiveEngine#warmUp}), so open windows stay open across a restart; a swap to a new
 * Program version rebuilds the new session from the log the same way ({@link #processed}), so
 * the engine keeps no second copy of the events in memory.
 *
 * <p>The same loop moves the engine's clock to the wall clock about once a second, so deadlines
 * ({@code not … within}, state invariants) fall even when no event arrives.
 */
final class LogConsumer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogConsumer.class);
    /** The consumer name of the engine in the store's {@code consumers} table. */
    static final String NAME = "engine";
    static final int BATCH = 500;
    /** At most this many already-processed events are replayed to rebuild state (on start, on a swap). */
    static final int MAX_WARM_UP = 200_000;
    /** How often, at most, outputs and the position are recorded while events stream in. */
    static final long RECORD_EVERY_MILLIS = 100;
    /** Events just appended kept at hand for the engine; one that falls out is read from the log instead. */
    static final int MAX_AT_HAND = 20 * BATCH;

    private final String tenant;
    private final EventStore log;
    private final OutcomeStore outcomes;
    private final LiveEngine engine;
    private final LogHistory history;
    private final Semaphore wake = new Semaphore(0);
    /** Events the webhook committer appended and the engine has not been given yet, by id, oldest first. */
    private final Map<String, CanonicalEvent> atHand = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CanonicalEvent> eldest) {
            return size() > MAX_AT_HAND;
        }
    };
    private final List<TimelineEntry> pending = new ArrayList<>();
    private final Thread thread;

    private volatile long position;
    /** Events given to the engine from the log rather than from {@link #atHand}. */
    private volatile long reread;
    /** The last sequence handed to the engine (ahead of {@link #position} until the next record). */
    private long read;
    /** Outputs of the events up to {@link #read} not recorded yet (also after a failed record: retried). */
    private final List<TimelineEntry> unrecorded = new ArrayList<>();
    /** Whether {@link #unrecorded} holds a planned action. */
    private boolean actionsUnrecorded;
    private long lastRecord = System.nanoTime();
    private volatile Throwable lastFailure;
    private volatile boolean closed;
    private final FailureLog failures;
    /** Rounds failed in a row (a store outage): the first is logged, the recovery too, the rest only counted. */
    private int failedRounds;

    /**
     * @param log       where the events are read (a connection of its own, so reads do not wait for appends)
     * @param outcomes  where outputs and the position are recorded
     * @param retention how far back (in event time) processed events are replayed on start
     */
    LogConsumer(String tenant, EventStore log, OutcomeStore outcomes, LiveEngine engine, Duration retention, FailureLog failures) {
        this(tenant, log, outcomes, engine, retention, failures, () -> Outbox.Admission.NONE, Outbox.Intake.NONE);
    }

    /** Decides, per record, how new planned actions enter the outbox (the live Program's connectors block). */
    private final java.util.function.Supplier<Outbox.Admission> admission;
    /** The dispatcher's intake: what it has room for is taken in the recording transaction. */
    private final Outbox.Intake intake;

    /**
     * @param admission how planned actions enter the outbox, asked at each record (the Program may have changed)
     * @param intake    the dispatcher's, which takes new actions as they are recorded
     */
    LogConsumer(String tenant, EventStore log, OutcomeStore outcomes, LiveEngine engine, Duration retention, FailureLog failures,
                java.util.function.Supplier<Outbox.Admission> admission, Outbox.Intake intake) {
        this.admission = admission;
        this.intake = intake;
        this.tenant = tenant;
        this.failures = failures;
        this.log = log;
        this.outcomes = outcomes;
        this.engine = engine;
        this.history = new LogHistory(log, tenant, MAX_WARM_UP, BATCH);
        this.position = outcomes.processed(tenant, NAME);
        this.read = position;
        warmUp(retention);
        this.thread = Thread.ofPlatform().daemon(true).name("charter-consume-" + tenant).start(this::loop);
    }

    /** The engine's sink: outputs are held until the batch that made them is recorded. */
    void collect(TimelineEntry e) {
        if (e instanceof TimelineEntry.Decision) return;   // decisions are recorded by the intent endpoint
        if (e instanceof TimelineEntry.RuleError r) {
            failures.failed(tenant, FailureLog.Kind.RULE, "log sequence " + engine.currentPosition() + " version "
                    + r.provenance().programVersion() + " " + r.provenance().kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " `" + r.provenance().id() + "`: " + r.message());
        }
        synchronized (pending) {
            pending.add(e);
        }
    }

    /**
     * These events were just appended: read the log now rather than at the next tick, and take
     * them from here rather than decode them from the log again.
     */
    void appended(List<CanonicalEvent> events) {
        synchronized (atHand) {
            for (CanonicalEvent e : events) atHand.put(e.id(), e);
        }
        wake.release();
    }

    long reread() {
        return reread;
    }

    /** The last event sequence whose outputs are recorded. */
    long position() {
        return position;
    }

    Throwable lastFailure() {
        return lastFailure;
    }

    private void warmUp(Duration retention) {
        if (position == 0) return;
        try {
            engine.warmUp(processed(Instant.now().minus(retention), position), position).get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("tenant `" + tenant + "`: could not rebuild the engine's state from the log: " + e, e);
        }
    }

    /**
     * The engine's {@link LiveEngine.History}: the logged events up to sequence {@code upTo} whose
     * event time is at or after {@code since}, in log order; the newest {@value #MAX_WARM_UP} of them.
     * Called on the engine's thread for a swap, and for the warm-up.
     */
    List<CanonicalEvent> processed(Instant since, long upTo) {
        return history.processed(since, upTo);
    }

    private void loop() {
        while (!closed) {
            try {
                long wait = unrecorded.isEmpty() && read == position ? 1_000
                        : Math.max(0, RECORD_EVERY_MILLIS - (System.nanoTime() - lastRecord) / 1_000_000);
                wake.tryAcquire(wait, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                step();
                if (failedRounds > 0) {
                    LOG.info("log consumer recovered: tenant={} after {} failed rounds, at log sequence {}", tenant, failedRounds, position);
                    failedRounds = 0;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the store failed: the position did not move; what the engine made is recorded on the next try
                lastFailure = e;
                if (failedRounds++ == 0) {
                    failures.failed(tenant, FailureLog.Kind.STORE, "log consumer at log sequence " + position
                            + " (read up to " + read + "); retrying every second", e);
                }
                sleepQuietly();
            }
        }
        try {
            if (read > position || !unrecorded.isEmpty()) record();   // a clean stop leaves nothing to run again
        } catch (RuntimeException e) {
            lastFailure = e;   // run again after the restart instead
            failures.failed(tenant, FailureLog.Kind.STORE, "log consumer could not record up to log sequence " + read
                    + " on stopping; those events run again after the restart", e);
        }
    }

    /**
     * One round: every event after what the engine was given, a tick, and a record when one is due.
     * Recording is batched in time (every {@value #RECORD_EVERY_MILLIS} ms at most, or every
     * {@value #BATCH} events), so a stream of small webhook batches does not pay a transaction each;
     * a round that planned an action records at its end, since the action waits for its record.
     */
    private void step() throws Exception {
        while (!closed) {
            List<EventStore.LogEntry> entries = log.entries(tenant, read, BATCH);
            List<CanonicalEvent> events = takeAtHand(entries);
            if (events != null) {
                for (int i = 0; i < entries.size(); i++) engine.submit(events.get(i), entries.get(i).sequence());
            } else {   // after a restart, or behind by more than we keep at hand: the log has them all
                for (EventStore.StoredEvent s : log.events(tenant, new EventStore.EventQuery(null, null, null, read, BATCH))) {
                    engine.submit(s.event(), s.sequence());
                    reread++;
                }
            }
            if (!entries.isEmpty()) read = entries.getLast().sequence();
            boolean more = entries.size() == BATCH;
            if (!more) engine.tick(Instant.now());
            engine.barrier().get(1, TimeUnit.MINUTES);
            synchronized (pending) {
                if (!actionsUnrecorded) actionsUnrecorded = pending.stream().anyMatch(e -> e instanceof TimelineEntry.PlannedAction);
                unrecorded.addAll(pending);
                pending.clear();
            }
            // An action waits for its record to be carried out: recorded at once, not at the next tick.
            boolean due = actionsUnrecorded && !more || System.nanoTime() - lastRecord >= RECORD_EVERY_MILLIS * 1_000_000
                    || read - position >= BATCH || unrecorded.size() >= BATCH;
            if (due && (read > position || !unrecorded.isEmpty())) record();
            if (!more) return;
        }
    }

    /** The events of these log entries from what was appended, in log order; null unless all of them are at hand. */
    private List<CanonicalEvent> takeAtHand(List<EventStore.LogEntry> entries) {
        List<CanonicalEvent> out = new ArrayList<>(entries.size());
        synchronized (atHand) {
            for (EventStore.LogEntry entry : entries) {
                CanonicalEvent e = atHand.remove(entry.eventId());
                if (e != null) out.add(e);
            }
        }
        return out.size() == entries.size() ? out : null;
    }

    private void record() {
        outcomes.record(tenant, NAME, read, List.copyOf(unrecorded), admission.get(), intake);
        position = read;
        unrecorded.clear();
        actionsUnrecorded = false;
        lastRecord = System.nanoTime();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        wake.release();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
