package charter.engine.json;

import charter.compiler.ast.Span;
import charter.compiler.diag.Diagnostic;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How runtime values, source spans and times read in every JSON rendering (the CLI's
 * {@code --format json} and the server's API), so the two can never disagree.
 */
public final class JsonValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {}

    /** A runtime value: whole doubles as integers, lists and maps recursively, times as ISO strings, anything else as text. */
    public static JsonNode value(Object v) {
        return switch (v) {
            case null -> NODES.nullNode();
            case String s -> NODES.textNode(s);
            case Double d when d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15 -> NODES.numberNode(d.longValue());
            case Double d when d.isNaN() || d.isInfinite() -> NODES.textNode(d.toString());
            case Double d -> NODES.numberNode(d);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Number n -> NODES.numberNode(n.doubleValue());
            case Boolean b -> NODES.booleanNode(b);
            case List<?> list -> {
                ArrayNode out = NODES.arrayNode();
                list.forEach(o -> out.add(value(o)));
                yield out;
            }
            case Map<?, ?> m -> {
                ObjectNode out = NODES.objectNode();
                m.forEach((k, o) -> out.set(String.valueOf(k), value(o)));
                yield out;
            }
            default -> NODES.textNode(isTemporal(v) ? v.toString() : charter.compiler.eval.Values.text(v));
        };
    }

    /** A map of runtime values (action arguments, intent parameters, event data), keys in their order. */
    public static ObjectNode map(Map<String, Object> values) {
        ObjectNode out = NODES.objectNode();
        values.forEach((k, v) -> out.set(k, value(v)));
        return out;
    }

    /** file, line, column, endLine, endColumn; all null when there is no span. */
    public static void span(ObjectNode node, Span span) {
        node.put("file", span == null ? null : span.file());
        if (span == null) {
            node.putNull("line");
            node.putNull("column");
            node.putNull("endLine");
            node.putNull("endColumn");
        } else {
            node.put("line", span.line());
            node.put("column", span.column());
            node.put("endLine", span.endLine());
            node.put("endColumn", span.endColumn());
        }
    }

    /** A compiler diagnostic: severity, code, message, its span's fields, and the did-you-mean suggestion (or null). */
    public static ObjectNode diagnostic(Diagnostic d) {
        ObjectNode node = NODES.objectNode();
        node.put("severity", d.severity().label());
        node.put("code", d.code().id());
        node.put("message", d.message());
        span(node, d.span());
        node.put("suggestion", d.suggestion());
        if (!d.code().help().isEmpty()) node.put("help", d.code().help());
        return node;
    }

    /** An instant as ISO-8601 UTC, or null. */
    public static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Times and durations are ISO-8601 strings in JSON. */
    public static boolean isTemporal(Object v) {
        return v instanceof Instant || v instanceof Duration;
    }
}
