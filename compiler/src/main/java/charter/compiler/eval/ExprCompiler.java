package charter.compiler.eval;

import charter.compiler.ast.Expr;
import charter.compiler.builtins.Builtin;
import charter.compiler.builtins.TeamValue;
import charter.compiler.model.TypedProgram;
import charter.compiler.types.Type;
import charter.facts.EntityFact;
import charter.facts.EventFact;
import charter.facts.IntentFact;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles a typechecked expression into a tree of closures, once per Program
 * version. Evaluation then does no name lookups, no parsing and no reflection:
 * bindings are array slots fixed here.
 */
public final class ExprCompiler {
    private final TypedProgram typed;
    private final charter.compiler.js.JsFunctions js;

    public ExprCompiler(TypedProgram typed) {
        this(typed, charter.compiler.js.JsFunctions.NONE);
    }

    /** @param js the Program's JavaScript functions, which calls not to a built-in go to */
    public ExprCompiler(TypedProgram typed, charter.compiler.js.JsFunctions js) {
        this.typed = typed;
        this.js = js;
    }

    /**
     * Where each name lives: bindings by slot in the frame's fact array, and the slot of
     * the implicit event whose fields are named bare (significance), or -1.
     */
    public record Scope(Map<String, Integer> slots, int implicitSlot) {
        public static Scope of(List<String> bindings) {
            Map<String, Integer> slots = new java.util.LinkedHashMap<>();
            for (int i = 0; i < bindings.size(); i++) slots.put(bindings.get(i), i);
            return new Scope(slots, -1);
        }

        public static Scope implicitEvent() {
            return new Scope(Map.of(), 0);
        }
    }

    public Eval compile(Expr expr, Scope scope) {
        return switch (expr) {
            case Expr.StringLit s -> string(s, scope);
            case Expr.NumberLit n -> constant(n.value());
            case Expr.DurationLit d -> constant(Duration.ofMillis(d.duration().millis()));
            case Expr.BoolLit b -> constant(b.value());
            case Expr.NobodyLit n -> constant(TeamValue.NOBODY);
            case Expr.Skip k -> throw new IllegalStateException("`skip` outside `x ?? skip` reached the evaluator: " + k.span());
            case Expr.TeamRef t -> constant(new TeamValue(t.team().text()));
            case Expr.ListLit l -> list(l, scope);
            case Expr.Call c -> call(c, scope);
            case Expr.Path p -> path(p, scope);
            case Expr.Unary u -> unary(u, scope);
            case Expr.Binary b -> binary(b, scope);
            case Expr.ExistsField e -> {
                Eval value = path(e.path(), scope);
                yield f -> Values.present(value.eval(f));
            }
            case Expr.ExistsPattern e -> throw new IllegalStateException(
                    "exists(pattern) is lowered to a Drools pattern, not evaluated: " + e.span());
        };
    }

    private static Eval constant(Object value) {
        return f -> value;
    }

