package charter.compiler.validate;

import charter.compiler.ast.Expr;
import charter.compiler.eval.Values;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A condition the validator can evaluate for any value of the fields it names: built from
 * fields of bound facts, constants (strings without `${…}`, numbers, booleans, lists of them on
 * the right of `in`), `==`, `!=`, number order, `in`, `not in`, `exists`, `not`, `and`, `or`.
 * Anything else (functions, `matches`, arithmetic, string order, teams, `now`) makes the
 * condition opaque, and the validator ignores it, which can only make it warn less.
 *
 * <p>It is evaluated with {@link Values}, the value semantics the engine runs with.
 */
record FieldCondition(Expr expr, Set<String> terms, Set<Object> constants) {

    /** The condition as one the validator understands, or null when it is opaque. */
    static FieldCondition of(Expr e, Bindings bindings) {
        Set<String> terms = new LinkedHashSet<>();
        Set<Object> constants = new LinkedHashSet<>();
        return supported(e, bindings, terms, constants) ? new FieldCondition(e, terms, constants) : null;
    }

    private static boolean supported(Expr e, Bindings b, Set<String> terms, Set<Object> constants) {
        Object constant = constant(e);
        if (constant != null) {
            constants.add(constant);
            return true;
        }
        return switch (e) {
            case Expr.Path p -> {
                String term = b.term(p);
                if (term != null) terms.add(term);
                yield term != null;
            }
            case Expr.ExistsField x -> supported(x.path(), b, terms, constants);
            case Expr.Unary u -> u.op() == Expr.UnaryOp.NOT && supported(u.operand(), b, terms, constants);
            case Expr.Binary x -> switch (x.op()) {
                case AND, OR, EQ, NEQ -> supported(x.left(), b, terms, constants) && supported(x.right(), b, terms, constants);
                case LT, LE, GT, GE -> !(x.left() instanceof Expr.StringLit) && !(x.right() instanceof Expr.StringLit)
                        && supported(x.left(), b, terms, constants) && supported(x.right(), b, terms, constants);
                case IN, NOT_IN -> x.right() instanceof Expr.ListLit list && supported(x.left(), b, terms, constants)
                        && list.items().stream().allMatch(item -> {
                            Object c = constant(item);
                            if (c != null) constants.add(c);
                            return c != null;
                        });
                default -> false;
            };
            default -> false;
        };
    }

    /** The value of a constant expression (String, Double, Boolean), or null when it is not one. */
    private static Object constant(Expr e) {
        return switch (e) {
            case Expr.StringLit s -> s.constantValue();
            case Expr.NumberLit n -> Double.isFinite(n.value()) ? n.value() : null;
            case Expr.BoolLit b -> b.value();
            case Expr.Unary u when u.op() == Expr.UnaryOp.NEGATE && u.operand() instanceof Expr.NumberLit n
                    && Double.isFinite(n.value()) -> -n.value();
            default -> null;
        };
    }

    /** Whether the condition holds when every field it names has the value {@code v}. */
    boolean holds(Object v) {
        return Values.truthy(eval(expr, v));
    }

    private static Object eval(Expr e, Object v) {
        Object constant = constant(e);
        if (constant != null) return constant;
        return switch (e) {
            case Expr.Path p -> v;
            case Expr.ExistsField x -> Values.present(v);
            case Expr.Unary u -> !Values.truthy(eval(u.operand(), v));
            case Expr.ListLit l -> {
                List<Object> items = new ArrayList<>();
                for (Expr item : l.items()) items.add(eval(item, v));
                yield items;
            }
            case Expr.Binary x -> switch (x.op()) {
                case AND -> Values.truthy(eval(x.left(), v)) && Values.truthy(eval(x.right(), v));
                case OR -> Values.truthy(eval(x.left(), v)) || Values.truthy(eval(x.right(), v));
                case EQ -> Values.equal(eval(x.left(), v), eval(x.right(), v));
                case NEQ -> !Values.equal(eval(x.left(), v), eval(x.right(), v));
                case LT -> compare(x, v) instanceof Integer c && c < 0;
                case LE -> compare(x, v) instanceof Integer c && c <= 0;
                case GT -> compare(x, v) instanceof Integer c && c > 0;
                case GE -> compare(x, v) instanceof Integer c && c >= 0;
                case IN -> contains(eval(x.right(), v), eval(x.left(), v));
                case NOT_IN -> {
                    Object item = eval(x.left(), v);
                    Object list = eval(x.right(), v);
                    yield list instanceof List<?> && item != null && !contains(list, item);
                }
                default -> throw new IllegalStateException("not a field condition: " + x.op());
            };
            default -> throw new IllegalStateException("not a field condition: " + e);
        };
    }

    private static Integer compare(Expr.Binary x, Object v) {
        return Values.compare(eval(x.left(), v), eval(x.right(), v));
    }

    private static boolean contains(Object list, Object item) {
        if (!(list instanceof List<?> values) || item == null) return false;
        for (Object o : values) if (Values.equal(item, o)) return true;
        return false;
    }
}
