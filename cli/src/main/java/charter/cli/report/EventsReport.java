package charter.cli.report;

import charter.engine.store.EventStore;
import java.util.List;

/** `charter events`: stored canonical events in log order, as the query selected them. */
public record EventsReport(String tenant, String data, EventStore.EventQuery query, List<EventStore.StoredEvent> events)
        implements CommandResult {
    public EventsReport {
        events = List.copyOf(events);
    }

    @Override
    public int exitCode() {
        return 0;
    }
}
