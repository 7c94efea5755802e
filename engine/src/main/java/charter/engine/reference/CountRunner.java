package charter.engine.reference;

import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.engine.result.Provenance;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counting rules: {@code count(P) op N within W} counts the events matching P whose time lies
 * in [now - W, now]. The rule fires when the comparison becomes true (a crossing), with the
 * counted events (in time order, then id) as its trigger, and again only after it has been false in between. An event
 * leaves the window at the end of the instant {@code time + W}: while events stamped that
 * instant arrive it still counts, after them it no longer does.
 */
final class CountRunner {
    private final List<Decl.RuleDecl> rules;
    private final Patterns patterns;
    private final Planner planner;
    private final String version;
    /** The rules whose comparison held when last looked at. */
    private final Set<String> latched = new HashSet<>();

    CountRunner(List<Decl.RuleDecl> rules, Patterns patterns, Planner planner, String version) {
        this.rules = rules.stream().filter(r -> r.when().size() == 1 && r.when().getFirst() instanceof Condition.Count).toList();
        this.patterns = patterns;
        this.planner = planner;
        this.version = version;
    }

    /** @param settled the end of the instant: events exactly W old have left the window */
    void run(long now, boolean settled) {
        for (Decl.RuleDecl rule : rules) {
            Condition.Count count = (Condition.Count) rule.when().getFirst();
            long from = now - count.window().millis();
            List<Fact.Event> counted = patterns.matches(count.pattern(), Map.of(), Set.of(), now).stream()
                    .map(f -> (Fact.Event) f)
                    .filter(e -> e.millis() <= now && (settled ? e.millis() > from : e.millis() >= from))
                    .sorted(java.util.Comparator.comparingLong(Fact.Event::millis).thenComparing(e -> e.event().id()))
                    .toList();
            int n = counted.size();
            boolean holds = switch (count.op()) {
                case AT_LEAST -> n >= count.threshold();
                case MORE_THAN -> n > count.threshold();
                case EXACTLY -> n == count.threshold();
            };
            String id = rule.name().text();
            if (!holds) {
                latched.remove(id);
            } else if (latched.add(id)) {
                List<String> eventIds = counted.stream().map(e -> e.event().id()).toList();
                Provenance provenance = new Provenance(Provenance.Kind.RULE, id, rule.span(), eventIds, null, version);
                planner.plan("rule:" + id, rule.then(), new LinkedHashMap<>(), now, provenance).forEach(planner::record);
            }
        }
    }
}
