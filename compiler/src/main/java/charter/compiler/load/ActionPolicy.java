package charter.compiler.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the Program's {@code connectors:} block says about carrying out its actions: per tool (or per
 * vendor, every tool of it) whether actions run {@code live}, are only {@code record}ed, or wait
 * for {@code approval} by the people or teams it names; and, per intent ({@code intent:<name>}),
 * approval for everything the intent resolves to. A tool the block does not name is only
 * recorded, so a Program never starts acting on the world by accident.
 *
 * @param rules by tool ({@code pagerduty.page}) or vendor ({@code slack})
 */
public record ActionPolicy(Map<String, Rule> rules) {
    public static final ActionPolicy RECORD_ALL = new ActionPolicy(Map.of());
    public static final Rule DEFAULT = new Rule(Mode.RECORD, List.of());

    public ActionPolicy {
        rules = Map.copyOf(rules);
    }

    public enum Mode {
        LIVE, RECORD, APPROVAL;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Mode> parse(String s) {
            for (Mode m : values()) if (m.keyword().equals(s)) return Optional.of(m);
            return Optional.empty();
        }
    }

    /**
     * @param approvers who may approve: a person's id, or {@code team:<name>} for any member of a team
     */
    public record Rule(Mode mode, List<String> approvers) {
        public Rule {
            approvers = List.copyOf(approvers);
        }
    }

    /** The key of the rule for every action an intent resolves to: {@code intent:<name>}. */
    public static final String INTENT_PREFIX = "intent:";

    /**
     * The rule for an action of a tool, planned by an intent (its name) or a rule (null): the intent's
     * rule when the block names the intent (everything it resolves to waits for approval), else the tool's.
     */
    public Rule of(String tool, String intent) {
        Rule byIntent = intent == null ? null : rules.get(INTENT_PREFIX + intent);
        return byIntent != null ? byIntent : of(tool);
    }

    /** The rule for a tool: its own, else its vendor's, else {@link #DEFAULT}. */
    public Rule of(String tool) {
        Rule own = rules.get(tool);
        if (own != null) return own;
        int dot = tool.indexOf('.');
        Rule vendor = dot < 0 ? null : rules.get(tool.substring(0, dot));
        return vendor != null ? vendor : DEFAULT;
    }
}
