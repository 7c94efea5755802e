package charter.engine.reference;

import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.List;

/**
 * What an explanation looks at: the events the question needs (its slice of the inputs) as the
 * reference interpreter holds them, the evaluator over them, what the focused run produced, and
 * the end of the inputs (windows closing later are not decided).
 */
record Scene(History history, Patterns patterns, Probe probe, List<TimelineEntry> timeline, Instant end) {

    /** The first fact of the history delivered with this event id. */
    Fact.Event event(String id) {
        for (Fact.Event e : history.events()) if (e.event().id().equals(id)) return e;
        throw new IllegalStateException("event " + id + " is not in the explanation's slice");
    }

    /** The facts a pattern's type can bind: events of an event type, entities of an entity type. */
    List<? extends Fact> facts(String type) {
        if (type.contains(".")) return history.events(type);
        return history.entities().stream().filter(n -> n.type().equals(type)).toList();
    }
}
