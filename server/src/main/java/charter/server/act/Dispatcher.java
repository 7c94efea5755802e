package charter.server.act;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.Guarantee;
import charter.connect.WireRequest;
import charter.engine.store.Outbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Carries out the outbox: takes due actions (as much as each (tenant, tool) lane has room for),
 * sends each on a virtual thread through its tenant's connector, and records every attempt and
 * where it leaves the action, in batches. A taken action is leased; if this process dies while it
 * sends, the lease runs out and the next dispatcher takes it over as an attempt whose outcome is
 * unknown: it looks for the earlier result ({@link Connector#lookup}) before sending again, or,
 * for a tool that cannot deduplicate, fails it rather than risk a second effect.
 */
public final class Dispatcher implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Dispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** At most this many actions are taken per round. */
    static final int CLAIM_LIMIT = 512;
    /** Attempts recorded per transaction, at most. */
    static final int FINISH_BATCH = 512;
    /** After a wake, this long for more to arrive before the store is asked again. */
    static final long COALESCE_MILLIS = 1;

    private final Outbox outbox;
    private final ConnectorRegistry connectors;
    private final ActSettings settings;
    private final ActMetrics metrics;
    private final Lanes lanes;
    private final Semaphore wake = new Semaphore(0);
    private final LinkedBlockingQueue<Outbox.Finish> finished = new LinkedBlockingQueue<>();
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("charter-act-", 0).factory());
    private final SplittableRandom seeds = new SplittableRandom();
    private final Thread poller;
    private final Thread writer;
    private volatile boolean closed;
    private int failedRounds;

    public Dispatcher(Outbox outbox, ConnectorRegistry connectors, ActSettings settings, ActMetrics metrics) {
        this.outbox = outbox;
        this.connectors = connectors;
        this.settings = settings;
        this.metrics = metrics;
        this.lanes = new Lanes(lane -> connectors.settings(lane.tenant(), lane.tool())
                .map(s -> new Lanes.Limits(s.concurrency(), s.perSecond()))
                .orElse(new Lanes.Limits(ToolSettings.DEFAULT_CONCURRENCY, ToolSettings.DEFAULT_PER_SECOND)));
        this.poller = Thread.ofPlatform().daemon(true).name("charter-act-poll").start(this::poll);
        this.writer = Thread.ofPlatform().daemon(true).name("charter-act-record").start(this::record);
    }

    /** New actions may be due: look now rather than at the next poll. */
    public void wake() {
        wake.release();
    }

    /** What the live server records new actions with: each lane's room is taken in the recording transaction. */
    public Outbox.Intake intake() {
        return intake;
    }

    private final Outbox.Intake intake = new Outbox.Intake() {
        @Override
        public Duration lease() {
            return settings.lease();
        }

        @Override
        public boolean reserve(Outbox.Lane lane) {
            return !closed && lanes.reserve(lane, System.nanoTime(), 1) == 1;
        }

        @Override
        public void settle(List<Outbox.Claimed> taken, List<Outbox.Lane> unused, boolean waiting) {
            boolean look = waiting;
            for (Outbox.Lane lane : unused) look |= lanes.unreserve(lane, 1);
            for (Outbox.Claimed c : taken) {
                metrics.taken(c.row().tenant(), c.row().tool(), "record");
                send(c);
            }
            if (look) wake.release();
        }
    };

    private void poll() {
        while (!closed) {
            // As much of each lane's room as it has due actions is reserved while the store is asked, so
            // that actions a record takes meanwhile (the intake) count against the same room; what the
            // claim did not use is given back. (Reserving all of it would leave a record none while a
            // claim waits for the store, and send its actions to the next claim instead.)
            Map<Outbox.Lane, Integer> reserved = new HashMap<>();   // filled on this thread, inside the claim
            try {
                List<Outbox.Claimed> taken = outbox.claim(Instant.now(), settings.lease(), CLAIM_LIMIT,
                        (lane, due) -> {
                            int room = lanes.reserve(lane, System.nanoTime(), due);
                            reserved.merge(lane, room, Integer::sum);
                            return room;
                        });
                for (Outbox.Claimed c : taken) {
                    reserved.merge(new Outbox.Lane(c.row().tenant(), c.row().tool()), -1, Integer::sum);
                    metrics.taken(c.row().tenant(), c.row().tool(), "claim");
                    send(c);
                }
                reserved.forEach((lane, n) -> lanes.unreserve(lane, n));
                reserved.clear();
                if (failedRounds > 0) {
                    LOG.info("dispatcher recovered after {} failed rounds", failedRounds);
                    failedRounds = 0;
                }
                if (taken.size() < CLAIM_LIMIT) {
                    if (wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS)) {
                        Thread.sleep(COALESCE_MILLIS);   // one look for a burst of wakes (records, lanes freed, retries)
                    }
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                reserved.forEach((lane, n) -> lanes.unreserve(lane, n));
                if (failedRounds++ == 0) LOG.error("dispatcher could not take due actions from the store; retrying every second", e);
                sleep(1_000);
            }
        }
    }

    /** Sends a taken action on a virtual thread; its lane's reservation ends with it. */
    private void send(Outbox.Claimed c) {
        Outbox.Lane lane = new Outbox.Lane(c.row().tenant(), c.row().tool());
        if (senders.isShutdown()) {   // taken as the server stops: its lease runs out and the next start takes it over
            lanes.end(lane);
            LOG.info("stopping: action {} of tenant {} is left to the next start", c.row().actionId(), c.row().tenant());
            return;
        }
        senders.execute(() -> {
            try {
                attempt(c);
            } finally {
                // A lane that was full has room again: what waits for it can start. Otherwise no
                // look is needed (each look is a transaction on the store the webhooks also write).
                if (lanes.end(lane)) wake.release();
            }
        });
    }

    /** One attempt at one action; never throws. */
    private void attempt(Outbox.Claimed c) {
        Outbox.Row row = c.row();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Connector connector;
        try {
            connector = connectors.connector(row.tenant(), row.tool()).orElse(null);
        } catch (RuntimeException | LinkageError e) {   // a connector that cannot even be made: failed, visibly, not stuck in sending
            LOG.error("the connector for {} could not be made for tenant={} action={}", row.tool(), row.tenant(), row.actionId(), e);
            String why = "the connector for " + row.tool() + " could not be loaded (" + e + "); the server's log has the cause";
            finish(row, started, t0, "refused", 0, why, null, null, Outbox.State.FAILED, null, false, why);
            metrics.attempt(row.tenant(), row.tool(), "failed", null);
            return;
        }
        if (connector == null) {
            String why = connectors.serves(row.tool())
                    ? "tenant `" + row.tenant() + "` has no endpoint for " + row.tool() + " in the server configuration (tenants."
                            + row.tenant() + ".connectors); configure it, then retry the action"
                    : "this server has no connector for " + row.tool();
            finish(row, started, t0, "refused", 0, why, null, null, Outbox.State.FAILED, null, false, why);
            metrics.attempt(row.tenant(), row.tool(), "failed", null);
            LOG.warn("action failed: tenant={} tool={} action={}: {}", row.tenant(), row.tool(), row.actionId(), why);
            return;
        }
        ActionRequest request = new ActionRequest(row.tenant(), row.actionId(), row.tool(), row.args(), row.attempts());
        String wire = wire(connector, request);
        Guarantee guarantee = connector.guarantee();
        try {
            if (row.unknown()) {   // an earlier attempt may have been carried out
                if (guarantee == Guarantee.AT_MOST_ONCE) {
                    String why = (c.takenOver() ? "the server stopped while sending" : "the last attempt's outcome is unknown")
                            + "; " + row.tool() + " cannot deduplicate, so it is not sent again: check the tool, then retry or cancel";
                    finish(row, started, t0, "refused", 0, why, null, null, Outbox.State.FAILED, null, false, why);
                    metrics.attempt(row.tenant(), row.tool(), "failed", null);
                    return;
                }
                Optional<AttemptOutcome.Done> earlier = connector.lookup(request);
                if (earlier.isPresent()) {
                    AttemptOutcome.Done d = earlier.get();
                    finish(row, started, t0, "done", d.status(), "found the earlier attempt's result", d.externalId(), d.url(),
                            Outbox.State.DONE, null, false, "");
                    metrics.attempt(row.tenant(), row.tool(), "sent", Duration.ofNanos(System.nanoTime() - t0));
                    return;
                }
            }
            AttemptOutcome outcome = connector.send(request);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            AttemptPolicy.Next next = settings.policy().after(outcome, guarantee, row.attemptsInBudget(), Instant.now(), seeds.split());
            if (outcome instanceof AttemptOutcome.Retry r && r.retryAfter() != null && r.status() == 429) {
                lanes.holdOff(new Outbox.Lane(row.tenant(), row.tool()), System.nanoTime(), r.retryAfter());
            }
            String kind = switch (outcome) {
                case AttemptOutcome.Done d -> "done";
                case AttemptOutcome.Retry r -> "retry";
                case AttemptOutcome.Failed f -> "failed";
                case AttemptOutcome.Unknown u -> "unknown";
            };
            String detail = switch (outcome) {
                case AttemptOutcome.Done d -> d.deduplicated() ? "the tool had it already" : "";
                case AttemptOutcome.Retry r -> r.reason();
                case AttemptOutcome.Failed f -> f.reason();
                case AttemptOutcome.Unknown u -> u.reason();
            };
            String externalId = outcome instanceof AttemptOutcome.Done d ? d.externalId() : null;
            String url = outcome instanceof AttemptOutcome.Done d ? d.url() : null;
            Outbox.Attempt attempt = new Outbox.Attempt(row.tenant(), row.actionId(), row.attempts(), started, took, kind,
                    outcome.status(), detail, externalId, url, wire);
            finished.add(new Outbox.Finish(attempt, next.state(), next.nextAttempt(), next.unknown(), next.error()));
            metrics.attempt(row.tenant(), row.tool(), switch (next.state()) {
                case DONE -> "sent";
                case RETRYING -> "retried";
                default -> "failed";
            }, took);
            if (next.state() == Outbox.State.FAILED) {
                LOG.warn("action failed: tenant={} tool={} action={} attempt={}: {}", row.tenant(), row.tool(), row.actionId(), row.attempts(), next.error());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // stopping: the lease runs out and the next start takes it over
        } catch (RuntimeException | LinkageError e) {
            // a connector broke its contract (it must turn every failure into an outcome): unknown, never lost
            LOG.error("connector for {} threw on tenant={} action={}; treated as an unknown outcome", row.tool(), row.tenant(), row.actionId(), e);
            AttemptPolicy.Next next = settings.policy().after(new AttemptOutcome.Unknown(0, "connector error: " + e),
                    guarantee, row.attemptsInBudget(), Instant.now(), seeds.split());
            finish(row, started, t0, "unknown", 0, "connector error: " + e, null, null, next.state(), next.nextAttempt(), next.unknown(), next.error());
        }
    }

    private void finish(Outbox.Row row, Instant started, long t0, String outcome, int status, String detail, String externalId,
                        String url, Outbox.State next, Instant nextAttempt, boolean unknown, String error) {
        Outbox.Attempt a = new Outbox.Attempt(row.tenant(), row.actionId(), row.attempts(), started,
                Duration.ofNanos(System.nanoTime() - t0), outcome, status, detail, externalId, url, "{}");
        finished.add(new Outbox.Finish(a, next, nextAttempt, unknown, error));
    }

    /** The request as the trail keeps it: method, target, headers and body, secrets already redacted by the connector. */
    static String wire(Connector connector, ActionRequest request) {
        try {
            WireRequest w = connector.render(request);
            ObjectNode n = JSON.createObjectNode();
            n.put("method", w.method());
            n.put("target", w.target());
            ObjectNode h = n.putObject("headers");
            w.headers().forEach(h::put);
            n.put("body", w.body());
            return JSON.writeValueAsString(n);
        } catch (Exception e) {
            return "{\"error\":\"the connector could not render the request\"}";
        }
    }

    /** Records finished attempts in batches: one transaction for whatever finished meanwhile. */
    private void record() {
        List<Outbox.Finish> batch = new ArrayList<>();
        int failed = 0;
        while (!closed || !finished.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Outbox.Finish first = finished.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    batch.add(first);
                }
                finished.drainTo(batch, FINISH_BATCH - batch.size());
                outbox.finish(batch);
                Instant now = Instant.now();
                boolean retryDue = batch.stream().anyMatch(f -> dueAtOnce(f, now));
                batch.clear();
                if (failed > 0) LOG.info("dispatcher records attempts again after {} failures", failed);
                failed = 0;
                if (retryDue) wake.release();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // kept and written again; if the process dies meanwhile, the leases run out and the lookups find the results
                if (failed++ == 0) LOG.error("dispatcher could not record {} attempts; retrying every second", batch.size(), e);
                if (closed) return;
                sleep(1_000);
            }
        }
    }

    /**
     * A retry to be made now rather than at a later poll: due by the time a woken poll looks, which
     * is {@link #COALESCE_MILLIS} after the wake (the policy spreads even a retry without backoff
     * over a millisecond).
     */
    static boolean dueAtOnce(Outbox.Finish f, Instant now) {
        return f.next() == Outbox.State.RETRYING && (f.nextAttempt() == null || !f.nextAttempt().isAfter(now.plusMillis(COALESCE_MILLIS)));
    }

    /** Actions being sent right now. */
    public int inFlight() {
        return lanes.inFlight();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        wake.release();
        try {
            poller.join(5_000);
            senders.shutdown();
            if (!senders.awaitTermination(10, TimeUnit.SECONDS)) senders.shutdownNow();
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
