package charter.engine.impact;

import charter.engine.result.TimelineEntry.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the second Program version would have done differently from the first on the
 * same events and intents. Each kind of difference is a {@link Section}: how many, and
 * the first few (in event time) as concrete examples citing the events or intents behind
 * them. Counts per rule and per invariant list only the ids whose numbers differ.
 *
 * @param before           the first version's Program version
 * @param after            the second version's
 * @param examplesPerKind  the most examples a section keeps
 */
public record ImpactReport(String before, String after, int events, int intents, Instant from, Instant until,
                           int examplesPerKind,
                           Section<ActionDelta> actionsAdded, Section<ActionDelta> actionsRemoved,
                           Section<ActionDelta> actionsChanged,
                           Section<DecisionDelta> decisionsFlipped, Section<DecisionDelta> denialsChanged,
                           Section<ViolationDelta> violationsAppeared, Section<ViolationDelta> violationsVanished,
                           Section<ViolationDelta> violationsMoved,
                           Section<ErrorDelta> errorsAppeared, Section<ErrorDelta> errorsVanished,
                           List<RuleCounts> rules, List<InvariantCounts> invariants,
                           Map<String, Integer> flips) {
    public ImpactReport {
        rules = List.copyOf(rules);
        invariants = List.copyOf(invariants);
        flips = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(flips));
    }

    /** Nothing would have happened differently. */
    public boolean isEmpty() {
        return actionsAdded.count() + actionsRemoved.count() + actionsChanged.count() + decisionsFlipped.count()
                + denialsChanged.count() + violationsAppeared.count() + violationsVanished.count() + violationsMoved.count()
                + errorsAppeared.count() + errorsVanished.count() == 0;
    }

    /** A count and its first examples. */
    public record Section<T>(int count, List<T> examples) {
        public Section {
            examples = List.copyOf(examples);
        }
    }

    /** An event cited by an example: its id, type and time. */
    public record Cite(String id, String type, Instant time) {}

    /**
     * An action planned by one version and not the other, or by both with other arguments.
     *
     * @param source     the rule id, or the intent name for an intent's resolve action
     * @param intentId   the intent request behind it, or null
     * @param argsBefore null when added
     * @param argsAfter  null when removed
     * @param error      the rule error on the side that did not plan it (same rule and events), or null
     */
    public record ActionDelta(Instant time, String source, String tool, int actionIndex, List<Cite> events, String intentId,
                              Map<String, Object> argsBefore, Map<String, Object> argsAfter, String error) {
        public ActionDelta {
            events = List.copyOf(events);
        }
    }

    /** An invariant that denied (or warned about) an intent, with its level. */
    public record Denier(String invariant, String level) {}

    /**
     * An intent decided differently: its verdict flipped, or the same verdict for other invariants.
     *
     * @param errors rule errors met while deciding it, prefixed with the side (`before: …`, `after: …`)
     */
    public record DecisionDelta(Instant time, String intentId, String intent, String actor, Map<String, Object> params,
                                Verdict before, Verdict after, List<Denier> deniedBefore, List<Denier> deniedAfter,
                                boolean overridden, List<String> errors) {
        public DecisionDelta {
            deniedBefore = List.copyOf(deniedBefore);
            deniedAfter = List.copyOf(deniedAfter);
            errors = List.copyOf(errors);
        }
    }

    /**
     * A violation of a state invariant present in one version only, or at another time.
     *
     * @param timeBefore null when it appeared
     * @param timeAfter  null when it vanished
     */
    public record ViolationDelta(String invariant, String level, Instant timeBefore, Instant timeAfter, List<Cite> events) {
        public ViolationDelta {
            events = List.copyOf(events);
        }
    }

    /** A rule error on one side only. */
    public record ErrorDelta(Instant time, String source, List<Cite> events, String intentId, String message) {
        public ErrorDelta {
            events = List.copyOf(events);
        }
    }

    /** One rule's (or intent's) planned actions in each version and how they differ. */
    public record RuleCounts(String rule, int before, int after, int added, int removed, int changed, int errorsBefore,
                             int errorsAfter) {}

    /** One invariant's denials and violations in each version, and the decisions it took part in flipping. */
    public record InvariantCounts(String invariant, int denialsBefore, int denialsAfter, int violationsBefore,
                                  int violationsAfter, int flips) {}
}
