package charter.engine.reference;

import charter.compiler.ast.Decl;
import charter.compiler.ast.InvariantBody;
import charter.compiler.fmt.Canonical;
import charter.engine.event.CanonicalEvent;
import charter.engine.explain.Explanation;
import charter.engine.explain.Explanation.Candidate;
import charter.engine.explain.Explanation.Occurrence;
import charter.engine.explain.Explanation.Step;
import charter.engine.explain.Explanation.Verdict;
import charter.engine.explain.Explanation.Window;
import charter.engine.result.TimelineEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Explains a state invariant {@code every P p has Q within D after p} for one event p. */
final class StateExplanations {
    private final Scene scene;
    private final Decl.InvariantDecl invariant;
    private final InvariantBody.StateGuard body;
    private final CanonicalEvent subject;

    StateExplanations(Scene scene, Decl.InvariantDecl invariant, CanonicalEvent subject) {
        this.scene = scene;
        this.invariant = invariant;
        this.body = (InvariantBody.StateGuard) invariant.body();
        this.subject = subject;
    }

    Explanation explain() {
        Explanation.Target target = new Explanation.Target("invariant", invariant.name().text(), invariant.title(),
                invariant.level().keyword(), RuleExplanations.location(invariant.span()));
        Explanation.Subject about = new Explanation.Subject(Explanation.SubjectKind.EVENT, subject.id(), subject.type(), subject.time());
        List<Occurrence> occurrences = new ArrayList<>();
        for (TimelineEntry e : scene.timeline()) {
            if (e instanceof TimelineEntry.Violation v && v.invariant().equals(invariant.name().text())
                    && v.provenance().eventIds().contains(subject.id())) occurrences.add(new Occurrence(v.time(), v.provenance().eventIds()));
        }
        Verdict verdict = occurrences.isEmpty() ? Verdict.NOT_VIOLATED : Verdict.VIOLATED;
        String everyText = "every " + Canonical.pattern(body.every());
        if (!body.every().type().name().equals(subject.type())) {
            return new Explanation(target, about, verdict, "its `every` is over " + body.every().type().name() + ", not " + subject.type(),
                    occurrences, List.of(), List.of());
        }
        Fact.Event p = scene.event(subject.id());
        long now = scene.end().toEpochMilli();
        Candidate own = scene.probe().candidate(body.every(), Map.of(), p, now, true);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("every", everyText, null, own.matches(), own.matches() ? "the event is one the invariant watches" : "the event is not watched",
                List.of(), List.of(own)));
        String hasText = "has " + Canonical.pattern(body.has());
        if (!own.matches()) {
            steps.add(new Step("has", hasText, null, null, "not checked", List.of(), List.of()));
            return new Explanation(target, about, verdict, "not watched: " + RuleExplanations.why(own, null), occurrences, steps, List.of());
        }
        Map<String, Fact> env = new LinkedHashMap<>();
        env.put(body.every().binding().text(), p);
        Window window = Probe.window(body.has(), env);
        List<Candidate> candidates = new ArrayList<>();
        for (Fact.Event q : scene.history().events(body.has().type().name())) {
            if (q.seq() == p.seq()) continue;
            candidates.add(scene.probe().candidate(body.has(), env, q, now, false));
        }
        candidates.sort(Probe.nearest(subject.time()));
        List<Candidate> shown = candidates.stream().limit(RuleExplanations.SHOWN).toList();
        boolean met = !shown.isEmpty() && shown.getFirst().matches();
        String reason;
        String note;
        if (met) {
            note = "met by " + shown.getFirst().eventId() + " at " + shown.getFirst().time();
            reason = note;
        } else if (window.to().isAfter(scene.end())) {
            note = "nothing so far; the window closes at " + window.to() + ", after the end of the inputs (" + scene.end() + ")";
            reason = "not decided yet: " + note;
        } else {
            note = shown.isEmpty() ? "no " + body.has().type().name() + " in the window" : "nearest: " + RuleExplanations.why(shown.getFirst(), window);
            reason = "nothing met it " + window.text() + " (" + window.from() + " .. " + window.to() + "); " + note;
        }
        steps.add(new Step("has", hasText, window, met, note, List.of(), shown));
        return new Explanation(target, about, verdict, reason, occurrences, steps, List.of());
    }
}
