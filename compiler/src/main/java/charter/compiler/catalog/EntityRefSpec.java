package charter.compiler.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * An entity an event type refers to: the entity type, and a key template over the event's fields,
 * e.g. {@code "{repo}#{number}"}. {@code role} tells apart several references of one type
 * (author, assignee, head …); it is empty when there is only one.
 */
public record EntityRefSpec(String type, String key, String role) {
    public EntityRefSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        role = role == null ? "" : role;
    }

    /** The field names the key template uses, in order. */
    public List<String> keyFields() {
        List<String> out = new ArrayList<>();
        int i = 0;
        while ((i = key.indexOf('{', i)) >= 0) {
            int end = key.indexOf('}', i);
            if (end < 0) {
                break;
            }
            out.add(key.substring(i + 1, end));
            i = end + 1;
        }
        return List.copyOf(out);
    }

    /**
     * Renders the key from field values; empty when a field the template needs is absent or
     * blank. Integral numbers render without a decimal point (42, not 42.0).
     */
    public Optional<String> render(Function<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < key.length()) {
            int open = key.indexOf('{', i);
            if (open < 0) {
                sb.append(key, i, key.length());
                break;
            }
            int close = key.indexOf('}', open);
            sb.append(key, i, open);
            Object v = values.apply(key.substring(open + 1, close));
            String s = valueText(v);
            if (s == null || s.isBlank()) {
                return Optional.empty();
            }
            sb.append(s);
            i = close + 1;
        }
        return Optional.of(sb.toString());
    }

    private static String valueText(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return Double.toString(d);
        }
        return v.toString();
    }
}
