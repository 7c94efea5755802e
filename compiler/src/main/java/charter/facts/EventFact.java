package charter.facts;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A normalised event as seen by the rules. Declared in generated DRL as
 * {@code @role(event) @timestamp(time)}; see {@code CONVENTIONS.md} in this package.
 *
 * <p>Immutable: {@code data} and {@code refs} are copied into unmodifiable collections.
 * Data values are {@link String}, {@link Double}, {@link Boolean} or {@code List<String>}.
 * Equality is identity (Drools runs in identity mode), so two deliveries of the same
 * event are two facts; deduplication happens before the engine.
 */
public final class EventFact {
    private final String id;
    private final String source;
    private final String type;
    private final long time;
    private final int significance;
    private final Map<String, Object> data;
    private final List<String> refs;

    /**
     * @param id           stable event id
     * @param source       source system, e.g. {@code "vercel"}
     * @param type         full event type, e.g. {@code "vercel.deployment.error"}
     * @param time         event time, epoch millis (the Drools timestamp)
     * @param significance 0–100
     * @param data         payload fields, taken as given: pass an unmodifiable map (the engine passes
     *                     the canonical event's, so the hot path copies nothing)
     * @param refs         referenced entities as {@code "entityType:key"}, taken as given likewise
     */
    public EventFact(String id, String source, String type, long time, int significance,
                     Map<String, Object> data, List<String> refs) {
        this.id = Objects.requireNonNull(id, "id");
        this.source = Objects.requireNonNull(source, "source");
        this.type = Objects.requireNonNull(type, "type");
        this.time = time;
        this.significance = significance;
        this.data = data == null ? Map.of() : data;
        this.refs = refs == null ? List.of() : refs;
    }

    /** The same event with another significance; shares the payload. */
    public EventFact withSignificance(int newSignificance) {
        return new EventFact(id, source, type, time, newSignificance, data, refs);
    }

    /** Convenience for tests and tools: no refs, significance 0. */
    public static EventFact of(String id, String type, long time, Map<String, Object> data) {
        int dot = type.indexOf('.');
        return new EventFact(id, dot > 0 ? type.substring(0, dot) : type, type, time, 0, Map.copyOf(data), List.of());
    }

    public String getId() { return id; }
    public String getSource() { return source; }
    public String getType() { return type; }
    public long getTime() { return time; }
    public int getSignificance() { return significance; }
    public Map<String, Object> getData() { return data; }
    public List<String> getRefs() { return refs; }

    /**
     * A field by name: the common fields {@code id, source, type, time, significance}
     * (time as a {@link Long}, significance as an {@link Integer}), otherwise the data
     * value, or {@code null} when absent.
     */
    public Object get(String field) {
        return switch (field) {
            case "id" -> id;
            case "source" -> source;
            case "type" -> type;
            case "time" -> time;
            case "significance" -> significance;
            default -> data.get(field);
        };
    }

    @Override
    public String toString() {
        return "EventFact[" + id + " " + type + " @" + time + "]";
    }
}
