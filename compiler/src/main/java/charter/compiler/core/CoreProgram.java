package charter.compiler.core;

import charter.compiler.model.TypedProgram;
import java.util.List;

/**
 * Output of the lower pass: the Program reduced to a small core that maps one to
 * one onto Drools constructs. Every user-written name is gone from here on: facts
 * are variables `$f0, $f1 …`, conditions are numbered entries of {@link #conditions}.
 *
 * @param eventHorizonMillis how long an event can still matter to some window: the
 *                           generated `@expires`, so memory does not grow with history
 */
public record CoreProgram(TypedProgram typed, List<CoreRule> rules, List<CoreGuard> guards,
                          List<CoreStateInvariant> stateInvariants, List<CoreCondition> conditions,
                          long eventHorizonMillis) {
    public CoreProgram {
        rules = List.copyOf(rules);
        guards = List.copyOf(guards);
        stateInvariants = List.copyOf(stateInvariants);
        conditions = List.copyOf(conditions);
    }
}
