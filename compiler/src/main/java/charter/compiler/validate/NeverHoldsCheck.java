package charter.compiler.validate;

import charter.compiler.ast.Decl;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Pattern;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.model.ResolvedProgram;
import charter.compiler.passes.Diagnostics;

/**
 * CH601: a rule whose conditions can never hold together never fires; a guard whose conditions
 * can never hold never denies; a state invariant whose `every` can never match never applies;
 * and a `not …` / `not exists(…)` whose pattern can never match always holds. Each is reported at
 * the condition after which the conjunction cannot hold, naming the one it contradicts.
 */
final class NeverHoldsCheck implements Check {
    @Override
    public void run(ResolvedProgram program, Diagnostics diagnostics) {
        for (Decl.RuleDecl rule : program.rules()) {
            Parts parts = Parts.of(rule);
            if (parts != null) check(parts, "rule `" + rule.name().text() + "` can never fire", diagnostics);
        }
        for (Decl.InvariantDecl inv : program.invariants()) {
            switch (inv.body()) {
                case InvariantBody.DenyGuard deny -> {
                    Parts parts = Parts.of(deny);
                    if (parts != null) check(parts, "invariant `" + inv.name().text() + "` can never deny", diagnostics);
                }
                case InvariantBody.StateGuard state -> {
                    Parts parts = new Parts(new Bindings(), java.util.List.of(), java.util.List.of()).with(state.every());
                    Solver.Contradiction c = parts == null ? null : new Solver(parts.bindings()).contradiction(parts.positive());
                    if (c != null) report(c, "invariant `" + inv.name().text() + "` can never apply", diagnostics);
                }
            }
        }
    }

    /** Reports the conjunction if it never holds, else each absence whose pattern can never match. */
    private static void check(Parts parts, String consequence, Diagnostics diagnostics) {
        Solver.Contradiction c = new Solver(parts.bindings()).contradiction(parts.positive());
        if (c != null) {
            report(c, consequence, diagnostics);
            return;
        }
        for (Pattern absent : parts.absences()) {
            Parts with = parts.with(absent);
            Solver.Contradiction never = with == null ? null : new Solver(with.bindings()).contradiction(with.positive());
            if (never != null) {
                report(never, "`" + absent.type().name() + " " + absent.binding().text()
                        + "` can never match, so its absence always holds", diagnostics);
            }
        }
    }

    static void report(Solver.Contradiction c, String consequence, Diagnostics diagnostics) {
        diagnostics.report(Diagnostic.warning(Code.NEVER_HOLDS, c.culprit().span(), Quote.why(c) + ": " + consequence));
    }
}
