package charter.engine.runtime;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventTimes;
import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The running engine: one Drools session fed by one thread, from one queue of commands
 * (events, intents, clock ticks and Program swaps) applied strictly in the order they
 * were submitted. A swap is a command like the others, so it happens <em>between</em>
 * two events: an event submitted during a swap waits in the queue and is processed
 * once, by the new Program; none is lost and none is processed twice.
 *
 * <p>State across a swap is <b>rebuilt by replay</b>: a swap starts a fresh session of
 * the new Program on the pseudo clock at the oldest event it must see again, replays the
 * events processed so far in their original order and runs the clock to the current time,
 * with every output of the replay discarded (it was reported already, by the old Program).
 * Where those events come from: a host with a durable log of its own (a server) gives a
 * {@link History}, and the replay reads back as far as the new Program's longest window;
 * otherwise the engine keeps the events of the last {@code retention} in memory (at least
 * the longest window of the Program, and at least {@code minRetention}). Open windows ({@code not … within},
 * {@code count … within}, {@code every … has … within}) are thereby open in the new
 * session, evaluated with the new rules; what the new session would have reported
 * before the swap is not reported; what falls due after it is.
 *
 * <p>Time is event time, as in simulation: the clock moves with the events and with
 * {@link #tick}, which a live host calls with the wall clock to let deadlines fall.
 */
public final class LiveEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveEngine.class);

    /** What a swap did. */
    public record SwapReport(String fromVersion, String toVersion, int replayedEvents, long millis) {}

    /** A host's own record of the events it gave the engine, which a swap replays from instead of memory. */
    @FunctionalInterface
    public interface History {
        /**
         * The events given with a position up to {@code position}, in the order they were given,
         * leaving out those whose event time is before {@code since}.
         */
        List<CanonicalEvent> processed(Instant since, long position);
    }

    private sealed interface Command permits Event, WarmUp, Decide, Tick, Swap, Barrier, Stop {}
    private record Event(CanonicalEvent event, long position) implements Command {}
    private record WarmUp(List<CanonicalEvent> events, long position, CompletableFuture<Integer> done) implements Command {}
    private record Decide(IntentRequest request, boolean dryRun, CompletableFuture<TimelineEntry.Decision> result) implements Command {}
    private record Tick(long millis) implements Command {}
    private record Swap(CompiledProgram program, CompletableFuture<SwapReport> result) implements Command {}
    private record Barrier(CompletableFuture<Void> done) implements Command {}
    private record Stop() implements Command {}

    /**
     * At most this many commands wait: a producer faster than the engine (the log consumer, request
     * threads) then waits for room rather than filling the heap.
     */
    public static final int QUEUE_CAPACITY = 10_000;

    private final BlockingQueue<Command> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Consumer<TimelineEntry> sink;
    private final long minRetentionMillis;
    /** Null when the engine keeps the events for replay itself, in {@link #retained}. */
    private final History history;
    private final Thread thread;
    /** Whose engine this is, for the log ({@code ""} when the host has no tenants). */
    private final String tenant;

    // Engine-thread state.
    private CompiledProgram program;
    private ProgramSession session;
    private boolean replaying;
    private long clock;
    private final ArrayDeque<CanonicalEvent> retained = new ArrayDeque<>();
    /** The host's position of the last event processed (with a {@link History}). */
    private long position;
    private long eventsProcessed;
    private volatile String version;
    private volatile Throwable lastFailure;
    /** Sizes of the live session's memory, for metrics; written by the engine thread after each command. */
    private volatile int plannedActionIds;
    /** Commands that failed (each logged once), and the log position of the event being processed. */
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    private volatile long current;
    private volatile int entities;

    /**
     * @param start        the clock's start (the first event may be later)
     * @param sink         every action, decision, violation and rule error, on the engine thread
     * @param minRetention events are kept at least this long for replay, even when the
     *                     Program's windows are shorter (a new Program may have longer ones)
     */
    public LiveEngine(CompiledProgram initial, Instant start, Consumer<TimelineEntry> sink, Duration minRetention) {
        this("", initial, start, sink, minRetention, null);
    }

    /**
     * An engine whose swaps replay from the host's {@code history} and which keeps no events
     * of its own; give every event with its position ({@link #submit(CanonicalEvent, long)}).
     */
    public LiveEngine(CompiledProgram initial, Instant start, Consumer<TimelineEntry> sink, History history) {
        this("", initial, start, sink, history);
    }

    /** As {@link #LiveEngine(CompiledProgram, Instant, Consumer, History)}, naming the tenant in what it logs. */
    public LiveEngine(String tenant, CompiledProgram initial, Instant start, Consumer<TimelineEntry> sink, History history) {
        this(tenant, initial, start, sink, Duration.ZERO, java.util.Objects.requireNonNull(history, "history"));
    }

    private LiveEngine(String tenant, CompiledProgram initial, Instant start, Consumer<TimelineEntry> sink, Duration minRetention, History history) {
        this.tenant = tenant;
        this.sink = sink;
        this.minRetentionMillis = minRetention.toMillis();
        this.history = history;
        this.program = initial;
        this.clock = Math.max(1, start.toEpochMilli());
        this.session = ProgramSession.simulation(initial, clock, this::emit);
        this.version = initial.version();
        this.thread = Thread.ofPlatform().name(tenant.isEmpty() ? "charter-engine" : "charter-engine-" + tenant).daemon(true).start(() -> {
            if (!tenant.isEmpty()) MDC.put("tenant", tenant);
            loop();
        });
    }

    /** Queues an event; it is processed after everything submitted before it. */
    public void submit(CanonicalEvent event) {
        submit(event, 0);
    }

    /** Queues an event with its position in the host's {@link History}. */
    public void submit(CanonicalEvent event, long position) {
        enqueue(new Event(event, position));
    }

    /**
     * Rebuilds state from events that were processed before (by an earlier run of this engine,
     * before a restart): they go through the session like any event, but what they make is not
     * reported again. Completes with the number of events replayed.
     */
    public CompletableFuture<Integer> warmUp(List<CanonicalEvent> events) {
        return warmUp(events, 0);
    }

    /** {@link #warmUp(List)} with the host's position of the last of {@code events}. */
    public CompletableFuture<Integer> warmUp(List<CanonicalEvent> events, long position) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        enqueue(new WarmUp(List.copyOf(events), position, done));
        return done;
    }

    /** Queues an intent; the decision is made against the state at that point of the queue. */
    public CompletableFuture<TimelineEntry.Decision> decide(IntentRequest request) {
        CompletableFuture<TimelineEntry.Decision> result = new CompletableFuture<>();
        enqueue(new Decide(request, false, result));
        return result;
    }

    /**
     * Decides an intent as a dry run: against the state at that point of the queue, at the
     * engine's current time, changing nothing (not the clock, not which actions count as planned).
     */
    public CompletableFuture<TimelineEntry.Decision> dryRun(IntentRequest request) {
        CompletableFuture<TimelineEntry.Decision> result = new CompletableFuture<>();
        enqueue(new Decide(request, true, result));
        return result;
    }

    /** Moves the clock to {@code now} (never back), reporting every deadline that passes. */
    public void tick(Instant now) {
        enqueue(new Tick(now.toEpochMilli()));
    }

    /**
     * Queues a swap to {@code next}; completes once the new session is live, or exceptionally with the old one
     * still live. The engine then owns {@code next}: the version swapped out (or {@code next}, when the swap
     * fails) has its functions {@linkplain charter.compiler.js.JsFunctions#retire() retired}.
     */
    public CompletableFuture<SwapReport> swap(CompiledProgram next) {
        CompletableFuture<SwapReport> result = new CompletableFuture<>();
        enqueue(new Swap(next, result));
        return result;
    }

    /** Completes when every command submitted before it has been applied. */
    public CompletableFuture<Void> barrier() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Barrier(done));
        return done;
    }

    /** Waits for room in the queue (see {@link #QUEUE_CAPACITY}). */
    private void enqueue(Command c) {
        try {
            queue.put(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in the engine's queue", e);
        }
    }

    /** The version of the Program processing events now. */
    public String version() {
        return version;
    }

    /** The last unexpected failure of a command (the loop carries on), or null. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    private void loop() {
        while (true) {
            Command c;
            try {
                c = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (c) {
                    case Event e -> {
                        current = e.position();
                        eventOrError(e.event(), "processing");
                        position = e.position();
                        eventsProcessed++;
                    }
                    case WarmUp w -> {
                        replaying = true;
                        try {
                            for (CanonicalEvent e : w.events()) eventOrError(e, "replaying");
                            position = w.position();
                            w.done().complete(w.events().size());
                        } catch (RuntimeException | Error ex) {
                            w.done().completeExceptionally(ex);
                            throw ex;
                        } finally {
                            replaying = false;
                        }
                    }
                    case Decide d -> {
                        try {
                            if (d.dryRun()) {
                                d.result().complete(session.dryRun(d.request()));
                            } else {
                                advance(d.request().time().toEpochMilli());
                                d.result().complete(session.decide(d.request()));
                            }
                        } catch (RuntimeException | Error ex) {
                            d.result().completeExceptionally(ex);
                            throw ex;
                        }
                    }
                    case Tick t -> advance(t.millis());
                    case Swap s -> swapNow(s);
                    case Barrier b -> b.done().complete(null);
                    case Stop ignored -> {
                        session.close();
                        return;
                    }
                }
            } catch (RuntimeException | Error e) {
                // An Error too (a stack overflow in a rule): this command is lost, the loop carries on with the next.
                failed(c, e);
            }
            plannedActionIds = session.plannedActionIdCount();
            entities = session.entityCount();
        }
    }

    /** Logged once, here, with what the engine was doing: the caller of a failed future is told too, and may not log. */
    private void failed(Command c, Throwable e) {
        lastFailure = e;
        failures.incrementAndGet();
        String what = switch (c) {
            case Event ev -> "event " + ev.event().id() + " (log sequence " + ev.position() + ")";
            case WarmUp w -> "warm-up of " + w.events().size() + " events up to log sequence " + w.position();
            case Decide d -> "decision of intent " + d.request().id();
            case Tick t -> "clock tick to " + Instant.ofEpochMilli(t.millis());
            case Swap s -> "swap to version " + s.program().version();
            case Barrier b -> "barrier";
            case Stop s -> "stop";
        };
        LOG.error("engine failure: tenant={} version={} position={} during {}", tenant, version, position, what, e);
    }

    /**
     * One event through the session; a failure is a rule error of that event (recorded even during a
     * replay, where other outputs are not), and the engine goes on with the next one: no single
     * stored event can stop a tenant from starting or from processing the events after it.
     */
    private void eventOrError(CanonicalEvent e, String doing) {
        try {
            event(e);
        } catch (RuntimeException | StackOverflowError ex) {
            lastFailure = ex;
            // Not logged here: the rule error goes to the sink, and the host logs it once (with tenant and sequence).
            sink.accept(new TimelineEntry.RuleError(Instant.ofEpochMilli(clock), doing + " event " + e.id() + " failed: "
                    + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
                    + "; the engine went on with the next event",
                    new charter.engine.result.Provenance(charter.engine.result.Provenance.Kind.RULE, "engine", null,
                            List.of(e.id()), null, program.version())));
        }
    }

    private void event(CanonicalEvent e) {
        advance(e.time().toEpochMilli());
        session.onEvent(e);
        if (history != null) return;
        retained.addLast(e);
        long keep = retention(program, minRetentionMillis);
        while (!retained.isEmpty() && retained.peekFirst().time().toEpochMilli() < clock - keep) retained.removeFirst();
    }

    /** Moves the clock forward to {@code millis}; never back, and never past the last time Charter accepts. */
    private void advance(long millis) {
        millis = Math.min(millis, EventTimes.LATEST.toEpochMilli());
        if (millis > clock) {
            clock = millis;
            session.advanceTo(millis);
        }
    }

    private void swapNow(Swap s) {
        long t0 = System.nanoTime();
        List<CanonicalEvent> replay;
        ProgramSession next = null;
        replaying = true;
        try {
            replay = history == null ? List.copyOf(retained)
                    : history.processed(Instant.ofEpochMilli(clock - retention(s.program(), 0)), position);
            long start = replay.isEmpty() ? clock : Math.min(clock, replay.getFirst().time().toEpochMilli());
            next = ProgramSession.simulation(s.program(), start, this::emit);
            for (CanonicalEvent e : replay) {
                long t = Math.min(e.time().toEpochMilli(), EventTimes.LATEST.toEpochMilli());
                try {
                    if (t > next.now()) next.advanceTo(t);
                    next.onEvent(e);
                } catch (RuntimeException | StackOverflowError ex) {
                    // reported when the event was first processed; one event does not stop a swap
                    LOG.warn("replaying event {} for a swap to {} failed; the replay goes on", e.id(), s.program().version(), ex);
                }
            }
            if (clock > next.now()) next.advanceTo(clock);
        } catch (RuntimeException | Error e) {
            // An Error too (a stack overflow in a replayed rule): the old session stays live and reporting.
            if (next != null) next.close();
            s.program().functions().retire();   // it never went live: nothing else runs it
            s.result().completeExceptionally(e);
            failures.incrementAndGet();
            LOG.error("swap failed, version {} stays live: tenant={} to={} position={}", program.version(), tenant,
                    s.program().version(), position, e);
            return;
        } finally {
            replaying = false;
        }
        ProgramSession old = session;
        CompiledProgram out = program;
        String from = out.version();
        session = next;
        program = s.program();
        version = program.version();
        old.close();
        // The old version's JavaScript workers (a thread and a context each) go with it, once the
        // simulations that hold it are done.
        out.functions().retire();
        s.result().complete(new SwapReport(from, program.version(), replay.size(), (System.nanoTime() - t0) / 1_000_000));
    }

    /** Outputs of a replay were reported by the Program that saw those events first. */
    private void emit(TimelineEntry entry) {
        if (!replaying) sink.accept(entry);
    }

    /**
     * How long events are kept for replay: the Program's longest window, at least {@code minRetention}
     * (what a host that rebuilds an engine's state from its own log must replay, too).
     */
    public static Duration retention(CompiledProgram p, Duration minRetention) {
        return Duration.ofMillis(retention(p, minRetention.toMillis()));
    }

    private static long retention(CompiledProgram p, long minRetentionMillis) {
        return Math.max(minRetentionMillis, p.drl() == null ? 0 : p.drl().core().eventHorizonMillis());
    }

    /** Events processed so far (replays not counted); read after a {@link #barrier()}. */
    public long eventsProcessed() {
        return eventsProcessed;
    }

    /** Action ids the live session remembers to skip duplicate firings (bounded by the Program's horizons). */
    public int plannedActionIds() {
        return plannedActionIds;
    }

    /** Commands that failed so far (each is logged once, with the event, log position and version). */
    public long failures() {
        return failures.get();
    }

    /**
     * The host's log position of the event being processed (or last processed): read on the engine
     * thread, from the sink, to say which event an output came from.
     */
    public long currentPosition() {
        return current;
    }

    /** Entities the live session holds. */
    public int entities() {
        return entities;
    }

    /** Commands (events, intents, ticks, swaps) waiting for the engine's thread: the ingest backlog, for metrics. */
    public int queueDepth() {
        return queue.size();
    }

    @Override
    public void close() {
        try {
            if (!queue.offer(new Stop(), 10, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("engine of tenant {} did not take the stop command within 10 s; left running", tenant);
                return;
            }
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
