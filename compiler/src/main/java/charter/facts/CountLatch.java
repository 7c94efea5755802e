package charter.facts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Marker fact that makes a counting rule fire once per threshold crossing: the counting rule
 * requires {@code not CountLatch(rule == N)} and inserts one when it fires; a companion reset
 * rule deletes it when the count drops below the threshold again. {@code group} is the key of a
 * count grouped with `by` ({@link #key}), and {@code null} otherwise. A plain fact, not an event.
 */
public final class CountLatch {
    private final int rule;
    private final Object group;

    public CountLatch(int rule) {
        this(rule, null);
    }

    public CountLatch(int rule, Object group) {
        this.rule = rule;
        this.group = group;
    }

    public int getRule() { return rule; }
    public Object getGroup() { return group; }

    /**
     * The group of an event under a count's `by` fields, from their values in order: equal
     * exactly when the language's `==` holds field by field (numbers by value, so 3 and 3.0
     * are one group; a number never equals a string). Null when a value is missing.
     */
    public static List<Object> key(Object... values) {
        if (values == null) return null;   // one missing value, passed as a null array
        List<Object> out = new ArrayList<>(values.length);
        for (Object v : values) {
            if (v == null) return null;
            out.add(v instanceof Number n && !(v instanceof Double) ? (Object) n.doubleValue() : v);
        }
        return Collections.unmodifiableList(out);
    }

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
