package charter.server.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The input schemas Charter gives its tools, checked on the arguments as the SDK hands them over (a
 * map of Jackson's plain values) instead of through a general JSON Schema validator: an object whose
 * properties are each a string, number, boolean or array of those, some required, no others
 * allowed. A schema with anything more ({@link #of} says so) goes to the general validator.
 * {@code ToolArgumentValidatorTest} holds the two to the same answers.
 */
final class FlatObjectSchema {
    /** JSON Schema's primitive types this check knows, and what a value of each is once Jackson has read it. */
    private enum Type {
        STRING, NUMBER, BOOLEAN;

        static Type of(Object schemaType) {
            return switch (String.valueOf(schemaType)) {
                case "string" -> STRING;
                case "number" -> NUMBER;
                case "boolean" -> BOOLEAN;
                default -> null;
            };
        }

        boolean holds(Object value) {
            return switch (this) {
                case STRING -> value instanceof String;
                case NUMBER -> value instanceof Number;
                case BOOLEAN -> value instanceof Boolean;
            };
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A property: a primitive, or an array (of any items when {@code items} is null). */
    private record Property(Type type, boolean array, Type items) {
        void check(String name, Object value, List<String> problems) {
            if (!array) {
                if (!type.holds(value)) problems.add("/" + name + ": " + found(value) + " found, " + type.label() + " expected");
            } else if (!(value instanceof List<?> list)) {
                problems.add("/" + name + ": " + found(value) + " found, array expected");
            } else if (items != null) {
                for (int i = 0; i < list.size(); i++) {
                    if (!items.holds(list.get(i))) problems.add("/" + name + "/" + i + ": " + found(list.get(i)) + " found, " + items.label() + " expected");
                }
            }
        }
    }

    private static final Set<String> ANNOTATIONS = Set.of("description", "title");

    private final Map<String, Property> properties;
    private final List<String> required;

    private FlatObjectSchema(Map<String, Property> properties, List<String> required) {
        this.properties = properties;
        this.required = required;
    }

    /** The check for this schema, or empty when the schema says more than this class checks. */
    static Optional<FlatObjectSchema> of(Map<String, Object> schema) {
        if (!"object".equals(schema.get("type")) || !Boolean.FALSE.equals(schema.get("additionalProperties"))) return Optional.empty();
        if (!Set.of("type", "properties", "required", "additionalProperties", "description", "title", "$schema").containsAll(schema.keySet())) {
            return Optional.empty();
        }
        if (!(schema.getOrDefault("properties", Map.of()) instanceof Map<?, ?> props)) return Optional.empty();
        Map<String, Property> properties = new LinkedHashMap<>();
        for (var e : props.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof Map<?, ?> p)) return Optional.empty();
            Property property = property(p);
            if (property == null) return Optional.empty();
            properties.put(name, property);
        }
        List<String> required = new ArrayList<>();
        if (!(schema.getOrDefault("required", List.of()) instanceof List<?> names)) return Optional.empty();
        for (Object n : names) {
            if (!(n instanceof String name)) return Optional.empty();
            required.add(name);
        }
        return Optional.of(new FlatObjectSchema(properties, required));
    }

    private static Property property(Map<?, ?> p) {
        for (Object key : p.keySet()) {
            if (!"type".equals(key) && !"items".equals(key) && !ANNOTATIONS.contains(key)) return null;
        }
        if ("array".equals(p.get("type"))) {
            if (p.get("items") == null) return new Property(null, true, null);
            if (!(p.get("items") instanceof Map<?, ?> items) || !Set.of("type").containsAll(items.keySet())) return null;
            Type t = Type.of(items.get("type"));
            return t == null ? null : new Property(null, true, t);
        }
        Type t = Type.of(p.get("type"));
        return t == null || p.containsKey("items") ? null : new Property(t, false, null);
    }

    /** What is wrong with these arguments (a JSON object read into a map), in JSON Schema's terms; empty when nothing is. */
    List<String> problems(Map<?, ?> arguments) {
        List<String> problems = new ArrayList<>();
        for (String name : required) {
            if (!arguments.containsKey(name)) problems.add(": required property '" + name + "' not found");
        }
        for (var e : arguments.entrySet()) {
            Property p = properties.get(String.valueOf(e.getKey()));
            if (p == null) {
                problems.add(": property '" + e.getKey() + "' is not defined in the schema and the schema does not allow additional properties");
                continue;
            }
            p.check(String.valueOf(e.getKey()), e.getValue(), problems);
        }
        return problems;
    }

    /** A value's JSON type, as JSON Schema names it. */
    static String found(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "string";
            case Boolean b -> "boolean";
            case Integer i -> "integer";
            case Long l -> "integer";
            case java.math.BigInteger b -> "integer";
            case Number n -> "number";
            case List<?> l -> "array";
            case Map<?, ?> m -> "object";
            default -> value.getClass().getSimpleName();
        };
    }
}
