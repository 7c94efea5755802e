package charter.engine.reference;

import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.fmt.Canonical;
import charter.engine.explain.Explanation;
import charter.engine.explain.Explanation.Candidate;
import charter.engine.explain.Explanation.Occurrence;
import charter.engine.explain.Explanation.Step;
import charter.engine.explain.Explanation.Verdict;
import charter.engine.explain.Explanation.Window;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Explains a counting rule for one event: does the event match the counted pattern, and how
 * many events of its group the window held at its fullest while the event was in it.
 */
final class CountExplanation {
    private final Scene scene;
    private final Decl.RuleDecl rule;
    private final Condition.Count count;
    private final Fact.Event event;

    CountExplanation(Scene scene, Decl.RuleDecl rule, Condition.Count count, Fact.Event event) {
        this.scene = scene;
        this.rule = rule;
        this.count = count;
        this.event = event;
    }

    Explanation explain(Explanation.Target target, Explanation.Subject about, List<Occurrence> occurrences) {
        long now = scene.end().toEpochMilli();
        Candidate own = scene.probe().candidate(count.pattern(), Map.of(), event, now, true);
        String text = Canonical.condition(count);
        Verdict verdict = occurrences.isEmpty() ? Verdict.DID_NOT_FIRE : Verdict.FIRED;
        if (!own.matches()) {
            Step step = new Step("count", text, null, false, "the event is not counted", List.of(), List.of(own));
            return new Explanation(target, about, verdict, "not counted: " + RuleExplanations.why(own, null), occurrences, List.of(step), List.of());
        }
        // The group's matching events, and the fullest window [t - W, t] that still holds the event.
        List<Object> group = CountRunner.key(count, event);
        List<Fact.Event> members = new ArrayList<>();
        for (Fact f : scene.patterns().matches(count.pattern(), Map.of(), Set.of(), now)) {
            Fact.Event e = (Fact.Event) f;
            if (group == null || group.equals(CountRunner.key(count, e))) members.add(e);
        }
        long w = count.window().millis();
        long bestAt = event.millis();
        List<Fact.Event> best = List.of();
        for (Fact.Event end : members) {
            long t = end.millis();
            if (t < event.millis() || t > event.millis() + w) continue;
            List<Fact.Event> in = members.stream().filter(e -> e.millis() <= t && e.millis() >= t - w).toList();
            if (in.size() > best.size()) {
                best = in;
                bestAt = t;
            }
        }
        int n = best.size();
        boolean holds = switch (count.op()) {
            case AT_LEAST -> n >= count.threshold();
            case MORE_THAN -> n > count.threshold();
            case EXACTLY -> n == count.threshold();
        };
        Window window = new Window("within " + count.window().text(), Instant.ofEpochMilli(bestAt - w), Instant.ofEpochMilli(bestAt));
        String of = group == null || group.isEmpty() ? "" : " of its group (" + String.join(", ",
                count.groupBy().stream().map(p -> p.dotted() + " = " + Probe.display(Fact.field(event, p.segments().getLast().text()))).toList()) + ")";
        String note = n + " matching event" + (n == 1 ? "" : "s") + of + " in the window at its fullest, needs "
                + count.op().symbol() + " " + count.threshold();
        List<Candidate> shown = new ArrayList<>();
        shown.add(own);
        for (Fact.Event e : best) {
            if (e != event && shown.size() < 1 + RuleExplanations.SHOWN * 2) shown.add(scene.probe().candidate(count.pattern(), Map.of(), e, now, false));
        }
        Step step = new Step("count", text, window, holds, note, List.of(), shown);
        String reason;
        if (!occurrences.isEmpty()) {
            reason = "fired at " + occurrences.getFirst().time() + " counting " + String.join(", ", occurrences.getFirst().eventIds());
        } else if (!holds) {
            reason = "the count " + n + " is not " + count.op().symbol() + " " + count.threshold();
        } else {
            Instant last = lastFiring();
            reason = "the count already held before this event arrived: the rule fires once each time it becomes true"
                    + (last == null ? "" : " (last at " + last + ")");
        }
        return new Explanation(target, about, verdict, reason, occurrences, List.of(step), List.of());
    }

    /** The last firing of the rule at or before the event, if any: the crossing this event came after. */
    private Instant lastFiring() {
        Instant last = null;
        for (TimelineEntry e : scene.timeline()) {
            if (e instanceof TimelineEntry.PlannedAction a && a.provenance().kind() == Provenance.Kind.RULE
                    && a.provenance().id().equals(rule.name().text()) && !a.time().isAfter(event.event().time())) last = a.time();
        }
        return last;
    }
}
