package charter.compiler.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An event type of the catalog. {@code fields} holds the common fields first (id, source, type,
 * time, significance) then the type's own, in catalog order; {@code dataFields} the type's own
 * alone (the keys an event's {@code data} may have), derived from {@code fields} once, since
 * ingest asks for them at every event.
 */
public record EventTypeSpec(String name, String source, String description, int defaultSignificance,
        Map<String, FieldSpec> fields, List<EntityRefSpec> entities, Map<String, FieldSpec> dataFields) {

    /** Names of the fields every event has, whatever its type. */
    public static final List<String> COMMON_FIELDS = List.of("id", "source", "type", "time", "significance");

    public EventTypeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        description = description == null ? "" : description;
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        entities = List.copyOf(entities);
        Map<String, FieldSpec> own = new LinkedHashMap<>(fields);
        COMMON_FIELDS.forEach(own::remove);
        dataFields = Collections.unmodifiableMap(own);   // always derived: what is passed is ignored
    }

    public EventTypeSpec(String name, String source, String description, int defaultSignificance,
                         Map<String, FieldSpec> fields, List<EntityRefSpec> entities) {
        this(name, source, description, defaultSignificance, fields, entities, Map.of());
    }

    public Optional<FieldSpec> field(String fieldName) {
        return Optional.ofNullable(fields.get(fieldName));
    }

    /** The part after the source: {@code deployment.error} for {@code vercel.deployment.error}. */
    public String localName() {
        return name.substring(source.length() + 1);
    }
}
