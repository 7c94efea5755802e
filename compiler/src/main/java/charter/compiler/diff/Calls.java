package charter.compiler.diff;

import charter.compiler.ast.Expr;
import java.util.List;

/** Whether expressions call a function by name, looking inside interpolations, lists, operators and `exists(...)`. */
final class Calls {
    private Calls() {}

    static boolean any(List<Expr> exprs, String function) {
        for (Expr e : exprs) if (e != null && calls(e, function)) return true;
        return false;
    }

    static boolean calls(Expr e, String function) {
        return switch (e) {
            case null -> false;
            case Expr.Call c -> c.function().text().equals(function) || any(c.args(), function);
            case Expr.StringLit s -> s.parts().stream().anyMatch(p -> p instanceof Expr.StringPart.Interpolation i && calls(i.expr(), function));
            case Expr.ListLit l -> any(l.items(), function);
            case Expr.Unary u -> calls(u.operand(), function);
            case Expr.Binary b -> calls(b.left(), function) || calls(b.right(), function);
            case Expr.ExistsPattern x -> calls(x.pattern().where(), function);
            default -> false;
        };
    }
}
