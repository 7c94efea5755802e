package charter.facts;

import java.util.Objects;

/**
 * Marker fact that makes a counting rule fire once per threshold crossing: the counting rule
 * requires {@code not CountLatch(rule == N)} and inserts one when it fires; a companion reset
 * rule deletes it when the count drops below the threshold again. {@code group} is optional
 * (for counts grouped by a key) and is {@code null} otherwise. A plain fact, not an event.
 */
public final class CountLatch {
    private final int rule;
    private final String group;

    public CountLatch(int rule) {
        this(rule, null);
    }

    public CountLatch(int rule, String group) {
        this.rule = rule;
        this.group = group;
    }

    public int getRule() { return rule; }
    public String getGroup() { return group; }

    @Override
    public boolean equals(Object o) {
        return o instanceof CountLatch c && c.rule == rule && Objects.equals(c.group, group);
    }

    @Override
    public int hashCode() {
        return 31 * rule + Objects.hashCode(group);
    }

    @Override
    public String toString() {
        return "CountLatch[" + rule + (group == null ? "" : " " + group) + "]";
    }
}
