package charter.facts;

import java.util.HashMap;
import java.util.Map;

/**
 * A thing events talk about — a deployment, a pull request, a repository — as rules
 * see it now: its type and key, when it was first and last mentioned, how often, and
 * its attributes as the claims that won under the Program's `truth` rules. Not an event: it does not expire,
 * and the engine updates it in place as events mention it.
 */
public final class EntityFact {
    private final String type;
    private final String key;
    private final long firstSeen;
    private long lastSeen;
    private int occurrences;
    private final Map<String, Object> attributes = new HashMap<>();
    private final Map<String, String> sources = new HashMap<>();

    public EntityFact(String type, String key, long firstSeen) {
        this.type = type;
        this.key = key;
        this.firstSeen = firstSeen;
        this.lastSeen = firstSeen;
    }

    public String getType() { return type; }
    public String getKey() { return key; }
    public long getFirstSeen() { return firstSeen; }
    public long getLastSeen() { return lastSeen; }
    public int getOccurrences() { return occurrences; }

    /** Records one more mention at `time`. */
    public void mention(long time) {
        lastSeen = Math.max(lastSeen, time);
        occurrences++;
    }

    /** Sets an attribute to a claim that won (the caller applies the Program's truth rules). */
    public void claim(String attribute, Object value, String source) {
        attributes.put(attribute, value);
        sources.put(attribute, source);
    }

    /** The source whose claim the attribute's current value is, or null when nothing claimed it. */
    public String sourceOf(String attribute) {
        return sources.get(attribute);
    }

    /** `key`, `type`, `first_seen`, `last_seen`, `occurrences`, or an attribute. */
    public Object get(String field) {
        return switch (field) {
            case "key" -> key;
            case "type" -> type;
            case "first_seen" -> firstSeen;
            case "last_seen" -> lastSeen;
            case "occurrences" -> (double) occurrences;
            default -> attributes.get(field);
        };
    }

    @Override
    public String toString() {
        return "EntityFact[" + type + ":" + key + "]";
    }
}
