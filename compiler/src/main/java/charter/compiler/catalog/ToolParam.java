package charter.compiler.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A named parameter of a tool.
 *
 * @param values the only values the tool's API accepts (from the catalog's {@code values:}), or empty for any
 */
public record ToolParam(String name, FieldType type, boolean required, String description, List<String> values) {
    public ToolParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        values = List.copyOf(values);
    }

    public ToolParam(String name, FieldType type, boolean required, String description) {
        this(name, type, required, description, List.of());
    }

    public ToolParam(String name, FieldType type, boolean required) {
        this(name, type, required, "", List.of());
    }
}
