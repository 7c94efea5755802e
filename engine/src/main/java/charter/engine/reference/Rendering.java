package charter.engine.reference;

import charter.compiler.builtins.TeamValue;
import java.time.Duration;
import java.util.List;

/** How values read in interpolated text and as planned action arguments. */
final class Rendering {
    private Rendering() {}

    /** Text: a missing value is empty, whole numbers have no decimals, lists are comma separated. */
    static String text(Object v) {
        return switch (v) {
            case null -> "";
            case Double d -> whole(d) ? Long.toString(d.longValue()) : d.toString();
            case List<?> list -> String.join(", ", list.stream().map(Rendering::text).toList());
            case Duration d -> d.toMillis() % 60_000 == 0 ? d.toMinutes() + "m" : d.toMillis() + "ms";
            case TeamValue t -> t.isNobody() ? "nobody" : t.id();
            default -> v.toString();
        };
    }

    /** An action argument: JSON-friendly (whole numbers as longs; times, durations and teams as text). */
    static Object argument(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Double d -> whole(d) ? (Object) d.longValue() : d;
            case List<?> list -> list.stream().map(Rendering::argument).toList();
            default -> text(v);
        };
    }

    private static boolean whole(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15;
    }
}
