package charter.compiler.eval;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.Expr;
import charter.compiler.ast.Span;
import charter.compiler.builtins.Builtin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An action of a rule or an intent with its arguments compiled; evaluating it gives the arguments to plan.
 *
 * @param fieldsRead per argument, the fields it reads (dotted text and compiled), to name the missing one when it has no value
 * @param approval   who must approve the action before it is carried out ({@link ApprovalPolicy#NONE}: no one)
 */
public record CompiledAction(int index, String tool, Span span, List<String> argumentNames, List<Eval> arguments,
                             List<List<Map.Entry<String, Eval>>> fieldsRead, ApprovalPolicy approval) {

    /**
     * @param enclosing the `approval by` of the rule or intent the action belongs to, or null; it and the
     *                  action's own clause combine
     */
    public static CompiledAction of(int index, ActionCall call, charter.compiler.ast.ApprovalRule enclosing,
                                    ExprCompiler compiler, ExprCompiler.Scope scope) {
        List<List<Map.Entry<String, Eval>>> fields = new ArrayList<>();
        for (var a : call.args()) {
            List<Map.Entry<String, Eval>> read = new ArrayList<>();
            for (Expr.Path p : paths(a.value(), new ArrayList<>())) read.add(Map.entry(p.dotted(), compiler.compile(p, scope)));
            fields.add(List.copyOf(read));
        }
        return new CompiledAction(index, call.qualifiedName(), call.span(),
                call.args().stream().map(a -> a.name().text()).toList(),
                call.args().stream().map(a -> compiler.compile(a.value(), scope)).toList(), List.copyOf(fields),
                ApprovalPolicy.of(java.util.Arrays.asList(enclosing, call.approval()), compiler, scope));
    }

    /**
     * Argument values in declaration order, rendered as plain JSON-friendly values.
     *
     * @throws ActionSkipped when an argument written `x ?? skip` finds x missing
     * @throws MissingArgumentException when an argument (or an item of a list argument) has no value
     */
    public Map<String, Object> evaluate(Object[] facts, Builtin.Context context) {
        Frame frame = new Frame(facts, context);
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            Object value;
            try {
                value = arguments.get(i).eval(frame);
            } catch (ActionSkipped skipped) {
                throw new ActionSkipped(skipped.reason() + " (argument `" + argumentNames.get(i) + "`)");
            }
            if (value == null || value instanceof List<?> l && l.contains(null)) {
                List<String> missing = new ArrayList<>();
                for (Map.Entry<String, Eval> field : fieldsRead.get(i)) {
                    if (field.getValue().eval(frame) == null && !missing.contains(field.getKey())) missing.add(field.getKey());
                }
                throw new MissingArgumentException(argumentNames.get(i), missing);
            }
            out.put(argumentNames.get(i), plain(value));
        }
        return out;
    }

    /** The approvers of this action as planned on these facts; empty when it needs no approval. */
    public List<String> approvers(Object[] facts, Builtin.Context context) {
        return approval.approvers(facts, context);
    }

    /** The paths an expression reads, outermost first. */
    private static List<Expr.Path> paths(Expr e, List<Expr.Path> out) {
        switch (e) {
            case Expr.Path p -> out.add(p);
            case Expr.StringLit s -> { }   // never missing: a missing value inside reads as a marker
            case Expr.ListLit l -> l.items().forEach(item -> paths(item, out));
            case Expr.Call c -> c.args().forEach(arg -> paths(arg, out));
            case Expr.Unary u -> paths(u.operand(), out);
            case Expr.Binary b -> {
                paths(b.left(), out);
                paths(b.right(), out);
            }
            case Expr.ExistsField x -> out.add(x.path());
            default -> { }
        }
        return out;
    }

    private static Object plain(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Double d -> d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) d.longValue() : d;
            case List<?> l -> l.stream().map(CompiledAction::plain).toList();
            default -> Values.text(v);
        };
    }
}
