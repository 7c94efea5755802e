package charter.facts;

import java.util.HashMap;
import java.util.Map;

/**
 * A thing events talk about — a deployment, a pull request, a repository — as rules
 * see it now: its type and key, when it was first and last mentioned, how often, and
 * its attributes as the latest claims made them. Not an event: it does not expire,
 * and the engine updates it in place as events mention it.
 */
public final class EntityFact {
    private final String type;
    private final String key;
    private final long firstSeen;
    private long lastSeen;
    private int occurrences;
    private final Map<String, Object> attributes = new HashMap<>();

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

    /** Records one more mention at `time`, with the attribute values that mention claims. */
    public void mention(long time, Map<String, Object> claims) {
        lastSeen = Math.max(lastSeen, time);
        occurrences++;
        claims.forEach((k, v) -> {
            if (v != null) attributes.put(k, v);
        });
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
