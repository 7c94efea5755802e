package charter.compiler.validate;

import charter.compiler.ast.Expr;
import charter.compiler.eval.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a conjunction of conditions can ever hold, soundly: it says "never" only when
 * no values of the fields make every condition true.
 *
 * <p>Each conjunct {@code t == u} between two fields puts them in one class (they hold one value,
 * present). Every other conjunct the validator understands ({@link FieldCondition}) and whose
 * fields all fall in one class constrains that class; the rest are ignored. What the catalog
 * guarantees is added: an event's {@code type} is its pattern's type, its {@code significance}
 * a number from 0 to 100. A class is satisfiable when one of its {@link Witnesses} satisfies all
 * of its constraints; the conjunction, when every class is.
 */
final class Solver {
    /**
     * Conjunctions longer than this are not looked at (the search for the culprit is quadratic):
     * a Program of a million conditions must not stall `check`, and saying nothing stays sound.
     */
    static final int MAX_CONJUNCTS = 64;

    private final Bindings bindings;

    Solver(Bindings bindings) {
        this.bindings = bindings;
    }

    /**
     * Why the conjunction never holds: the first conjunct (in order) after which it cannot, and the
     * fewest earlier ones it contradicts (empty when it cannot hold on its own, or given what the
     * catalog guarantees); null when the conjunction can hold, as far as the validator can tell.
     */
    record Contradiction(Expr culprit, List<Expr> with) {
        Contradiction {
            with = List.copyOf(with);
        }
    }

    Contradiction contradiction(List<Expr> conditions) {
        List<Expr> all = new ArrayList<>();
        for (Expr c : conditions) flatten(c, all);
        if (all.size() > MAX_CONJUNCTS || satisfiable(all)) return null;
        for (int i = 0; i < all.size(); i++) {
            if (satisfiable(all.subList(0, i + 1))) continue;
            // Drop every earlier conjunct the contradiction does not need: what is left is a minimal reason.
            List<Expr> needed = new ArrayList<>(all.subList(0, i));
            for (int j = needed.size() - 1; j >= 0; j--) {
                List<Expr> without = new ArrayList<>(needed);
                without.remove(j);
                without.add(all.get(i));
                if (!satisfiable(without)) needed.remove(j);
            }
            return new Contradiction(all.get(i), needed);
        }
        return null;
    }

    boolean satisfiable(List<Expr> conjuncts) {
        List<FieldCondition> understood = new ArrayList<>();
        Map<String, String> parent = new HashMap<>();
        for (Expr c : conjuncts) {
            FieldCondition f = FieldCondition.of(c, bindings);
            if (f == null) continue;
            if (f.terms().isEmpty() && !f.holds(null)) return false;   // `false`, `1 == 2`
            understood.add(f);
            f.terms().forEach(t -> parent.putIfAbsent(t, t));
            if (c instanceof Expr.Binary b && b.op() == Expr.BinaryOp.EQ && f.terms().size() == 2
                    && b.left() instanceof Expr.Path && b.right() instanceof Expr.Path) {
                var it = f.terms().iterator();
                union(parent, it.next(), it.next());
            }
        }
        Map<String, List<FieldCondition>> byClass = new LinkedHashMap<>();
        Map<String, Set<String>> members = new LinkedHashMap<>();
        for (String term : parent.keySet()) members.computeIfAbsent(find(parent, term), k -> new LinkedHashSet<>()).add(term);
        for (FieldCondition f : understood) {
            Set<String> roots = new LinkedHashSet<>();
            for (String t : f.terms()) roots.add(find(parent, t));
            if (roots.size() == 1) byClass.computeIfAbsent(roots.iterator().next(), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, Set<String>> entry : members.entrySet()) {
            List<FieldCondition> constraints = byClass.getOrDefault(entry.getKey(), List.of());
            List<CatalogFact> facts = entry.getValue().stream().map(this::catalogFact).filter(java.util.Objects::nonNull).toList();
            if (!satisfiable(constraints, facts)) return false;
        }
        return true;
    }

    private static boolean satisfiable(List<FieldCondition> constraints, List<CatalogFact> facts) {
        Set<Object> constants = new LinkedHashSet<>();
        constraints.forEach(c -> constants.addAll(c.constants()));
        facts.forEach(f -> constants.addAll(f.constants()));
        for (Object v : Witnesses.of(constants)) {
            if (constraints.stream().allMatch(c -> c.holds(v)) && facts.stream().allMatch(f -> f.allows().test(v))) return true;
        }
        return false;
    }

    /** What the catalog guarantees about a field, whatever the Program says. */
    private record CatalogFact(Set<Object> constants, java.util.function.Predicate<Object> allows) {}

    private CatalogFact catalogFact(String term) {
        int dot = term.indexOf('.');
        Bindings.Binding b = bindings.get(term.substring(0, dot));
        if (b == null || b.kind() != Bindings.Kind.EVENT) return null;
        return switch (term.substring(dot + 1)) {
            case "type" -> new CatalogFact(Set.of(b.type()), v -> Values.equal(v, b.type()));
            case "significance" -> new CatalogFact(Set.of(0.0, 100.0),
                    v -> Values.compare(v, 0.0) instanceof Integer lo && lo >= 0 && Values.compare(v, 100.0) instanceof Integer hi && hi <= 0);
            default -> null;
        };
    }

    private static void flatten(Expr e, List<Expr> out) {
        if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
            flatten(b.left(), out);
            flatten(b.right(), out);
        } else if (e != null) {
            out.add(e);
        }
    }

    private static String find(Map<String, String> parent, String t) {
        while (!parent.get(t).equals(t)) t = parent.get(t);
        return t;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        parent.put(find(parent, a), find(parent, b));
    }
}
