package charter.compiler.core;

import charter.compiler.model.TypedProgram;
import java.util.List;

/**
 * Output of the lower pass: the Program reduced to a small core that maps one to
 * one onto Drools constructs. Every user-written name is gone from here on: facts
 * are variables `$f0, $f1 …`, conditions are numbered entries of {@link #conditions}.
 *
 * @param horizons how long an event of each type can still matter to some window, so
 *                 memory does not grow with history
 */
public record CoreProgram(TypedProgram typed, List<CoreRule> rules, List<CoreGuard> guards,
                          List<CoreStateInvariant> stateInvariants, List<CoreCondition> conditions,
                          EventHorizons horizons) {
    public CoreProgram {
        rules = List.copyOf(rules);
        guards = List.copyOf(guards);
        stateInvariants = List.copyOf(stateInvariants);
        conditions = List.copyOf(conditions);
    }

    /** The longest window of the Program: the generated `@expires`, which bounds every event type. */
    public long eventHorizonMillis() {
        return horizons.longest();
    }
}
