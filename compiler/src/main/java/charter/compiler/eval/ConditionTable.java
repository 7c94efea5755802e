package charter.compiler.eval;

import charter.compiler.builtins.Builtin;
import charter.compiler.core.CoreCondition;
import java.util.List;

/** The compiled `where`/`unless` conditions of a Program version, by the ids the generated DRL uses. */
public final class ConditionTable {
    private final Eval[] all;

    public ConditionTable(List<CoreCondition> conditions, ExprCompiler compiler) {
        all = new Eval[conditions.size()];
        for (CoreCondition c : conditions) {
            ExprCompiler.Scope scope = ExprCompiler.Scope.of(c.bindings());
            Eval[] parts = c.all().stream().map(e -> compiler.compile(e, scope)).toArray(Eval[]::new);
            Eval unless = c.unless() == null ? null : compiler.compile(c.unless(), scope);
            all[c.id()] = f -> {
                for (Eval part : parts) if (!Values.truthy(part.eval(f))) return false;
                return unless == null || !Values.truthy(unless.eval(f));
            };
        }
    }

    public boolean test(int id, Object[] facts, Builtin.Context context) {
        return Values.truthy(all[id].eval(new Frame(facts, context)));
    }

    public int size() {
        return all.length;
    }
}
