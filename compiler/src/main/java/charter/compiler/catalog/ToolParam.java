package charter.compiler.catalog;

import java.util.Objects;

/** A named parameter of a tool. */
public record ToolParam(String name, FieldType type, boolean required, String description) {
    public ToolParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
    }

    public ToolParam(String name, FieldType type, boolean required) {
        this(name, type, required, "");
    }
}
