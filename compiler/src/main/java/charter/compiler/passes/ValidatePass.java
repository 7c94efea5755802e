package charter.compiler.passes;

import charter.compiler.core.CoreProgram;
import charter.compiler.validate.Validator;

/**
 * Pass 5, validate: warnings about parts of the lowered Program that can never do anything (a
 * condition that can never hold, a duplicate rule, a guard that denies everything or nothing, a
 * deadline no event can meet). Sound: it never warns about a condition that can hold. It only
 * warns, so the Program passes through unchanged; `charter check --strict` makes them fail.
 */
public final class ValidatePass implements Pass<CoreProgram, CoreProgram> {
    private final Validator validator = new Validator();

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public CoreProgram run(CoreProgram core, Diagnostics diagnostics) {
        validator.validate(core.typed().program(), diagnostics);
        return core;
    }
}
