package charter.engine.reference;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Pattern;
import charter.compiler.fmt.Canonical;
import charter.engine.explain.Explanation;
import charter.engine.explain.Explanation.Candidate;
import charter.engine.explain.Explanation.Check;
import charter.engine.explain.Explanation.Occurrence;
import charter.engine.explain.Explanation.Outcome;
import charter.engine.explain.Explanation.Step;
import charter.engine.explain.Explanation.Verdict;
import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains a deny guard for one intent: each part of its {@code where} (an {@code exists} with the
 * events it found or came nearest), its {@code unless}, and every other guard of the intent's type
 * with whether it denied.
 */
final class GuardExplanations {
    private final Scene scene;
    private final Decl.InvariantDecl invariant;
    private final InvariantBody.DenyGuard deny;
    private final List<Decl.InvariantDecl> guards;
    private final IntentRequest subject;

    GuardExplanations(Scene scene, Decl.InvariantDecl invariant, InvariantBody.DenyGuard deny, List<Decl.InvariantDecl> guards,
                      IntentRequest subject) {
        this.scene = scene;
        this.invariant = invariant;
        this.deny = deny;
        this.guards = guards;
        this.subject = subject;
    }

    Explanation explain() {
        Explanation.Target target = new Explanation.Target("invariant", invariant.name().text(), invariant.title(),
                invariant.level().keyword(), RuleExplanations.location(invariant.span()));
        Explanation.Subject about = new Explanation.Subject(Explanation.SubjectKind.INTENT, subject.id(), subject.intent(), subject.time());
        TimelineEntry.Decision decision = scene.timeline().stream()
                .filter(e -> e instanceof TimelineEntry.Decision d && d.intentId().equals(subject.id()))
                .map(e -> (TimelineEntry.Decision) e).findFirst().orElseThrow();
        List<Explanation.Guard> all = new ArrayList<>();
        for (Decl.InvariantDecl g : guards) {
            boolean denies = denies(decision, g);
            Walk w = walk((InvariantBody.DenyGuard) g.body());
            all.add(new Explanation.Guard(g.name().text(), g.level().keyword(), denies, denies ? "denies: " + ((InvariantBody.DenyGuard) g.body()).because() : w.failure()));
        }
        String decided = "decision " + decision.verdict().name().toLowerCase().replace('_', '-');
        if (!deny.intent().text().equals(subject.intent())) {
            return new Explanation(target, about, Verdict.DID_NOT_DENY, "it guards the `" + deny.intent().text() + "` intent, not `"
                    + subject.intent() + "` (" + decided + ")", List.of(), List.of(), all);
        }
        boolean denied = denies(decision, invariant);
        Walk walk = walk(deny);
        List<Occurrence> occurrences = denied ? List.of(new Occurrence(decision.time(), List.of())) : List.of();
        String reason = (denied ? "denies: " + deny.because() : walk.failure()) + " (" + decided + ")";
        return new Explanation(target, about, denied ? Verdict.DENIED : Verdict.DID_NOT_DENY, reason, occurrences, walk.steps(), all);
    }

    private static boolean denies(TimelineEntry.Decision decision, Decl.InvariantDecl g) {
        return decision.denials().stream().anyMatch(d -> d.invariant().equals(g.name().text()));
    }

    private record Walk(List<Step> steps, String failure) {}

    /** Each part of the guard in order; an `exists` that matched binds its event for the parts after it. */
    private Walk walk(InvariantBody.DenyGuard guard) {
        Map<String, Fact> env = new LinkedHashMap<>();
        env.put("intent", new Fact.Intent(subject));
        long now = subject.time().toEpochMilli();
        List<Step> steps = new ArrayList<>();
        String failure = null;
        List<Expr> parts = guard.where() == null ? List.of() : Patterns.conjuncts(guard.where());
        for (Expr part : parts) {
            Pattern q = Patterns.existsPattern(part);
            if (q == null) {
                Check check = scene.probe().check(part, env, now);
                boolean holds = check.outcome() == Outcome.TRUE;
                if (!holds && failure == null) failure = "`" + check.text() + "` is " + (check.outcome() == Outcome.MISSING ? "false, a field is missing" : "false") + values(check);
                steps.add(new Step("condition", check.text(), null, holds, "", List.of(check), List.of()));
                continue;
            }
            boolean positive = part instanceof Expr.ExistsPattern;
            List<Candidate> candidates = new ArrayList<>();
            Fact first = null;
            for (Fact f : scene.facts(q.type().name())) {
                Candidate c = scene.probe().candidate(q, env, f, now, false);
                if (c.matches() && first == null) first = f;
                candidates.add(c);
            }
            candidates.sort(Probe.nearest(subject.time()));
            List<Candidate> shown = candidates.stream().limit(RuleExplanations.SHOWN).toList();
            boolean some = first != null;
            boolean holds = positive == some;
            String note = some ? "matched by " + shown.getFirst().eventId() : shown.isEmpty() ? "no " + q.type().name() + " event before the intent"
                    : "no event matches; nearest: " + RuleExplanations.why(shown.getFirst(), Probe.window(q, env));
            if (!holds && failure == null) failure = "`" + (positive ? "" : "not ") + "exists(" + Canonical.pattern(q) + ")` is false: " + note;
            if (positive && some) env.put(q.binding().text(), first);
            steps.add(new Step(positive ? "exists" : "not exists", Canonical.expr(part), Probe.window(q, env), holds, note, List.of(), shown));
        }
        if (guard.unless() != null) {
            Check check = scene.probe().check(guard.unless(), env, now);
            boolean holds = check.outcome() == Outcome.TRUE;
            if (holds && failure == null) failure = "its `unless " + check.text() + "` holds" + values(check);
            steps.add(new Step("unless", "unless " + check.text(), null, holds, holds ? "holds: no denial" : "does not hold", List.of(check), List.of()));
        }
        if (failure == null) failure = "every condition holds, yet it did not deny";
        return new Walk(steps, failure);
    }

    private static String values(Check check) {
        return check.values().isEmpty() ? "" : " (" + String.join(", ", check.values().stream().map(v -> v.path() + " = " + v.value()).toList()) + ")";
    }
}
