package charter.engine.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/** Null-safe navigation of a JSON tree: a missing step or a JSON null gives null. */
final class Json {
    private Json() {}

    /** The node at a path of object keys, or null. */
    static JsonNode at(JsonNode n, String... path) {
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /** A scalar's text (numbers and booleans as written), or null for absent, objects and arrays. */
    static String text(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        if (v == null || v.isContainerNode()) {
            return null;
        }
        String s = v.isTextual() ? v.textValue() : v.asText();
        return s.isEmpty() ? null : s;
    }

    static JsonNode obj(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v != null && v.isObject() ? v : null;
    }

    static String kind(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "null";
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
