package charter.compiler.eval;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.Span;
import charter.compiler.builtins.Builtin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An action of a rule or an intent with its arguments compiled; evaluating it gives the arguments to plan. */
public record CompiledAction(int index, String tool, Span span, List<String> argumentNames, List<Eval> arguments) {

    public static CompiledAction of(int index, ActionCall call, ExprCompiler compiler, ExprCompiler.Scope scope) {
        return new CompiledAction(index, call.qualifiedName(), call.span(),
                call.args().stream().map(a -> a.name().text()).toList(),
                call.args().stream().map(a -> compiler.compile(a.value(), scope)).toList());
    }

    /**
     * Argument values in declaration order, rendered as plain JSON-friendly values.
     *
     * @throws ActionSkipped when an argument written `x ?? skip` finds x missing
     */
    public Map<String, Object> evaluate(Object[] facts, Builtin.Context context) {
        Frame frame = new Frame(facts, context);
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            try {
                out.put(argumentNames.get(i), plain(arguments.get(i).eval(frame)));
            } catch (ActionSkipped skipped) {
                throw new ActionSkipped(skipped.reason() + " (argument `" + argumentNames.get(i) + "`)");
            }
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
