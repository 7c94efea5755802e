package charter.compiler.validate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A finite set of values that stands for every value a field can hold at run time, for the
 * constants that conditions on it mention: missing; the empty string, each string constant and
 * one string equal to none; each number constant, the next doubles on either side and a number
 * between each two neighbours; true and false; an empty and a non-empty list; and a value of no
 * other kind (an object, a time). Conditions on one field compare it with constants only by
 * equality, by number order, by membership and by presence, so a condition that holds for some
 * value holds for one of these: when none satisfies the conditions, no value does.
 */
final class Witnesses {
    private Witnesses() {}

    static List<Object> of(Set<Object> constants) {
        List<Object> out = new ArrayList<>();
        out.add(null);
        Set<String> strings = new LinkedHashSet<>();
        strings.add("");
        TreeSet<Double> numbers = new TreeSet<>();
        for (Object c : constants) {
            if (c instanceof String s) strings.add(s);
            if (c instanceof Double d) numbers.add(d);
        }
        String fresh = "fresh";
        while (strings.contains(fresh)) fresh = fresh + "'";
        out.addAll(strings);
        out.add(fresh);
        TreeSet<Double> points = new TreeSet<>();
        if (numbers.isEmpty()) points.add(0.0);
        Double previous = null;
        for (double n : numbers) {
            points.add(n);
            points.add(Math.nextUp(n));
            points.add(Math.nextDown(n));
            if (previous != null) points.add(previous + (n - previous) / 2);
            previous = n;
        }
        out.addAll(points);
        out.add(Boolean.TRUE);
        out.add(Boolean.FALSE);
        out.add(List.of());
        out.add(List.of(fresh));
        out.add(Map.of(fresh, fresh));
        return out;
    }
}
