package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.load.ActionPolicy;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import charter.engine.store.Outbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the `connectors:` block and the Program's `approval by` combine, checked on every combination of
 * a tool's mode (or none), an `intent:` entry (or none), who planned the action, and the Program's
 * approvers, against the rule as docs/act/outbox.md states it.
 */
class ApprovalAdmissionTest {
    static final List<List<String>> BY_PROGRAM = List.of(List.of(), List.of("alice"), List.of("team:platform", "bob"), List.of("nobody"));

    @Test
    void everyCombinationIsPlacedAsTheOutboxPageSays() {
        List<ActionPolicy.Rule> toolRules = new ArrayList<>();
        toolRules.add(null);   // a tool the block does not name
        toolRules.add(new ActionPolicy.Rule(ActionPolicy.Mode.LIVE, List.of()));
        toolRules.add(new ActionPolicy.Rule(ActionPolicy.Mode.RECORD, List.of()));
        toolRules.add(new ActionPolicy.Rule(ActionPolicy.Mode.APPROVAL, List.of("team:platform", "carol")));
        int checked = 0;
        for (ActionPolicy.Rule toolRule : toolRules) {
            for (boolean intentEntry : List.of(false, true)) {
                Map<String, ActionPolicy.Rule> rules = new java.util.HashMap<>();
                if (toolRule != null) rules.put("slack.post", toolRule);
                ActionPolicy.Rule entry = new ActionPolicy.Rule(ActionPolicy.Mode.APPROVAL, List.of("dave"));
                if (intentEntry) rules.put("intent:rollback", entry);
                ApprovalAdmission admission = new ApprovalAdmission(new ActionPolicy(rules));
                for (boolean byIntent : List.of(false, true)) {
                    for (List<String> byProgram : BY_PROGRAM) {
                        Outbox.Placement placed = admission.place(action(byIntent, byProgram));
                        // The block's word for this action: the intent's entry when it has one, else the tool's (none: record).
                        ActionPolicy.Rule block = byIntent && intentEntry ? entry : toolRule == null ? ActionPolicy.DEFAULT : toolRule;
                        Outbox.Placement expected = switch (block.mode()) {
                            case RECORD -> new Outbox.Placement(Outbox.State.RECORDED, List.of());
                            case LIVE -> byProgram.isEmpty() ? new Outbox.Placement(Outbox.State.PLANNED, List.of())
                                    : new Outbox.Placement(Outbox.State.AWAITING_APPROVAL, byProgram);
                            case APPROVAL -> new Outbox.Placement(Outbox.State.AWAITING_APPROVAL, union(block.approvers(), byProgram));
                        };
                        assertEquals(expected, placed, "tool rule " + toolRule + ", intent entry " + intentEntry + ", by intent " + byIntent
                                + ", Program " + byProgram);
                        checked++;
                    }
                }
            }
        }
        assertEquals(4 * 2 * 2 * BY_PROGRAM.size(), checked);
    }

    /** The block's approvers, then the Program's; "nobody" from the Program counts only when no one else is named. */
    private static List<String> union(List<String> block, List<String> program) {
        LinkedHashSet<String> out = new LinkedHashSet<>(block);
        if (!program.equals(List.of("nobody"))) out.addAll(program);
        return List.copyOf(out);
    }

    private static TimelineEntry.PlannedAction action(boolean byIntent, List<String> approvers) {
        Provenance provenance = byIntent
                ? new Provenance(Provenance.Kind.INTENT, "rollback", null, List.of(), "int-1", "v1")
                : new Provenance(Provenance.Kind.RULE, "page", null, List.of("e1"), null, "v1");
        return new TimelineEntry.PlannedAction(Instant.parse("2026-01-01T00:00:00Z"), "act-1", "slack.post", Map.of("text", "x"), 0,
                provenance, approvers);
    }
}
