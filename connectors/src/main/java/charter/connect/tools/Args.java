package charter.connect.tools;

import charter.connect.ActionRequest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** Typed reading of an action's arguments, with a message naming the tool and the argument when one is wrong. */
final class Args {
    private final ActionRequest request;

    Args(ActionRequest request) {
        this.request = request;
    }

    String string(String name) {
        return optString(name).orElseThrow(() -> new InvalidAction(request.tool() + ": argument '" + name + "' is missing"));
    }

    Optional<String> optString(String name) {
        Object value = request.args().get(name);
        if (value == null) return Optional.empty();
        if (value instanceof Number n) return Optional.of(plain(n));
        String text = value.toString();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    long integer(String name) {
        return optInteger(name).orElseThrow(() -> new InvalidAction(request.tool() + ": argument '" + name + "' is missing"));
    }

    Optional<Long> optInteger(String name) {
        Object value = request.args().get(name);
        if (value == null) return Optional.empty();
        try {
            BigDecimal number = value instanceof Number n ? new BigDecimal(plain(n)) : new BigDecimal(value.toString().trim());
            return Optional.of(number.longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            throw new InvalidAction(request.tool() + ": argument '" + name + "' must be a whole number, not " + value);
        }
    }

    List<String> strings(String name) {
        Object value = request.args().get(name);
        if (value == null) return List.of();
        if (value instanceof List<?> list) return list.stream().map(String::valueOf).toList();
        return List.of(value.toString());
    }

    /** "owner/name", split, each part checked so that it cannot leave its path segment. */
    String[] repo(String name) {
        String repo = string(name);
        String[] parts = repo.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank())
            throw new InvalidAction(request.tool() + ": argument '" + name + "' must be owner/name, not '" + repo + "'");
        return parts;
    }

    private static String plain(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d)) return Long.toString((long) d);
            return BigDecimal.valueOf(d).toPlainString();
        }
        if (n instanceof BigDecimal b) return b.stripTrailingZeros().toPlainString();
        return n.toString();
    }
}