    private Eval string(Expr.StringLit s, Scope scope) {
        String constant = s.constantValue();
        if (constant != null) return constant(constant);
        List<Eval> parts = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        for (Expr.StringPart part : s.parts()) {
            parts.add(switch (part) {
                case Expr.StringPart.Text t -> constant(t.value());
                case Expr.StringPart.Interpolation i -> compile(i.expr(), scope);
            });
            markers.add(part instanceof Expr.StringPart.Interpolation i ? missingMarker(i.expr()) : "");
        }
        Eval[] array = parts.toArray(Eval[]::new);
        String[] marker = markers.toArray(String[]::new);
        // A missing value reads as an explicit marker naming it: never a silent hole in the text.
        return f -> {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < array.length; i++) {
                Object value = array[i].eval(f);
                out.append(value == null ? marker[i] : Values.text(value));
            }
            return out.toString();
        };
    }

    /** What `${expr}` reads when its value is missing: {@code <missing d.error_message>}. */
    public static String missingMarker(Expr expr) {
        return "<missing " + charter.compiler.fmt.ExprPrinter.expr(expr) + ">";
    }

    private Eval list(Expr.ListLit l, Scope scope) {
        Eval[] items = l.items().stream().map(e -> compile(e, scope)).toArray(Eval[]::new);
        return f -> {
            List<Object> out = new ArrayList<>(items.length);
            for (Eval item : items) out.add(item.eval(f));
            return out;
        };
    }

    private Eval call(Expr.Call c, Scope scope) {
        Eval[] args = c.args().stream().map(e -> compile(e, scope)).toArray(Eval[]::new);
        charter.compiler.js.JsFunction function = Builtin.byName(c.function().text()).isEmpty() ? js.byName(c.function().text()) : null;
        if (function != null) {
            return f -> {
                Object[] values = new Object[args.length];
                for (int i = 0; i < args.length; i++) values[i] = args[i].eval(f);
                return js.call(function, values);
            };
        }
        Builtin builtin = Builtin.byName(c.function().text())
                .orElseThrow(() -> new IllegalStateException("unresolved function reached the evaluator: " + c.span()));
        return f -> {
            Object[] values = new Object[args.length];
            for (int i = 0; i < args.length; i++) values[i] = args[i].eval(f);
            return builtin.call(values, f.context());
        };
    }

    private Eval path(Expr.Path p, Scope scope) {
        List<String> names = p.segments().stream().map(n -> n.text()).toList();
        String head = names.getFirst();
        boolean time = typed.typeOf(p) == Type.TIME;
        if (names.size() == 1 && head.equals("now")) return f -> Instant.ofEpochMilli(f.context().now());
        Integer slot = scope.slots().get(head);
        if (slot != null && names.size() == 1) return f -> f.facts()[slot];
        if (slot != null) return field(slot, String.join(".", names.subList(1, names.size())), time);
        if (scope.implicitSlot() >= 0) return field(scope.implicitSlot(), String.join(".", names), time);
        throw new IllegalStateException("unresolved name reached the evaluator: " + p.dotted() + " at " + p.span());
    }

    private static Eval field(int slot, String field, boolean time) {
        if (!time) return f -> read(f.facts()[slot], field);
        return f -> asInstant(read(f.facts()[slot], field));
    }

    private static Object read(Object fact, String field) {
        if (fact instanceof EventFact e) return e.get(field);
        if (fact instanceof IntentFact i) return i.get(field);
        if (fact instanceof EntityFact n) return n.get(field);
        return null;
    }

    private static Object asInstant(Object v) {
        if (v instanceof Instant i) return i;
        if (v instanceof Number n) return Instant.ofEpochMilli(n.longValue());
        if (v instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private Eval unary(Expr.Unary u, Scope scope) {
        Eval operand = compile(u.operand(), scope);
        return switch (u.op()) {
            case NOT -> f -> !Values.truthy(operand.eval(f));
            case NEGATE -> f -> operand.eval(f) instanceof Double d ? -d : null;
        };
    }

    private Eval binary(Expr.Binary b, Scope scope) {
        Eval l = compile(b.left(), scope);
        if (b.op() == Expr.BinaryOp.COALESCE) return coalesce(l, b, scope);
        if (b.op() == Expr.BinaryOp.MATCHES) return matches(l, b.right(), scope);
        if ((b.op() == Expr.BinaryOp.IN || b.op() == Expr.BinaryOp.NOT_IN) && b.right() instanceof Expr.TeamRef team) {
            String teamId = team.team().text();
            boolean negate = b.op() == Expr.BinaryOp.NOT_IN;
            return f -> {
                Object who = l.eval(f);
                return who != null && f.context().directory().inTeam(Values.text(who), teamId) != negate;
            };
        }
        Eval r = compile(b.right(), scope);
        return switch (b.op()) {
            case AND -> f -> Values.truthy(l.eval(f)) && Values.truthy(r.eval(f));
            case OR -> f -> Values.truthy(l.eval(f)) || Values.truthy(r.eval(f));
            case EQ -> f -> Values.equal(l.eval(f), r.eval(f));
            case NEQ -> f -> !Values.equal(l.eval(f), r.eval(f));
            case LT -> f -> { Integer c = Values.compare(l.eval(f), r.eval(f)); return c != null && c < 0; };
            case LE -> f -> { Integer c = Values.compare(l.eval(f), r.eval(f)); return c != null && c <= 0; };
            case GT -> f -> { Integer c = Values.compare(l.eval(f), r.eval(f)); return c != null && c > 0; };
            case GE -> f -> { Integer c = Values.compare(l.eval(f), r.eval(f)); return c != null && c >= 0; };
            case PLUS -> f -> plus(l.eval(f), r.eval(f));
            case MINUS -> f -> minus(l.eval(f), r.eval(f));
            // The right side may be any team-typed expression (`owner(x)`, `team_of(y)`), not only `team T`.
            case IN -> f -> {
                Object right = r.eval(f);
                Object item = l.eval(f);
                if (right instanceof charter.compiler.builtins.TeamValue team) {
                    return item != null && !team.isNobody() && f.context().directory().inTeam(Values.text(item), team.id());
                }
                return contains(right, item);
            };
            case NOT_IN -> f -> {
                Object right = r.eval(f);
                Object item = l.eval(f);
                if (right instanceof charter.compiler.builtins.TeamValue team) {
                    return item != null && (team.isNobody() || !f.context().directory().inTeam(Values.text(item), team.id()));
                }
                return right instanceof List<?> && item != null && !contains(right, item);
            };
            case MATCHES, COALESCE -> throw new IllegalStateException("handled above");
        };
    }

    /** `x ?? d`: x when present (as `exists` tests it), else d; `x ?? skip` skips the action instead. */
    private Eval coalesce(Eval value, Expr.Binary b, Scope scope) {
        if (b.right() instanceof Expr.Skip) {
            String reason = "`" + charter.compiler.fmt.Canonical.expr(b.left()) + "` is missing";
            return f -> {
                Object v = value.eval(f);
                if (!Values.present(v)) throw new ActionSkipped(reason);
                return v;
            };
        }
        Eval fallback = compile(b.right(), scope);
        return f -> {
            Object v = value.eval(f);
            return Values.present(v) ? v : fallback.eval(f);
        };
    }

    private static boolean contains(Object list, Object item) {
        if (!(list instanceof List<?> values) || item == null) return false;
        for (Object v : values) if (Values.equal(item, v)) return true;
        return false;
    }

    /** `matches` with RE2J; the typecheck pass has already refused a constant pattern RE2J does not accept. */
    private Eval matches(Eval subject, Expr regex, Scope scope) {
        if (regex instanceof Expr.StringLit s && s.constantValue() != null) {
            Regex pattern = switch (Regex.compile(s.constantValue())) {
                case Regex.Accepted a -> a.regex();
                case Regex.Refused r -> throw new IllegalStateException("a refused pattern reached the evaluator: " + r.refusal().reason());
            };
            return f -> subject.eval(f) instanceof String text && pattern.find(text);
        }
        Eval dynamic = compile(regex, scope);
        return f -> subject.eval(f) instanceof String text && dynamic.eval(f) instanceof String re
                && Regex.compile(re) instanceof Regex.Accepted a && a.regex().find(text);
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
}
