package charter.cli.render;

import java.util.List;
import java.util.Map;

/** How runtime values (action arguments, intent parameters) read in both renderings. */
final class Values {
    private Values() {}

    /** A value as it reads in text: strings quoted, whole numbers without a fraction, lists in brackets. */
    static String text(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> quote(s);
            case Double d -> number(d);
            case Float f -> number(f.doubleValue());
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case List<?> list -> {
                StringBuilder out = new StringBuilder("[");
                for (int i = 0; i < list.size(); i++) out.append(i == 0 ? "" : ", ").append(text(list.get(i)));
                yield out.append(']').toString();
            }
            case Map<?, ?> map -> {
                StringBuilder out = new StringBuilder("{");
                boolean first = true;
                for (var e : map.entrySet()) {
                    out.append(first ? "" : ", ").append(e.getKey()).append(": ").append(text(e.getValue()));
                    first = false;
                }
                yield out.append('}').toString();
            }
            default -> v.toString();
        };
    }

    static String number(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** A double-quoted string with quotes, backslashes and control characters escaped, so one value stays on one line. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    /** Times and durations as ISO-8601 strings in JSON. */
    static boolean isTemporal(Object v) {
        return charter.engine.json.JsonValues.isTemporal(v);
    }
}
