package charter.engine.reference;

import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Pattern;
import charter.engine.result.Provenance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules made of patterns and absences. A rule fires once for each combination of facts its
 * patterns bind, at the first moment the combination is there and every absence of it has
 * been decided: an absence {@code not P within D after a} is decided when its window has
 * closed (at {@code a + D}, after every event stamped that instant); {@code before a} and an
 * absence with no window as soon as the rest is there, on the events received so far (an event
 * stamped the same instant that arrives later is not seen). It fires only if no event
 * fills any absence.
 */
final class RuleRunner {
    private final List<Decl.RuleDecl> rules;
    private final Patterns patterns;
    private final Planner planner;
    private final String version;
    private final Set<String> fired = new HashSet<>();

    RuleRunner(List<Decl.RuleDecl> rules, Patterns patterns, Planner planner, String version) {
        this.rules = rules.stream().filter(r -> r.when().stream().noneMatch(c -> c instanceof Condition.Count)).toList();
        this.patterns = patterns;
        this.planner = planner;
        this.version = version;
    }

    /**
     * @param settled whether every event stamped {@code now} has arrived (the end of the instant),
     *                so windows closing at {@code now} can be decided
     */
    void run(long now, boolean settled) {
        for (Decl.RuleDecl rule : rules) bind(rule, 0, new LinkedHashMap<>(), new LinkedHashSet<>(), now, settled);
    }

    private void bind(Decl.RuleDecl rule, int i, Map<String, Fact> env, Set<Integer> taken, long now, boolean settled) {
        if (i == rule.when().size()) {
            fireIfDue(rule, env, taken, now, settled);
            return;
        }
        if (!(rule.when().get(i) instanceof Condition.Match m)) {
            bind(rule, i + 1, env, taken, now, settled);
            return;
        }
        for (Fact f : patterns.matches(m.pattern(), env, taken, now)) {
            env.put(m.pattern().binding().text(), f);
            if (f instanceof Fact.Event e) taken.add(e.seq());
            bind(rule, i + 1, env, taken, now, settled);
            if (f instanceof Fact.Event e) taken.remove(e.seq());
            env.remove(m.pattern().binding().text());
        }
    }

    private void fireIfDue(Decl.RuleDecl rule, Map<String, Fact> env, Set<Integer> taken, long now, boolean settled) {
        String key = rule.name().text() + "|" + env.values().stream().map(RuleRunner::identity).toList();
        if (fired.contains(key)) return;
        // Absences see only the patterns written before them.
        Map<String, Fact> before = new LinkedHashMap<>();
        List<Runnable> none = new ArrayList<>();
        for (Condition c : rule.when()) {
            switch (c) {
                case Condition.Match m -> before.put(m.pattern().binding().text(), env.get(m.pattern().binding().text()));
                case Condition.Absent a -> {
                    Pattern p = a.pattern();
                    // A forward window is decided once closed, after every event of its last instant;
                    // a look-back one as soon as the combination is complete, on the events so far.
                    if (p.temporal() != null && p.temporal().direction() == Pattern.Direction.AFTER) {
                        long end = Patterns.windowEnd(p, before);
                        if (end > now || end == now && !settled) return;   // not decided yet
                    }
                    if (!patterns.matches(p, new LinkedHashMap<>(before), taken, now).isEmpty()) {
                        fired.add(key);   // filled: decided for good, it never fires
                        return;
                    }
                }
                case Condition.Count k -> throw new IllegalStateException("counting rules run elsewhere");
            }
        }
        fired.add(key);
        List<String> eventIds = env.values().stream().filter(f -> f instanceof Fact.Event)
                .map(f -> ((Fact.Event) f).event().id()).toList();
        Provenance provenance = new Provenance(Provenance.Kind.RULE, rule.name().text(), rule.span(), eventIds, null, version);
        planner.plan("rule:" + rule.name().text(), rule.then(), rule.approval(), env, now, provenance).forEach(planner::record);
    }

    private static String identity(Fact f) {
        return switch (f) {
            case Fact.Event e -> "#" + e.seq();
            case Fact.Entity n -> n.type() + ":" + n.key();
            case Fact.Intent i -> "intent:" + i.request().id();
        };
    }
}
