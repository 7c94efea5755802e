package charter.compiler.validate;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.model.ResolvedProgram;
import charter.compiler.passes.Diagnostics;
import java.util.ArrayList;
import java.util.List;

/**
 * CH604: an `unless` that holds whenever the guard's `where` does lets every intent through, so
 * the guard never denies: the conjunction of the `where` and `not (unless)` can never hold.
 * A guard whose `where` already never holds is CH601's, not reported again here.
 */
final class UnlessCheck implements Check {
    @Override
    public void run(ResolvedProgram program, Diagnostics diagnostics) {
        for (Decl.InvariantDecl inv : program.invariants()) {
            if (!(inv.body() instanceof InvariantBody.DenyGuard deny) || deny.unless() == null) continue;
            Parts parts = Parts.of(deny);
            if (parts == null) continue;
            Solver solver = new Solver(parts.bindings());
            if (solver.contradiction(parts.positive()) != null) continue;
            List<Expr> denying = new ArrayList<>(parts.positive());
            denying.add(new Expr.Unary(Expr.UnaryOp.NOT, deny.unless(), deny.unless().span()));
            if (solver.contradiction(denying) == null) continue;
            diagnostics.report(Diagnostic.warning(Code.UNLESS_ALWAYS_HOLDS, deny.unless().span(),
                    "`unless " + Quote.expr(deny.unless()).substring(1) + " always holds"
                            + (parts.positive().isEmpty() ? "" : " when the `where` does")
                            + ": invariant `" + inv.name().text() + "` can never deny"));
        }
    }
}
