package charter.engine.result;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one dry run produced, in time order. The text and JSON outputs of
 * `charter simulate` and `charter demo` are two renderings of this one object.
 *
 * @param until the time the simulation ran to (the last input, or `--at`)
 * @param countsByRule planned actions per rule id, and violations and denials per invariant id
 */
public record SimulationResult(String program, String version, Instant from, Instant until, int events, int intents,
                               List<TimelineEntry> timeline, Map<String, Integer> countsByRule,
                               int duplicateActionsSkipped) {
    public SimulationResult {
        timeline = List.copyOf(timeline);
        countsByRule = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(countsByRule));
    }

    public List<TimelineEntry.PlannedAction> actions() {
        return timeline.stream().flatMap(e -> switch (e) {
            case TimelineEntry.PlannedAction a -> java.util.stream.Stream.of(a);
            case TimelineEntry.Decision d -> d.actions().stream();
            default -> java.util.stream.Stream.empty();
        }).toList();
    }

    public List<TimelineEntry.Decision> decisions() {
        return timeline.stream().filter(TimelineEntry.Decision.class::isInstance).map(TimelineEntry.Decision.class::cast).toList();
    }

    public List<TimelineEntry.Violation> violations() {
        return timeline.stream().filter(TimelineEntry.Violation.class::isInstance).map(TimelineEntry.Violation.class::cast).toList();
    }

    public List<TimelineEntry.SkippedAction> skipped() {
        return timeline.stream().filter(TimelineEntry.SkippedAction.class::isInstance).map(TimelineEntry.SkippedAction.class::cast).toList();
    }

    public List<TimelineEntry.RuleError> errors() {
        return timeline.stream().filter(TimelineEntry.RuleError.class::isInstance).map(TimelineEntry.RuleError.class::cast).toList();
    }
}
