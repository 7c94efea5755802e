package charter.compiler.validate;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Name;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.model.ResolvedProgram;
import charter.compiler.passes.Diagnostics;
import java.util.HashMap;
import java.util.Map;

/**
 * CH602: a rule or invariant that is another one up to names ({@link AlphaKey}): it matches the
 * same events and does the same, so one of them is redundant (and a rule plans each action
 * twice under two ids). Reported at the later one, naming the first.
 */
final class DuplicateCheck implements Check {
    @Override
    public void run(ResolvedProgram program, Diagnostics diagnostics) {
        Map<String, Name> seen = new HashMap<>();
        for (Decl.RuleDecl rule : program.rules()) report("rule", rule.name(), AlphaKey.of(rule), seen, diagnostics);
        for (Decl.InvariantDecl inv : program.invariants()) report("invariant", inv.name(), AlphaKey.of(inv), seen, diagnostics);
    }

    private static void report(String kind, Name name, String key, Map<String, Name> seen, Diagnostics diagnostics) {
        Name first = seen.putIfAbsent(key, name);
        if (first == null) return;
        diagnostics.report(Diagnostic.warning(Code.DUPLICATE, name.span(), kind + " `" + name.text() + "` is the same as "
                + kind + " `" + first.text() + "` (" + Quote.place(first.span()) + ") up to names"));
    }
}
