package charter.compiler.validate;

import charter.compiler.model.ResolvedProgram;
import charter.compiler.passes.Diagnostics;

/** One of the validator's checks: reports warnings, never errors, so a Program it doubts still runs. */
interface Check {
    void run(ResolvedProgram program, Diagnostics diagnostics);
}
