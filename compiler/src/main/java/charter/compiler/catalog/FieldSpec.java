package charter.compiler.catalog;

import java.util.Objects;

/** A typed field of an event type (or attribute of an entity type). */
public record FieldSpec(String name, FieldType type, String description) {
    public FieldSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
    }
}
