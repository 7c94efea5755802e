package charter.compiler.passes;

import charter.compiler.CompiledProgram;
import charter.compiler.build.DrlKieBaseBuilder;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.generate.GeneratedDrl;

/**
 * Pass 9, build: the linked Program's DRL to a KieBase, which is what a Drools session runs.
 * The costliest pass; callers that only inspect or interpret the Program stop before it. A
 * Drools error here is a bug of the compiler, reported as such with the Program construct it
 * came from, never as Drools text for the user to decode.
 */
public final class BuildPass implements Pass<CompiledProgram, CompiledProgram> {
    private static final java.util.regex.Pattern DRL_LINE = java.util.regex.Pattern.compile("DRL line (\\d+)");
    private final DrlKieBaseBuilder kieBaseBuilder = new DrlKieBaseBuilder();

    @Override
    public String name() {
        return "build";
    }

    @Override
    public CompiledProgram run(CompiledProgram linked, Diagnostics diagnostics) {
        GeneratedDrl generated = linked.drl();
        var outcome = kieBaseBuilder.build(generated.drl());
        if (outcome.kieBase() == null) {
            for (String error : outcome.errors()) {
                var line = DRL_LINE.matcher(error);
                var entry = line.lookingAt() ? generated.entryForLine(Integer.parseInt(line.group(1))) : null;
                String where = entry == null ? "" : " (generated from `" + entry.ownerId() + "`)";
                diagnostics.report(Diagnostic.error(Code.INTERNAL, entry == null ? null : entry.span(),
                        "internal compiler error: Drools rejected the generated DRL" + where + ": " + error
                                + " — this is a bug in Charter, not in your Program; please report it with `charter compile` output"));
            }
            linked.functions().close();   // the linked Program is dropped: its JavaScript sandboxes with it
            return null;
        }
        return linked.withKieBase(outcome.kieBase());
    }
}
