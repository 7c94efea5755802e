package charter.engine.reference;

import charter.compiler.ast.Expr;
import charter.compiler.builtins.TeamValue;
import charter.compiler.fmt.ExprPrinter;
import charter.compiler.model.TypedProgram;
import charter.compiler.types.Type;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Evaluates an expression of the typed AST directly, written from the language reference and
 * not from the compiled evaluator. Values are String, Double, Boolean, List, Instant, Duration,
 * {@link TeamValue}, or null for a missing field. A missing value makes every comparison false
 * except {@code !=}.
 *
 * <p>{@code exists(pattern)} is not an expression here: the guard judge handles it, as the
 * language allows it only as a top-level condition of a deny guard.
 */
final class Evaluator {
    private final TypedProgram typed;
    private final Builtins builtins;

    Evaluator(TypedProgram typed, Builtins builtins) {
        this.typed = typed;
        this.builtins = builtins;
    }

    /**
     * @param env      the bindings in scope
     * @param implicit the event whose fields are named bare (significance clauses), or null
     */
    record Scope(Map<String, Fact> env, Fact implicit, long now) {}

    boolean test(Expr e, Scope s) {
        return eval(e, s) instanceof Boolean b && b;
    }

    Object eval(Expr e, Scope s) {
        return switch (e) {
            case Expr.StringLit lit -> interpolate(lit, s);
            case Expr.NumberLit n -> n.value();
            case Expr.DurationLit d -> Duration.ofMillis(d.duration().millis());
            case Expr.BoolLit b -> b.value();
            case Expr.NobodyLit n -> TeamValue.NOBODY;
            case Expr.TeamRef t -> new TeamValue(t.team().text());
            case Expr.ListLit l -> {
                List<Object> out = new ArrayList<>();
                for (Expr item : l.items()) out.add(eval(item, s));
                yield out;
            }
            case Expr.Call c -> {
                List<Object> args = new ArrayList<>();
                for (Expr a : c.args()) args.add(eval(a, s));
                yield builtins.call(c.function().text(), args, s.now());
            }
            case Expr.Path p -> path(p, s);
            case Expr.Unary u -> switch (u.op()) {
                case NOT -> !test(u.operand(), s);
                case NEGATE -> eval(u.operand(), s) instanceof Double d ? -d : null;
            };
            case Expr.Binary b -> binary(b, s);
            case Expr.ExistsField x -> present(path(x.path(), s));
            case Expr.ExistsPattern x -> throw new IllegalStateException("exists(...) outside a guard's `and`: " + x.span());
            case Expr.Skip k -> throw new IllegalStateException("`skip` outside `x ?? skip`: " + k.span());
        };
    }

    /** Text with its `${…}` parts filled in; a missing part reads `<missing e>`, e as the formatter writes it. */
    private String interpolate(Expr.StringLit lit, Scope s) {
        StringBuilder out = new StringBuilder();
        for (Expr.StringPart part : lit.parts()) {
            switch (part) {
                case Expr.StringPart.Text t -> out.append(t.value());
                case Expr.StringPart.Interpolation i -> {
                    Object v = eval(i.expr(), s);
                    out.append(v == null ? "<missing " + ExprPrinter.expr(i.expr()) + ">" : Rendering.text(v));
                }
            }
        }
        return out.toString();
    }

    private Object path(Expr.Path p, Scope s) {
        List<String> names = p.segments().stream().map(n -> n.text()).toList();
        if (names.size() == 1 && names.getFirst().equals("now")) return Instant.ofEpochMilli(s.now());
        Fact fact = s.env().get(names.getFirst());
        String field;
        if (fact != null) {
            field = String.join(".", names.subList(1, names.size()));
        } else {
            fact = s.implicit();
            field = String.join(".", names);
        }
        Object v = Fact.field(Objects.requireNonNull(fact, () -> "unbound name " + p.dotted()), field);
        return typed.typeOf(p) == Type.TIME ? asTime(v) : v;
    }

