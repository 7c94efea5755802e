package charter.compiler.validate;

import charter.compiler.model.ResolvedProgram;
import charter.compiler.passes.Diagnostics;
import java.util.List;

/** The validator's checks, one class each, run in this order over a Program that has no error. */
public final class Validator {
    private final List<Check> checks = List.of(new NeverHoldsCheck(), new UnlessCheck(), new DeniesEveryIntentCheck(),
            new DeadlineCheck(), new DuplicateCheck());

    public void validate(ResolvedProgram program, Diagnostics diagnostics) {
        for (Check check : checks) check.run(program, diagnostics);
    }
}
