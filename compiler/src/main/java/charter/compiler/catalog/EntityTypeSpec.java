package charter.compiler.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An entity type: how its key is formed (human-readable), an example key, its attributes. */
public record EntityTypeSpec(String name, String description, String keyFormat, String example,
        Map<String, FieldSpec> attributes) {
    public EntityTypeSpec {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        keyFormat = keyFormat == null ? "" : keyFormat;
        example = example == null ? "" : example;
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
