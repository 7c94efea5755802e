package charter.compiler.core;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.Span;
import java.util.List;

/**
 * A rule in core form. `matchedBindings` are the Program's names of the facts the
 * rule hands to `out.ruleFired` (in the order of `matchedVars`), which its actions
 * may use; a counting rule hands over the list of counted events instead.
 */
public record CoreRule(int index, String id, String title, Span span, List<CoreElement> when,
                       List<String> matchedVars, List<String> matchedBindings, List<ActionCall> actions) {
    public CoreRule {
        when = List.copyOf(when);
        matchedVars = List.copyOf(matchedVars);
        matchedBindings = List.copyOf(matchedBindings);
        actions = List.copyOf(actions);
    }

    public boolean counting() {
        return when.stream().anyMatch(e -> e instanceof CoreElement.Counted);
    }
}
