package charter.engine.runtime;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dry run: replays recorded events and intents through a compiled Program on a
 * pseudo clock driven by their timestamps. No side effects; the same inputs give
 * the same result, byte for byte once rendered.
 */
public final class Simulator {

    /** One input in time order; at the same instant, events come before intents, then file order. */
    private record Input(Instant time, int order, CanonicalEvent event, IntentRequest intent) {}

    /**
     * @param until run the clock to this time (reporting deadlines that pass), and ignore
     *              inputs after it; null runs to the last input
     */
    public SimulationResult run(CompiledProgram program, List<CanonicalEvent> events, List<IntentRequest> intents, Instant until) {
        List<Input> inputs = new ArrayList<>(events.size() + intents.size());
        int order = 0;
        for (CanonicalEvent e : events) inputs.add(new Input(e.time(), order++, e, null));
        for (IntentRequest i : intents) inputs.add(new Input(i.time(), order++, null, i));
        inputs.sort(Comparator.comparing(Input::time).thenComparing(in -> in.event() == null).thenComparingInt(Input::order));
        if (until != null) inputs.removeIf(in -> in.time().isAfter(until));

        Instant from = inputs.isEmpty() ? (until != null ? until : Instant.EPOCH.plusMillis(1)) : inputs.getFirst().time();
        Instant end = until != null ? until : inputs.isEmpty() ? from : inputs.getLast().time();
        List<TimelineEntry> timeline = new ArrayList<>();
        int eventCount = 0;
        int intentCount = 0;
        int duplicates;
        try (ProgramSession session = ProgramSession.simulation(program, Math.max(1, from.toEpochMilli()), timeline::add)) {
            for (Input in : inputs) {
                // never back: an input from before the session's start (an event from before 1970 in an
                // old log) is taken at the start, as a late event is taken at the current time
                session.advanceTo(Math.max(session.now(), in.time().toEpochMilli()));
                if (in.event() != null) {
                    session.onEvent(in.event());
                    eventCount++;
                } else {
                    session.decide(in.intent());
                    intentCount++;
                }
            }
            // One past the end, so a deadline falling exactly at `end` is reported.
            session.advanceTo(Math.max(session.now(), end.toEpochMilli() + 1));
            duplicates = session.duplicateActionsSkipped();
        }
        return new SimulationResult(program.name(), program.version(), from, end, eventCount, intentCount, timeline,
                counts(timeline), duplicates);
    }

    private static Map<String, Integer> counts(List<TimelineEntry> timeline) {
        Map<String, Integer> counts = new TreeMap<>();
        for (TimelineEntry e : timeline) {
            switch (e) {
                case TimelineEntry.PlannedAction a -> counts.merge(a.provenance().id(), 1, Integer::sum);
                case TimelineEntry.Violation v -> counts.merge(v.invariant(), 1, Integer::sum);
                case TimelineEntry.Decision d -> {
                    for (var denial : d.denials()) counts.merge(denial.invariant(), 1, Integer::sum);
                    for (var a : d.actions()) counts.merge(a.provenance().id(), 1, Integer::sum);
                }
                case TimelineEntry.RuleError r -> counts.merge(r.provenance().id() + " (errors)", 1, Integer::sum);
                case TimelineEntry.SkippedAction k -> counts.merge(k.provenance().id() + " (skipped)", 1, Integer::sum);
            }
        }
        return counts;
    }
}
