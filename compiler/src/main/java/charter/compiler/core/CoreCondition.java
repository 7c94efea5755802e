package charter.compiler.core;

import charter.compiler.ast.Expr;
import java.util.List;

/**
 * A numbered condition the generated DRL calls as `cond.test(id, facts…)`: true when
 * every expression of `all` holds and `unless` (nullable) does not. `bindings` are
 * the Program's names for the facts passed, in order.
 */
public record CoreCondition(int id, List<Expr> all, Expr unless, List<String> bindings) {
    public CoreCondition {
        all = List.copyOf(all);
        bindings = List.copyOf(bindings);
    }
}
