package charter.engine.event;

import java.util.Objects;

/** A reference from an event to an entity: entity type (from the catalog) and key. */
public record EntityRef(String type, String key) {
    public EntityRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
    }
}
