package charter.cli.report;

import charter.engine.ingest.Normalised;
import charter.engine.store.EventStore;
import java.util.List;
import java.util.Map;

/**
 * `charter graph KEY`: every entity with that key (or the one of `type`), each with its
 * resolved attribute values, every claim, its relations in both directions and the events
 * that back them.
 *
 * @param truth how current values were chosen (the Program's truth declarations, or latest claim)
 */
public record GraphReport(String tenant, String data, String key, String type, String truth, List<Node> entities)
        implements CommandResult {
    public GraphReport {
        entities = List.copyOf(entities);
    }

    /**
     * @param resolved  attribute → the winning claim
     * @param citations the events that claimed an attribute or first asserted a relation, in log order
     */
    public record Node(EventStore.EntityView view, Map<String, Normalised.Claim> resolved,
                       List<EventStore.StoredEvent> citations) {}

    @Override
    public int exitCode() {
        return 0;
    }
}