    private static Object asTime(Object v) {
        if (v instanceof Instant || v == null) return v;
        if (v instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return v instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null;
    }

    /** `x ?? skip` found x missing: the action is not planned; {@code reason} names x. */
    static final class Skipped extends RuntimeException {
        final String reason;

        Skipped(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    private Object binary(Expr.Binary b, Scope s) {
        switch (b.op()) {
            case AND -> { return test(b.left(), s) && test(b.right(), s); }
            case OR -> { return test(b.left(), s) || test(b.right(), s); }
            case COALESCE -> {
                // x ?? d: x when present (as `exists` tests it), else d; d is not evaluated when x is present.
                Object x = eval(b.left(), s);
                if (present(x)) return x;
                if (b.right() instanceof Expr.Skip) throw new Skipped("`" + charter.compiler.fmt.Canonical.expr(b.left()) + "` is missing");
                return eval(b.right(), s);
            }
            default -> { }
        }
        Object l = eval(b.left(), s);
        Object r = eval(b.right(), s);
        return switch (b.op()) {
            case EQ -> equal(l, r);
            case NEQ -> !equal(l, r);
            case LT -> compare(l, r) instanceof Integer c && c < 0;
            case LE -> compare(l, r) instanceof Integer c && c <= 0;
            case GT -> compare(l, r) instanceof Integer c && c > 0;
            case GE -> compare(l, r) instanceof Integer c && c >= 0;
            case IN -> l != null && in(l, r);
            case NOT_IN -> l != null && r != null && !in(l, r);
            case MATCHES -> matches(l, r);
            case PLUS -> plus(l, r);
            case MINUS -> minus(l, r);
            case AND, OR, COALESCE -> throw new IllegalStateException("handled above");
        };
    }

    /** `x in [..]`, or `actor in team t` / `in owner(..)`: membership through the Program's people and teams. */
    private boolean in(Object item, Object collection) {
        if (collection instanceof TeamValue team) return !team.isNobody() && builtins.inTeam(Rendering.text(item), team.id());
        if (!(collection instanceof List<?> list)) return false;
        for (Object o : list) if (equal(item, o)) return true;
        return false;
    }

    static boolean equal(Object a, Object b) {
        if (a == null || b == null) return false;
        if (a instanceof TeamValue t) return b instanceof TeamValue u ? t.id().equals(u.id()) : t.id().equals(b);
        if (b instanceof TeamValue) return equal(b, a);
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        return a.equals(b);
    }

    private static Integer compare(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) return Double.compare(x, y);
        if (a instanceof Instant x && b instanceof Instant y) return x.compareTo(y);
        if (a instanceof Duration x && b instanceof Duration y) return x.compareTo(y);
        if (a instanceof String x && b instanceof String y) return x.compareTo(y);
        return null;
    }

    private static boolean matches(Object subject, Object regex) {
        if (!(subject instanceof String text) || !(regex instanceof String re)) return false;
        try {
            return Pattern.compile(re).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static Object plus(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) return x + y;
        if (a instanceof String x && b instanceof String y) return x + y;
        if (a instanceof Instant t && b instanceof Duration d) return t.plus(d);
        if (a instanceof Duration x && b instanceof Duration y) return x.plus(y);
        return null;
    }

    private static Object minus(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) return x - y;
        if (a instanceof Instant t && b instanceof Duration d) return t.minus(d);
        if (a instanceof Instant x && b instanceof Instant y) return Duration.between(y, x);
        if (a instanceof Duration x && b instanceof Duration y) return x.minus(y);
        return null;
    }

    /** `exists x.f`: there, and not empty text, an empty list or `nobody`. */
    static boolean present(Object v) {
        return switch (v) {
            case null -> false;
            case String text -> !text.isEmpty();
            case List<?> list -> !list.isEmpty();
            case TeamValue team -> !team.isNobody();
            default -> true;
        };
    }
}
