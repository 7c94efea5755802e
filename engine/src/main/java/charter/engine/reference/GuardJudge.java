package charter.engine.reference;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.OverrideRule;
import charter.compiler.builtins.TeamValue;
import charter.engine.intent.IntentRequest;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final Builtins builtins;
    private final String version;

    GuardJudge(Map<String, Decl.IntentDecl> intents, List<Decl.InvariantDecl> invariants, Evaluator evaluator,
               Builtins builtins, Patterns patterns, Planner planner, String version) {
        this.intents = intents;
        this.guards = invariants.stream().filter(i -> i.body() instanceof InvariantBody.DenyGuard).toList();
        this.evaluator = evaluator;
        this.patterns = patterns;
        this.planner = planner;
        this.builtins = builtins;
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
        List<String> refusals = new ArrayList<>();
        if (soft && !hard && request.override() != null) {
            for (Decl.InvariantDecl inv : guards) {
                if (inv.level() != Decl.Level.SOFT || denials.stream().noneMatch(d -> d.invariant().equals(inv.name().text()))) continue;
                String refusal = refusal(inv, request, env, now);
                if (refusal != null) refusals.add(refusal);
            }
        }
        String refused = refusals.isEmpty() ? null : String.join("; ", refusals);
        TimelineEntry.Verdict verdict = hard ? TimelineEntry.Verdict.DENY
                : soft && (request.override() == null || refused != null) ? TimelineEntry.Verdict.NEEDS_OVERRIDE
                : TimelineEntry.Verdict.ALLOW;
        List<TimelineEntry.PlannedAction> actions = List.of();
        Decl.IntentDecl intent = intents.get(request.intent());
        if (verdict == TimelineEntry.Verdict.ALLOW && intent != null) {
            Provenance provenance = new Provenance(Provenance.Kind.INTENT, intent.name().text(), intent.span(), List.of(),
                    request.id(), version);
            List<TimelineEntry> planned = planner.plan("intent:" + request.id(), intent.resolve(), intent.approval(), env, now, provenance);
            // Skipped resolve actions are outputs of their own, before the decision that lists the planned ones.
            planned.stream().filter(e -> e instanceof TimelineEntry.SkippedAction).forEach(planner::record);
            actions = planned.stream().filter(e -> e instanceof TimelineEntry.PlannedAction).map(e -> (TimelineEntry.PlannedAction) e).toList();
        }
        planner.record(new TimelineEntry.Decision(Instant.ofEpochMilli(now), request.id(), request.intent(), request.actor(),
                request.reason(), request.params(), verdict, denials, actions, soft && !hard && refused == null ? request.override() : null,
                refused, version));
    }

    /**
     * Null when the override's actor may lift this invariant's denial: someone its `override by` names
     * (anyone, when it has none), and not the sender unless `including self`. Else why not.
     */
    private String refusal(Decl.InvariantDecl inv, IntentRequest request, Map<String, Fact> env, long now) {
        OverrideRule rule = ((InvariantBody.DenyGuard) inv.body()).override();
        String overrider = request.override().actor();
        boolean self = rule != null && rule.includingSelf();
        String sender = builtins.person(request.actor());
        String by = builtins.person(overrider);
        boolean same = sender != null || by != null ? sender != null && sender.equals(by) : request.actor().equalsIgnoreCase(overrider);
        if (same && !self) return overrider + " sent this intent and may not override its own denial by `" + inv.name().text() + "`";
        if (rule == null) return null;
        for (OverrideRule.Overrider who : rule.by()) {
            boolean named = switch (who) {
                case OverrideRule.Overrider.Anyone a -> true;
                case OverrideRule.Overrider.Person p -> p.person().text().equals(by);
                case OverrideRule.Overrider.Team t -> builtins.inTeam(overrider, t.team().text());
                case OverrideRule.Overrider.TeamOf f -> evaluator.eval(f.team(), new Evaluator.Scope(env, null, now)) instanceof TeamValue team
                        && !team.isNobody() && builtins.inTeam(overrider, team.id());
            };
            if (named) return null;
        }
        return overrider + " may not override `" + inv.name().text() + "`";
    }

    /** The guard's `where`: a conjunction whose parts may be `exists(P)` and `not exists(P)`. */
    private boolean holds(Expr where, Map<String, Fact> env, long now) {
        return where == null || all(Patterns.conjuncts(where), env, now);
    }

    /**
     * Every part holds. The binding of an `exists(P p)` is seen by the `exists`/`not exists` after
     * it: if one of them names p, the parts hold for some p matching P (the others are indifferent to p).
     */
    private boolean all(List<Expr> parts, Map<String, Fact> env, long now) {
        for (int i = 0; i < parts.size(); i++) {
            if (!(parts.get(i) instanceof Expr.ExistsPattern x)) continue;
            String p = x.pattern().binding().text();
            boolean named = parts.subList(i + 1, parts.size()).stream()
                    .anyMatch(later -> Patterns.existsPattern(later) != null && Patterns.names(Patterns.existsPattern(later)).contains(p));
            if (!named) continue;
            List<Expr> rest = new ArrayList<>(parts);
            rest.remove(i);
            for (Fact f : patterns.matches(x.pattern(), env, Patterns.tiedTo(x.pattern(), env), now)) {
                Map<String, Fact> with = new LinkedHashMap<>(env);
                with.put(p, f);
                if (all(rest, with, now)) return true;
            }
            return false;
        }
        for (Expr part : parts) if (!patterns.holdsPart(part, env, now)) return false;
        return true;
    }
}
