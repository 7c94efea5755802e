package charter.engine.result;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One thing a Program did, at a point in event time. Text and JSON renderings both come from these. */
public sealed interface TimelineEntry {
    Instant time();

    /**
     * An action a rule or an allowed intent plans. In a dry run it is only recorded.
     *
     * @param actionId  the idempotency key: rule + triggering facts + action index, so a replay never plans it twice
     * @param approvers who the Program's `approval by` says must approve it (people by id, {@code team:<id>}),
     *                  evaluated when it was planned; empty when the Program asks for no approval
     */
    record PlannedAction(Instant time, String actionId, String tool, Map<String, Object> args, int actionIndex,
                         Provenance provenance, List<String> approvers) implements TimelineEntry {
        public PlannedAction {
            args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
            // Outputs stored before approvals existed read back without the field.
            approvers = approvers == null ? List.of() : List.copyOf(approvers);
        }

        /** An action no `approval by` covers. */
        public PlannedAction(Instant time, String actionId, String tool, Map<String, Object> args, int actionIndex,
                             Provenance provenance) {
            this(time, actionId, tool, args, actionIndex, provenance, List.of());
        }
    }

    /**
     * How an intent was decided, with every invariant that denied it.
     *
     * @param reason          the reason the sender gave with the intent, or null
     * @param override        null unless a soft denial was overridden by a named actor
     * @param overrideRefused null, or why the override sent with the intent was refused (the Program's
     *                        `override by` does not name that actor); the verdict then stays needs-override
     */
    record Decision(Instant time, String intentId, String intent, String actor, String reason, Map<String, Object> params,
                    Verdict verdict, List<Denial> denials, List<PlannedAction> actions, Override override,
                    String overrideRefused, String programVersion) implements TimelineEntry {
        public Decision {
            params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
            denials = List.copyOf(denials);
            actions = List.copyOf(actions);
        }
    }

    /** A state invariant broken at its deadline, with the facts that prove it. */
    record Violation(Instant time, String invariant, String level, String title, String because,
                     Provenance provenance) implements TimelineEntry {}

    /**
     * An action not planned because an argument written `x ?? skip` found x missing; {@code reason}
     * names the value and the argument. The action id is the one it would have had.
     */
    record SkippedAction(Instant time, String actionId, String tool, int actionIndex, String reason,
                         Provenance provenance) implements TimelineEntry {}

    /** A rule evaluation that failed (bad data, a function error): recorded, and the engine goes on. */
    record RuleError(Instant time, String message, Provenance provenance) implements TimelineEntry {}

    enum Verdict {
        ALLOW, DENY, NEEDS_OVERRIDE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One invariant that denied an intent. */
    record Denial(String invariant, String level, String title, String because, Provenance provenance) {}

    /** A soft denial overridden by a named actor, with the reason they gave. */
    record Override(String actor, String reason) {}
}
