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
 * CH603: a guard with a condition that does not narrow anything: every conjunct of its `where`
 * always holds (its negation never does), it reads no other event, and its `unless` (if any)
 * never holds with the `where`. It denies every intent of its type. A guard written with no
 * condition at all (`deny ship because "freeze"`) says so on purpose and is not reported.
 */
final class DeniesEveryIntentCheck implements Check {
    @Override
    public void run(ResolvedProgram program, Diagnostics diagnostics) {
        for (Decl.InvariantDecl inv : program.invariants()) {
            if (!(inv.body() instanceof InvariantBody.DenyGuard deny)) continue;
            if (deny.where() == null && deny.unless() == null || Parts.readsEvents(deny)) continue;
            Parts parts = Parts.of(deny);
            if (parts == null) continue;
            Solver solver = new Solver(parts.bindings());
            boolean always = parts.positive().stream()
                    .allMatch(c -> solver.contradiction(List.of(new Expr.Unary(Expr.UnaryOp.NOT, c, c.span()))) != null);
            if (!always) continue;
            if (deny.unless() != null) {
                List<Expr> letThrough = new ArrayList<>(parts.positive());
                letThrough.add(deny.unless());
                if (solver.contradiction(letThrough) == null) continue;
            }
            diagnostics.report(Diagnostic.warning(Code.DENIES_EVERY_INTENT, deny.span(),
                    "invariant `" + inv.name().text() + "` denies every `" + deny.intent().text() + "` intent: "
                            + (deny.where() == null ? "" : "its `where` always holds") + (deny.where() != null && deny.unless() != null ? " and " : "")
                            + (deny.unless() == null ? "" : "its `unless` never does")));
        }
    }
}
