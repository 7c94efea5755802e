package charter.engine.reference;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.ApprovalRule;
import charter.compiler.ast.OverrideRule;
import charter.compiler.builtins.TeamValue;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans actions and records every output. An action's identity is who planned it (the rule,
 * or the intent by id), the ids of the events bound to its patterns, in order (a count's in time
 * order, then id), and its place in
 * the list of actions: the same identity is planned once, later ones are counted and skipped.
 * An action with an argument that has no value (a missing field) is not planned: a rule
 * error is recorded in its place.
 */
final class Planner {
    private final Evaluator evaluator;
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final Set<String> planned = new HashSet<>();
    private int duplicates;
    private final Map<String, Map<String, Object>> argsById = new java.util.HashMap<>();
    private final Set<String> ambiguous = new java.util.TreeSet<>();

    Planner(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    void record(TimelineEntry entry) {
        timeline.add(entry);
    }

    List<TimelineEntry> timeline() {
        return timeline;
    }

    int duplicates() {
        return duplicates;
    }

    /**
     * The actions planned, in order, with a {@link TimelineEntry.SkippedAction} in the place of one
     * whose argument `x ?? skip` found x missing.
     *
     * @param who       "rule:ID" or "intent:ID"
     * @param enclosing the rule's or intent's `approval by`, or null
     */
    List<TimelineEntry> plan(String who, List<ActionCall> actions, ApprovalRule enclosing, Map<String, Fact> env, long now,
                             Provenance provenance) {
        List<String> triggers = provenance.eventIds();   // in binding order; a count's in time order, then id
        List<TimelineEntry> out = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            String id = actionId(who + "|" + String.join(",", triggers) + "|" + i);
            ActionCall call = actions.get(i);
            if (!planned.add(id)) {
                duplicates++;
                if (!java.util.Objects.equals(arguments(call, env, now), argsById.get(id))) ambiguous.add(id);
                continue;
            }
            Map<String, Object> args = new LinkedHashMap<>();
            String skipped = null;
            String missing = null;
            for (ActionCall.Argument a : call.args()) {
                Object v;
                try {
                    v = evaluator.eval(a.value(), new Evaluator.Scope(env, null, now));
                } catch (Evaluator.Skipped s) {
                    skipped = s.reason + " (argument `" + a.name().text() + "`)";
                    break;
                }
                // Arguments are evaluated in order: the first with no value, or the first skip, decides.
                if (v == null || v instanceof List<?> list && list.contains(null)) {
                    missing = a.name().text();
                    break;
                }
                args.put(a.name().text(), Rendering.argument(v));
            }
            if (skipped != null) {
                // `x ?? skip` found x missing: not planned, recorded as skipped (and the identity stays taken).
                out.add(new TimelineEntry.SkippedAction(Instant.ofEpochMilli(now), id, call.qualifiedName(), i, skipped, provenance));
                continue;
            }
            if (missing != null) {
                // Never planned with a hole in it: a rule error instead, and the identity stays taken.
                record(new TimelineEntry.RuleError(Instant.ofEpochMilli(now),
                        "action " + call.qualifiedName() + " not planned: argument `" + missing + "` has no value", provenance));
                continue;
            }
            argsById.put(id, args);
            out.add(new TimelineEntry.PlannedAction(Instant.ofEpochMilli(now), id, call.qualifiedName(), args, i, provenance,
                    approvers(enclosing, call.approval(), env, now)));
        }
        return out;
    }

    /**
     * Who must approve: the people and teams of both clauses written out, each `owner(...)` as the team it
     * gives here (none when it gives nobody or fails), each once; `nobody` when every entry gave none.
     */
    private List<String> approvers(ApprovalRule enclosing, ApprovalRule own, Map<String, Fact> env, long now) {
        List<OverrideRule.Overrider> all = new ArrayList<>();
        if (enclosing != null) all.addAll(enclosing.by());
        if (own != null) all.addAll(own.by());
        if (all.isEmpty()) return List.of();
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (OverrideRule.Overrider who : all) {
            switch (who) {
                case OverrideRule.Overrider.Person p -> out.add(p.person().text());
                case OverrideRule.Overrider.Team t -> out.add("team:" + t.team().text());
                case OverrideRule.Overrider.TeamOf f -> {
                    Object team;
                    try {
                        team = evaluator.eval(f.team(), new Evaluator.Scope(env, null, now));
                    } catch (RuntimeException e) {
                        team = null;
                    }
                    if (team instanceof TeamValue v && !v.isNobody()) out.add("team:" + v.id());
                }
                case OverrideRule.Overrider.Anyone a -> throw new IllegalStateException("`approval by` has no `anyone`");
            }
        }
        return out.isEmpty() ? List.of("nobody") : List.copyOf(out);
    }

    /** The arguments as planned, or null when `x ?? skip` skips the action. */
    private Map<String, Object> arguments(ActionCall call, Map<String, Fact> env, long now) {
        Map<String, Object> args = new LinkedHashMap<>();
        try {
            for (ActionCall.Argument a : call.args()) {
                args.put(a.name().text(), Rendering.argument(evaluator.eval(a.value(), new Evaluator.Scope(env, null, now))));
            }
        } catch (Evaluator.Skipped s) {
            return null;
        }
        return args;
    }

    /**
     * The identities that more than one combination of the same events reached with different
     * arguments (two patterns of one type swapping their events): which one is planned is not
     * defined by the language yet, so a comparison must not hold it against either side.
     */
    Set<String> ambiguous() {
        return ambiguous;
    }

    private static String actionId(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "act_" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
