package charter.compiler.eval;

import charter.compiler.builtins.TeamValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The value semantics of the language in one place. A missing value (null, a field
 * the event does not carry) makes every comparison false except `!=`, so a rule
 * never fires because of data that is not there.
 */
public final class Values {
    private Values() {}

    public static boolean equal(Object a, Object b) {
        if (a == null || b == null) return false;
        if (a instanceof TeamValue t) return teamEquals(t, b);
        if (b instanceof TeamValue t) return teamEquals(t, a);
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        return Objects.equals(a, b);
    }

    private static boolean teamEquals(TeamValue team, Object other) {
        if (other instanceof TeamValue o) return team.id().equals(o.id());
        return other instanceof String s && team.id().equals(s);
    }

    /** Compares numbers, times, durations or strings; null when either side is missing or they do not compare. */
    public static Integer compare(Object a, Object b) {
        if (a == null || b == null) return null;
        if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue());
        if (a instanceof Instant x && b instanceof Instant y) return x.compareTo(y);
        if (a instanceof Duration x && b instanceof Duration y) return x.compareTo(y);
        if (a instanceof String x && b instanceof String y) return x.compareTo(y);
        return null;
    }

    public static boolean truthy(Object v) {
        return v instanceof Boolean b && b;
    }

    public static boolean present(Object v) {
        if (v == null) return false;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof List<?> l) return !l.isEmpty();
        if (v instanceof TeamValue t) return !t.isNobody();
        return true;
    }

    /** How a value reads inside an interpolated string or an action argument shown to people. */
    public static String text(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder out = new StringBuilder();
            for (Object o : list) {
                if (!out.isEmpty()) out.append(", ");
                out.append(text(o));
            }
            return out.toString();
        }
        if (v instanceof Duration d) return d.toMillis() % 60_000 == 0 ? d.toMinutes() + "m" : d.toMillis() + "ms";
        return v.toString();
    }
}
