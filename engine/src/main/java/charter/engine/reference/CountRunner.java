package charter.engine.reference;

import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.engine.result.Provenance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * instant arrive it still counts, after them it no longer does. With {@code by} keys all of this
 * holds per group: the events whose key values are equal (an event with a key field missing is in none).
 */
final class CountRunner {
    private final List<Decl.RuleDecl> rules;
    private final Patterns patterns;
    private final Planner planner;
    private final String version;
    /** By rule, the groups (key values; the one empty key without `by`) whose comparison held when last looked at. */
    private final Map<String, Set<List<Object>>> latched = new HashMap<>();

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
            // With `by`, one count per key; an event with a key field missing is in no group.
            Map<List<Object>, List<Fact.Event>> groups = new LinkedHashMap<>();
            for (Fact.Event e : counted) {
                List<Object> key = key(count, e);
                if (key != null) groups.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
            String id = rule.name().text();
            Set<List<Object>> latches = latched.computeIfAbsent(id, k -> new HashSet<>());
            latches.retainAll(groups.keySet());   // a group with no event left has fallen to 0
            List<Map.Entry<List<Object>, List<Fact.Event>>> inOrder = new ArrayList<>(groups.entrySet());
            inOrder.sort(Comparator.comparing(g -> g.getKey().toString()));
            for (var group : inOrder) {
                int n = group.getValue().size();
                boolean holds = switch (count.op()) {
                    case AT_LEAST -> n >= count.threshold();
                    case MORE_THAN -> n > count.threshold();
                    case EXACTLY -> n == count.threshold();
                };
                if (!holds) {
                    latches.remove(group.getKey());
                } else if (latches.add(group.getKey())) {
                    List<String> eventIds = group.getValue().stream().map(e -> e.event().id()).toList();
                    Provenance provenance = new Provenance(Provenance.Kind.RULE, id, rule.span(), eventIds, null, version);
                    // The actions see the count's binding as the newest counted event (the greatest id at one time).
                    Fact.Event newest = group.getValue().stream()
                            .max(Comparator.comparingLong(Fact.Event::millis).thenComparing(e -> e.event().id())).orElseThrow();
                    Map<String, Fact> env = new LinkedHashMap<>();
                    env.put(count.pattern().binding().text(), newest);
                    planner.plan("rule:" + id, rule.then(), rule.approval(), env, now, provenance).forEach(planner::record);
                }
            }
        }
    }

    /** The group of an event: its key values (numbers as doubles, as `==` compares them), or null when one is missing. */
    static List<Object> key(Condition.Count count, Fact.Event e) {
        List<Object> key = new ArrayList<>();
        for (Expr.Path path : count.groupBy()) {
            Object v = Fact.field(e, path.segments().getLast().text());
            if (v == null) return null;
            key.add(v instanceof Number n ? (Object) n.doubleValue() : v);
        }
        return key;
    }

}
