package charter.engine.reference;

import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import java.time.Instant;
import java.util.Map;

/** What a binding of the reference interpreter holds: an event of the history, the intent being decided, or an entity's state now. */
sealed interface Fact {

    /**
     * One input event. {@code seq} is its place in the history: two deliveries of one event id are two facts,
     * and a fact is "the same" as another only when their seq is equal.
     */
    record Event(int seq, CanonicalEvent event, int significance) implements Fact {
        long millis() {
            return event.time().toEpochMilli();
        }

        Object field(String name) {
            return switch (name) {
                case "id" -> event.id();
                case "source" -> event.source();
                case "type" -> event.type();
                case "time" -> event.time();
                case "significance" -> (double) significance;
                default -> event.data().get(name);
            };
        }
    }

    record Intent(IntentRequest request) implements Fact {
        Object field(String name) {
            return switch (name) {
                case "id" -> request.id();
                case "actor" -> request.actor();
                case "reason" -> request.reason();
                case "time" -> request.time();
                default -> request.params().get(name);
            };
        }
    }

    /** An entity as the events so far describe it. */
    record Entity(String type, String key, Instant firstSeen, Instant lastSeen, int occurrences,
                  Map<String, Object> attributes) implements Fact {
        Object field(String name) {
            return switch (name) {
                case "key" -> key;
                case "type" -> type;
                case "first_seen" -> firstSeen;
                case "last_seen" -> lastSeen;
                case "occurrences" -> (double) occurrences;
                default -> attributes.get(name);
            };
        }
    }

    static Object field(Fact fact, String name) {
        return switch (fact) {
            case Event e -> e.field(name);
            case Intent i -> i.field(name);
            case Entity n -> n.field(name);
        };
    }
}
