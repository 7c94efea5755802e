package charter.engine.reference;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.engine.intent.IntentRequest;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides intents. A deny guard denies when every {@code and}-part of its {@code where} holds
 * and its {@code unless} does not; {@code exists(P)} holds when some fact matches P now,
 * {@code not exists(P)} when none does. Hard beats soft, soft needs an override, advisory only
 * warns; an allowed intent plans its {@code resolve} actions.
 */
final class GuardJudge {
    private final Map<String, Decl.IntentDecl> intents;
    private final List<Decl.InvariantDecl> guards;
    private final Evaluator evaluator;
    private final Patterns patterns;
    private final Planner planner;
    private final String version;

    GuardJudge(Map<String, Decl.IntentDecl> intents, List<Decl.InvariantDecl> invariants, Evaluator evaluator,
               Patterns patterns, Planner planner, String version) {
        this.intents = intents;
        this.guards = invariants.stream().filter(i -> i.body() instanceof InvariantBody.DenyGuard).toList();
        this.evaluator = evaluator;
        this.patterns = patterns;
        this.planner = planner;
        this.version = version;
    }

    void decide(IntentRequest request, long now) {
        Map<String, Fact> env = new LinkedHashMap<>();
        env.put("intent", new Fact.Intent(request));
        List<TimelineEntry.Denial> denials = new ArrayList<>();
        for (Decl.InvariantDecl inv : guards) {
            InvariantBody.DenyGuard deny = (InvariantBody.DenyGuard) inv.body();
            if (!deny.intent().text().equals(request.intent())) continue;
            if (!holds(deny.where(), env, now)) continue;
            if (deny.unless() != null && evaluator.test(deny.unless(), new Evaluator.Scope(env, null, now))) continue;
            Provenance provenance = new Provenance(Provenance.Kind.INVARIANT, inv.name().text(), inv.span(), List.of(),
                    request.id(), version);
            denials.add(new TimelineEntry.Denial(inv.name().text(), inv.level().keyword(), inv.title(), deny.because(), provenance));
        }
        boolean hard = denials.stream().anyMatch(d -> d.level().equals("hard"));
        boolean soft = denials.stream().anyMatch(d -> d.level().equals("soft"));
        TimelineEntry.Verdict verdict = hard ? TimelineEntry.Verdict.DENY
                : soft && request.override() == null ? TimelineEntry.Verdict.NEEDS_OVERRIDE
                : TimelineEntry.Verdict.ALLOW;
        List<TimelineEntry.PlannedAction> actions = List.of();
        Decl.IntentDecl intent = intents.get(request.intent());
        if (verdict == TimelineEntry.Verdict.ALLOW && intent != null) {
            Provenance provenance = new Provenance(Provenance.Kind.INTENT, intent.name().text(), intent.span(), List.of(),
                    request.id(), version);
            actions = planner.plan("intent:" + request.id(), intent.resolve(), env, now, provenance);
        }
        planner.record(new TimelineEntry.Decision(Instant.ofEpochMilli(now), request.id(), request.intent(), request.actor(),
                request.params(), verdict, denials, actions, soft && !hard ? request.override() : null, version));
    }

    /** The guard's `where`: a conjunction whose parts may be `exists(P)` and `not exists(P)`. */
    private boolean holds(Expr where, Map<String, Fact> env, long now) {
        if (where == null) return true;
        if (where instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
            return holds(b.left(), env, now) && holds(b.right(), env, now);
        }
        if (where instanceof Expr.ExistsPattern x) return !patterns.matches(x.pattern(), env, Set.of(), now).isEmpty();
        if (where instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NOT && u.operand() instanceof Expr.ExistsPattern x) {
            return patterns.matches(x.pattern(), env, Set.of(), now).isEmpty();
        }
        return evaluator.test(where, new Evaluator.Scope(env, null, now));
    }
}
