package charter.engine.reference;

import charter.compiler.ast.Expr;
import charter.compiler.ast.Pattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which facts a pattern binds: of its type, inside its window, its {@code where} true with the
 * bindings in scope plus its own, and not an event another pattern of the same rule already
 * bound (two patterns never bind the same event).
 */
final class Patterns {
    private final Evaluator evaluator;
    private final History history;

    Patterns(Evaluator evaluator, History history) {
        this.evaluator = evaluator;
        this.history = history;
    }

    /** @param taken the history positions of the events bound so far */
    List<Fact> matches(Pattern p, Map<String, Fact> env, Set<Integer> taken, long now) {
        String type = p.type().name();
        List<Fact> out = new ArrayList<>();
        if (!type.contains(".")) {
            for (Fact.Entity n : history.entities()) if (n.type().equals(type) && holds(p, env, n, now)) out.add(n);
            return out;
        }
        for (Fact.Event e : history.events(type)) {
            if (taken.contains(e.seq()) || !inWindow(p, env, e.millis())) continue;
            if (holds(p, env, e, now)) out.add(e);
        }
        return out;
    }

    /** {@code within D after a}: [a, a + D]; {@code within D before a}: [a - D, a]; both ends included. */
    static boolean inWindow(Pattern p, Map<String, Fact> env, long time) {
        if (p.temporal() == null) return true;
        long anchor = time(env.get(p.temporal().anchor().text()));
        long d = p.temporal().window().millis();
        return p.temporal().direction() == Pattern.Direction.AFTER
                ? time >= anchor && time <= anchor + d
                : time >= anchor - d && time <= anchor;
    }

    /** When a window over events ends: the instant after which no event can change what is in it. */
    static long windowEnd(Pattern p, Map<String, Fact> env) {
        long anchor = time(env.get(p.temporal().anchor().text()));
        return p.temporal().direction() == Pattern.Direction.AFTER ? anchor + p.temporal().window().millis() : anchor;
    }

    static long time(Fact f) {
        return switch (f) {
            case Fact.Event e -> e.millis();
            case Fact.Intent i -> i.request().time().toEpochMilli();
            case Fact.Entity n -> throw new IllegalStateException("an entity has no time");
        };
    }

    /**
     * The `where` with the candidate bound: every `and` part holds, a part `exists(Q q)` /
     * `not exists(Q q)` (a guard's nested exists) when some / no event matches Q with the candidate in scope.
     */
    private boolean holds(Pattern p, Map<String, Fact> env, Fact candidate, long now) {
        if (p.where() == null) return true;
        Map<String, Fact> inner = new LinkedHashMap<>(env);
        inner.put(p.binding().text(), candidate);
        for (Expr part : conjuncts(p.where())) if (!holdsPart(part, inner, now)) return false;
        return true;
    }

    /**
     * One `and` part of a condition. `exists(Q)` and `not exists(Q)` never bind an event of a binding
     * they are tied to (that Q names); each is otherwise its own question, so an event another, untied
     * exists of the guard bound may match it too.
     */
    boolean holdsPart(Expr part, Map<String, Fact> env, long now) {
        Pattern q = existsPattern(part);
        if (q == null) return evaluator.test(part, new Evaluator.Scope(env, null, now));
        boolean some = !matches(q, env, tiedTo(q, env), now).isEmpty();
        return part instanceof Expr.ExistsPattern == some;
    }

    /** The events of the bindings in {@code env} that {@code q} names (its ties), by position. */
    static Set<Integer> tiedTo(Pattern q, Map<String, Fact> env) {
        Set<String> named = names(q);
        Set<Integer> out = new java.util.HashSet<>();
        env.forEach((name, f) -> {
            if (named.contains(name) && f instanceof Fact.Event e) out.add(e.seq());
        });
        return out;
    }

    /** The events bound in {@code env}, by position. */
    static Set<Integer> taken(Map<String, Fact> env) {
        Set<Integer> out = new java.util.HashSet<>();
        for (Fact f : env.values()) if (f instanceof Fact.Event e) out.add(e.seq());
        return out;
    }

    static List<Expr> conjuncts(Expr e) {
        if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
            List<Expr> out = new ArrayList<>(conjuncts(b.left()));
            out.addAll(conjuncts(b.right()));
            return out;
        }
        return List.of(e);
    }

    /** The pattern of `exists(P)` or `not exists(P)`, else null. */
    static Pattern existsPattern(Expr e) {
        if (e instanceof Expr.ExistsPattern x) return x.pattern();
        if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NOT && u.operand() instanceof Expr.ExistsPattern x) return x.pattern();
        return null;
    }

    /** The names a pattern refers to besides its own binding: in its window and anywhere in its `where`. */
    static Set<String> names(Pattern p) {
        Set<String> out = new java.util.HashSet<>();
        if (p.temporal() != null) out.add(p.temporal().anchor().text());
        if (p.where() != null) names(p.where(), out);
        out.remove(p.binding().text());
        return out;
    }

    private static void names(Expr e, Set<String> out) {
        switch (e) {
            case Expr.Path path -> out.add(path.segments().getFirst().text());
            case Expr.ExistsField x -> out.add(x.path().segments().getFirst().text());
            case Expr.ExistsPattern x -> out.addAll(names(x.pattern()));
            case Expr.Unary u -> names(u.operand(), out);
            case Expr.Binary b -> {
                names(b.left(), out);
                names(b.right(), out);
            }
            case Expr.Call c -> c.args().forEach(a -> names(a, out));
            case Expr.ListLit l -> l.items().forEach(a -> names(a, out));
            case Expr.StringLit s -> s.parts().forEach(part -> {
                if (part instanceof Expr.StringPart.Interpolation i) names(i.expr(), out);
            });
            default -> { }
        }
    }
}
