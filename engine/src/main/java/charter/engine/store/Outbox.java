package charter.engine.store;

import charter.engine.result.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The durable outbox: one row per planned action the live server recorded (written with the output
 * that planned it, see {@link OutcomeStore#record(String, String, long, List, Admission)}), taken
 * by the dispatcher under a lease while it sends, with every attempt kept. Reads and commands are
 * scoped to a tenant; {@link #claim} and {@link #finish} serve every tenant, for the one dispatcher.
 */
public interface Outbox {

    /** Where an action stands. */
    enum State {
        PLANNED, AWAITING_APPROVAL, SENDING, DONE, RETRYING, FAILED, CANCELLED, RECORDED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state of a label ({@code awaiting_approval}), or empty. */
        public static Optional<State> parse(String label) {
            for (State s : values()) if (s.label().equals(label)) return Optional.of(s);
            return Optional.empty();
        }

        /** No attempt will ever be made again unless someone retries it. */
        public boolean settled() {
            return this == DONE || this == FAILED || this == CANCELLED || this == RECORDED;
        }
    }

    /** How a newly planned action enters the outbox: its first state and who may approve it. */
    record Placement(State state, List<String> approvers) {
        public Placement {
            approvers = List.copyOf(approvers);
            if (state != State.PLANNED && state != State.AWAITING_APPROVAL && state != State.RECORDED) {
                throw new IllegalArgumentException("an action enters the outbox planned, awaiting approval or recorded, not " + state);
            }
        }
    }

    /** Decides each planned action's {@link Placement}; null keeps it out of the outbox. */
    @FunctionalInterface
    interface Admission {
        Placement place(TimelineEntry.PlannedAction action);

        /** Nothing enters the outbox (what every writer but the live server uses). */
        Admission NONE = a -> null;
    }

    /**
     * One action, as the outbox has it, with the planned action itself and the log position it was
     * recorded at. An action recorded before the outbox existed reads as {@code recorded}, never attempted.
     */
    record Row(String tenant, String actionId, long sequence, String tool, String rule, State state, int attempts,
               int retryBase, boolean unknown, Instant nextAttempt, Instant leaseUntil, String lastError,
               String externalId, String url, List<String> approvers, String decidedBy, String decisionReason,
               Instant decidedAt, Instant created, Instant updated, TimelineEntry.PlannedAction action, long eventSequence) {
        public Row {
            approvers = List.copyOf(approvers);
        }

        /** The arguments the Program planned. */
        public Map<String, Object> args() {
            return action.args();
        }

        /** Attempts since the last retry by hand. */
        public int attemptsInBudget() {
            return attempts - retryBase;
        }
    }

    /**
     * An action the dispatcher took: {@code row} is as it is now (state {@code sending}, attempts
     * counted), {@code takenOver} when its lease had run out in {@code sending} (a crash or a hang:
     * the earlier attempt's outcome is unknown).
     */
    record Claimed(Row row, boolean takenOver) {}

    /** A (tenant, tool) pair: the unit of concurrency, rate and the kill switch. */
    record Lane(String tenant, String tool) {}

    /**
     * The dispatcher's offer to take a newly planned action in the transaction that records it,
     * rather than in a {@link #claim} of its own afterwards: an action placed {@code planned} whose
     * lane has room and is not paused enters the outbox already {@code sending}, leased and its first
     * attempt counted, exactly as a claim would leave it. It saves a write transaction and a wake per
     * record, on a store whose one writer the webhooks share (SQLite).
     */
    interface Intake {
        /** How long a taken action is leased. */
        Duration lease();

        /** Reserves room in the lane for one action now; false when it has none (the action stays planned). */
        boolean reserve(Lane lane);

        /**
         * After the transaction. {@code taken}: committed in {@code sending}, to be sent now;
         * {@code unused}: reservations to give back (the row existed already, or the transaction
         * rolled back); {@code waiting}: some action entered {@code planned} without being taken.
         */
        void settle(List<Claimed> taken, List<Lane> unused, boolean waiting);

        /** Takes nothing: every planned action waits for a claim (what every writer but the live server uses). */
        Intake NONE = new Intake() {
            @Override
            public Duration lease() {
                return Duration.ZERO;
            }

            @Override
            public boolean reserve(Lane lane) {
                return false;
            }

            @Override
            public void settle(List<Claimed> taken, List<Lane> unused, boolean waiting) {}
        };
    }

    /** How many of a lane's {@code due} actions can be taken now; 0 skips the lane. */
    @FunctionalInterface
    interface Room {
        int of(Lane lane, int due);
    }

    /**
     * Takes due actions (planned or retrying and due, or sending with an expired lease), at most
     * {@code room} per lane and {@code limit} in all, oldest due first, skipping paused tenants and
     * tools; each is moved to {@code sending} with a lease until {@code now + lease} and its
     * attempt counted.
     */
    List<Claimed> claim(Instant now, Duration lease, int limit, Room room);

    /** What an attempt came to, and where it leaves the action. */
    record Attempt(String tenant, String actionId, int attempt, Instant started, Duration duration, String outcome,
                   int status, String detail, String externalId, String url, String request) {}

    /**
     * @param next the action's new state (done, retrying, failed)
     * @param nextAttempt when retrying, when
     * @param unknown whether the attempt's outcome is unknown (the next one looks for its result first)
     */
    record Finish(Attempt attempt, State next, Instant nextAttempt, boolean unknown, String error) {}

    /**
     * Records attempts and moves their actions on, in one transaction. An action no longer in
     * {@code sending} at that attempt (cancelled meanwhile, or taken over after its lease ran out)
     * keeps its state; the attempt is recorded all the same.
     */
    void finish(List<Finish> finished);

    /** Actions of a tenant in the order they were planned, after {@code afterSequence}. */
    List<Row> list(String tenant, Query query);

    /** @param state, tool, rule null for any */
    record Query(State state, String tool, String rule, long afterSequence, int limit) {}

    Optional<Row> get(String tenant, String actionId);

    List<Attempt> attempts(String tenant, String actionId);

    /** A command on one action, by a named actor. */
    enum Command { RETRY, CANCEL, APPROVE, REJECT }

    /** What a command came to: the row after it, or why it was refused (not found, or not in a state it applies to). */
    sealed interface CommandResult {
        record Applied(Row row) implements CommandResult {}
        record NotFound() implements CommandResult {}
        record Conflict(Row row, String message) implements CommandResult {}
    }

    /**
     * Applies a command: retry (failed or cancelled → planned, with a fresh attempt budget), cancel
     * (anything not yet sent or settled → cancelled), approve (awaiting approval → planned), reject
     * (awaiting approval → cancelled). Approve and reject record actor, reason and time; who may
     * approve is checked by the caller.
     */
    CommandResult command(String tenant, String actionId, Command command, String actor, String reason, Instant now);

    /** A pause of a tenant's actions: {@code tool} is {@value #ALL_TOOLS} for all of them. */
    record Pause(String tenant, String tool, String actor, String reason, Instant since) {}

    String ALL_TOOLS = "*";

    void pause(Pause pause);

    /** @return whether a pause was lifted */
    boolean resume(String tenant, String tool);

    List<Pause> pauses(String tenant);

    /** How many actions of a tenant are in each state. */
    Map<State, Long> counts(String tenant);
}
