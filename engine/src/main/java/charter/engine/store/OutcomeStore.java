package charter.engine.store;

import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the engine made of a tenant's log, durably: the outputs it reported (planned actions,
 * state violations, rule errors), the decisions on intents (the audit log, overrides included),
 * and how far each consumer has processed the log. Every method takes the tenant and every query
 * is scoped to it.
 *
 * <p>Exactly-once processing is built from two parts: {@link #record} writes a batch's outputs and
 * the consumer's new position in one transaction, and every output has an idempotency key
 * ({@link OutputIds}), so a batch processed again after a crash (its outputs not yet recorded, or
 * recorded and then re-derived while state is rebuilt) adds nothing that is already there.
 */
public interface OutcomeStore {

    /**
     * Records outputs (those already stored by their idempotency key are skipped) and moves the
     * consumer's position to {@code processedSeq}, in one transaction. With {@code consumer} null no
     * position moves (outputs of an intent, which is not in the log).
     *
     * @return how many outputs were new
     */
    default int record(String tenant, String consumer, long processedSeq, List<TimelineEntry> outputs) {
        return record(tenant, consumer, processedSeq, outputs, Outbox.Admission.NONE);
    }

    /**
     * As {@link #record(String, String, long, List)}, and every new planned action that {@code admission}
     * places enters the {@link Outbox} in the same transaction (the live server's way to record).
     */
    default int record(String tenant, String consumer, long processedSeq, List<TimelineEntry> outputs, Outbox.Admission admission) {
        return record(tenant, consumer, processedSeq, outputs, admission, Outbox.Intake.NONE);
    }

    /**
     * As {@link #record(String, String, long, List, Outbox.Admission)}, and the dispatcher's
     * {@code intake} takes what it has room for in the same transaction ({@link Outbox.Intake}).
     */
    int record(String tenant, String consumer, long processedSeq, List<TimelineEntry> outputs, Outbox.Admission admission,
               Outbox.Intake intake);

    /** The last event sequence whose outputs {@code consumer} recorded, 0 before the first. */
    long processed(String tenant, String consumer);

    /** Outputs in the order they were recorded; {@code kind} null for every kind. */
    List<StoredOutput> outputs(String tenant, OutputQuery query);

    /** One output by its idempotency key (an action id, for instance). */
    Optional<StoredOutput> output(String tenant, String outputId);

    /** Appends a decision (or, with {@code overrides} > 0, an override of that earlier decision) to the audit log. */
    default StoredDecision recordDecision(String tenant, IntentRequest request, TimelineEntry.Decision decision, long overrides) {
        return recordDecisions(tenant, List.of(new DecisionToRecord(request, decision, overrides))).getFirst();
    }

    /**
     * Appends decisions to the audit log in one transaction, in order, with the actions each
     * allowed one plans (into the outputs, keyed by their action ids).
     */
    default List<StoredDecision> recordDecisions(String tenant, List<DecisionToRecord> decisions) {
        return recordDecisions(tenant, decisions, Outbox.Admission.NONE);
    }

    /** As {@link #recordDecisions(String, List)}, the planned actions {@code admission} places entering the outbox. */
    default List<StoredDecision> recordDecisions(String tenant, List<DecisionToRecord> decisions, Outbox.Admission admission) {
        return recordDecisions(tenant, decisions, admission, Outbox.Intake.NONE);
    }

    /** As {@link #recordDecisions(String, List, Outbox.Admission)}, the dispatcher's {@code intake} taking what it has room for. */
    List<StoredDecision> recordDecisions(String tenant, List<DecisionToRecord> decisions, Outbox.Admission admission,
                                         Outbox.Intake intake);

    /** Decisions in the order they were recorded, after {@code afterSeq}. */
    List<StoredDecision> decisions(String tenant, long afterSeq, int limit);

    /** The latest decision recorded for an intent id (its override, once there is one). */
    Optional<StoredDecision> latestDecision(String tenant, String intentId);

    enum Kind {
        ACTION, VIOLATION, ERROR, SKIPPED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind of(TimelineEntry e) {
            return switch (e) {
                case TimelineEntry.PlannedAction a -> ACTION;
                case TimelineEntry.Violation v -> VIOLATION;
                case TimelineEntry.RuleError r -> ERROR;
                case TimelineEntry.SkippedAction k -> SKIPPED;
                case TimelineEntry.Decision d -> throw new IllegalArgumentException("decisions are recorded with recordDecision");
            };
        }
    }

    /**
     * @param kind     null for every kind
     * @param origin   null, or the rule or invariant id that made the output
     */
    record OutputQuery(Kind kind, String origin, long afterSequence, int limit) {}

    /**
     * @param eventSequence the consumer's position when it was recorded: the last event of the batch that made it
     */
    record StoredOutput(long sequence, String outputId, long eventSequence, TimelineEntry entry) {}

    /** A decision to append; {@code overrides} is the sequence of the decision it overrides, else 0. */
    record DecisionToRecord(IntentRequest request, TimelineEntry.Decision decision, long overrides) {}

    /**
     * @param overrides the sequence of the decision this one overrode, else 0
     */
    record StoredDecision(long sequence, Instant recordedAt, IntentRequest request, TimelineEntry.Decision decision,
                          long overrides) {}
}
