package charter.compiler.validate;

import charter.compiler.ast.Decl;
import charter.compiler.ast.InvariantBody;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.model.ResolvedProgram;
import charter.compiler.passes.Diagnostics;
import java.util.List;

/**
 * CH605: a state invariant `every P p … has Q q where … within D after p` whose `has` condition
 * can never hold together with the `every` one: no event can ever meet the deadline, so every P
 * becomes a violation. (An `every` that never matches is CH601's.)
 */
final class DeadlineCheck implements Check {
    @Override
    public void run(ResolvedProgram program, Diagnostics diagnostics) {
        for (Decl.InvariantDecl inv : program.invariants()) {
            if (!(inv.body() instanceof InvariantBody.StateGuard state)) continue;
            Parts every = new Parts(new Bindings(), List.of(), List.of()).with(state.every());
            if (every == null || new Solver(every.bindings()).contradiction(every.positive()) != null) continue;
            Parts both = every.with(state.has());
            Solver.Contradiction c = both == null ? null : new Solver(both.bindings()).contradiction(both.positive());
            if (c == null) continue;
            diagnostics.report(Diagnostic.warning(Code.DEADLINE_NEVER_MATCHES, c.culprit().span(), Quote.why(c)
                    + ": no `" + state.has().type().name() + "` can ever meet the deadline of invariant `" + inv.name().text()
                    + "`, so every matching `" + state.every().type().name() + "` is a violation"));
        }
    }
}
