package charter.compiler.model;

import charter.compiler.ast.Expr;
import charter.compiler.types.Type;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Output of the typecheck pass: the resolved Program plus the type of every
 * expression (keyed by node identity: two equal-looking expressions in different
 * places are different nodes).
 */
public record TypedProgram(ResolvedProgram program, Map<Expr, Type> types) {
    public TypedProgram {
        types = java.util.Collections.unmodifiableMap(new IdentityHashMap<>(types));
    }

    public Type typeOf(Expr e) {
        return types.getOrDefault(e, Type.ERROR);
    }
}
