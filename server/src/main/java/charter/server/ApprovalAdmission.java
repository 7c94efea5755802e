package charter.server;

import charter.compiler.eval.ApprovalPolicy;
import charter.compiler.load.ActionPolicy;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import charter.engine.store.Outbox;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Places each action the live Program plans in the outbox, from two sources that combine:
 * <ul>
 *   <li>the {@code connectors:} block of {@code charter.yaml}: a {@code record} tool's actions are only
 *       recorded, a {@code live} tool's are sent, an {@code approval} tool's (or an {@code intent:<name>}
 *       entry's) wait for the approvers it lists;</li>
 *   <li>the Program's {@code approval by} clauses, evaluated when the action was planned (its
 *       {@link TimelineEntry.PlannedAction#approvers()}): the action waits whatever the tool's mode, except
 *       for a {@code record} tool, which never sends anything, so there is nothing to approve.</li>
 * </ul>
 * When both ask for approval, anyone either names may approve: the approvers are the union.
 */
record ApprovalAdmission(ActionPolicy policy) implements Outbox.Admission {

    @Override
    public Outbox.Placement place(TimelineEntry.PlannedAction action) {
        boolean byIntent = action.provenance() != null && action.provenance().kind() == Provenance.Kind.INTENT;
        ActionPolicy.Rule rule = policy.of(action.tool(), byIntent ? action.provenance().id() : null);
        List<String> byProgram = action.approvers();
        return switch (rule.mode()) {
            case RECORD -> new Outbox.Placement(Outbox.State.RECORDED, List.of());
            case LIVE -> byProgram.isEmpty() ? new Outbox.Placement(Outbox.State.PLANNED, List.of())
                    : new Outbox.Placement(Outbox.State.AWAITING_APPROVAL, union(List.of(), byProgram));
            case APPROVAL -> new Outbox.Placement(Outbox.State.AWAITING_APPROVAL, union(rule.approvers(), byProgram));
        };
    }

    /** Each approver once, the block's first; the Program's "nobody" only when no one else is named. */
    static List<String> union(List<String> byBlock, List<String> byProgram) {
        Set<String> out = new LinkedHashSet<>(byBlock);
        for (String a : byProgram) if (!a.equals(ApprovalPolicy.NOBODY)) out.add(a);
        return out.isEmpty() && !byProgram.isEmpty() ? List.of(ApprovalPolicy.NOBODY) : new ArrayList<>(out);
    }
}
