package charter.engine.event;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Charter's canonical event: one line of a JSONL event file, or one normalised webhook.
 * {@code data} values are String, Double (every number), Boolean, List&lt;String&gt;, or a time
 * as an ISO-8601 String; field names and types come from the catalog's event type.
 * {@code significance} is null when the input did not set it.
 */
public record CanonicalEvent(String id, String source, String type, Instant time, Map<String, Object> data,
        List<EntityRef> entities, Integer significance) {

    public CanonicalEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
        entities = entities == null ? List.of() : List.copyOf(entities);
        if (significance != null && (significance < 0 || significance > 100)) {
            throw new IllegalArgumentException("significance must be 0-100, got " + significance);
        }
    }

    public Object get(String field) {
        return data.get(field);
    }

    public String getString(String field) {
        Object v = data.get(field);
        return v == null ? null : v.toString();
    }
}
