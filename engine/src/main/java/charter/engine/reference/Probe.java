package charter.engine.reference;

import charter.compiler.ast.Expr;
import charter.compiler.ast.Pattern;
import charter.compiler.builtins.TeamValue;
import charter.compiler.fmt.Canonical;
import charter.engine.explain.Explanation.Candidate;
import charter.engine.explain.Explanation.Check;
import charter.engine.explain.Explanation.Outcome;
import charter.engine.explain.Explanation.Value;
import charter.engine.explain.Explanation.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a condition part by part with the reference {@link Evaluator}, keeping each part's
 * value and the value of every field it reads, so an explanation can show why it held or not.
 */
final class Probe {
    private final Evaluator evaluator;

    Probe(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** Each {@code and} part of {@code where} (none when null) with its value under {@code env}. */
    List<Check> checks(Expr where, Map<String, Fact> env, long now) {
        if (where == null) return List.of();
        List<Check> out = new ArrayList<>();
        for (Expr part : Patterns.conjuncts(where)) out.add(check(part, env, now));
        return out;
    }

    /** One part: true, false, or missing (false, and a field it reads is not there). */
    Check check(Expr part, Map<String, Fact> env, long now) {
        Evaluator.Scope scope = new Evaluator.Scope(env, null, now);
        List<Value> values = new ArrayList<>();
        boolean missing = false;
        for (Expr.Path path : paths(part)) {
            if (path.segments().size() == 1 && env.containsKey(path.dotted())) continue;   // a bare binding has no value to show
            Object v;
            try {
                v = evaluator.eval(path, scope);
            } catch (RuntimeException e) {
                v = null;   // an unbound name (the pattern it names bound nothing): no value
            }
            missing |= v == null;
            values.add(new Value(path.dotted(), display(v)));
        }
        boolean holds;
        try {
            holds = evaluator.test(part, scope);
        } catch (RuntimeException e) {
            holds = false;
        }
        return new Check(Canonical.expr(part), holds ? Outcome.TRUE : missing ? Outcome.MISSING : Outcome.FALSE, values);
    }

    /** A fact checked against a pattern: its window (with {@code env}'s anchor) and each part of its `where` with the fact bound. */
    Candidate candidate(Pattern p, Map<String, Fact> env, Fact fact, long now, boolean subject) {
        Boolean inWindow = null;
        if (p.temporal() != null && fact instanceof Fact.Event e) {
            inWindow = env.containsKey(p.temporal().anchor().text()) && Patterns.inWindow(p, env, e.millis());
        }
        Map<String, Fact> inner = new LinkedHashMap<>(env);
        inner.put(p.binding().text(), fact);
        List<Check> checks = new ArrayList<>();
        if (p.where() != null) for (Expr part : Patterns.conjuncts(p.where())) checks.add(check(part, inner, now));
        boolean matches = !Boolean.FALSE.equals(inWindow) && checks.stream().allMatch(c -> c.outcome() == Outcome.TRUE);
        return new Candidate(id(fact), type(fact), time(fact), subject, inWindow, checks, matches);
    }

    /** The window of a pattern given the bindings so far; null without one, or when its anchor is not bound. */
    static Window window(Pattern p, Map<String, Fact> env) {
        if (p.temporal() == null || !env.containsKey(p.temporal().anchor().text())) return null;
        long anchor = Patterns.time(env.get(p.temporal().anchor().text()));
        long d = p.temporal().window().millis();
        boolean after = p.temporal().direction() == Pattern.Direction.AFTER;
        String text = "within " + p.temporal().window().text() + (after ? " after " : " before ") + p.temporal().anchor().text();
        return new Window(text, Instant.ofEpochMilli(after ? anchor : anchor - d), Instant.ofEpochMilli(after ? anchor + d : anchor));
    }

    /**
     * Nearest first: those that match, then by how many conditions held (its window counting as one),
     * then by how many checks held, then closest in time to {@code reference}.
     */
    static Comparator<Candidate> nearest(Instant reference) {
        return Comparator.comparing((Candidate c) -> !c.matches())
                .thenComparing(Comparator.comparingInt((Candidate c) -> c.held() + (Boolean.FALSE.equals(c.inWindow()) ? 0 : 1)).reversed())
                .thenComparing(Comparator.comparingInt(Candidate::held).reversed())
                .thenComparingLong(c -> c.time() == null ? Long.MAX_VALUE : Math.abs(c.time().toEpochMilli() - reference.toEpochMilli()));
    }

    static String id(Fact f) {
        return switch (f) {
            case Fact.Event e -> e.event().id();
            case Fact.Entity n -> n.type() + ":" + n.key();
            case Fact.Intent i -> i.request().id();
        };
    }

    private static String type(Fact f) {
        return switch (f) {
            case Fact.Event e -> e.event().type();
            case Fact.Entity n -> n.type();
            case Fact.Intent i -> i.request().intent();
        };
    }

    private static Instant time(Fact f) {
        return switch (f) {
            case Fact.Event e -> e.event().time();
            case Fact.Entity n -> null;
            case Fact.Intent i -> i.request().time();
        };
    }

    /** A value as the language writes it: text quoted, whole numbers without decimals, {@code missing} for none. */
    static String display(Object v) {
        return switch (v) {
            case null -> "missing";
            case String s -> Canonical.quote(s);
            case List<?> list -> "[" + String.join(", ", list.stream().map(Probe::display).toList()) + "]";
            case TeamValue t -> t.isNobody() ? "nobody" : "team " + t.id();
            case Duration d -> Rendering.text(d);
            default -> Rendering.text(v);
        };
    }

    /** The field paths an expression reads, once each, in order; not those inside a nested `exists(…)`. */
    private static List<Expr.Path> paths(Expr e) {
        Map<String, Expr.Path> out = new LinkedHashMap<>();
        collect(e, out);
        return List.copyOf(out.values());
    }

    private static void collect(Expr e, Map<String, Expr.Path> out) {
        switch (e) {
            case Expr.Path p -> out.putIfAbsent(p.dotted(), p);
            case Expr.ExistsField x -> out.putIfAbsent(x.path().dotted(), x.path());
            case Expr.Unary u -> collect(u.operand(), out);
            case Expr.Binary b -> {
                collect(b.left(), out);
                collect(b.right(), out);
            }
            case Expr.Call c -> c.args().forEach(a -> collect(a, out));
            case Expr.ListLit l -> l.items().forEach(a -> collect(a, out));
            case Expr.StringLit s -> s.parts().forEach(part -> {
                if (part instanceof Expr.StringPart.Interpolation i) collect(i.expr(), out);
            });
            default -> { }
        }
    }
}
