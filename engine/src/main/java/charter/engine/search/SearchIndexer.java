package charter.engine.search;

import charter.engine.store.EventStore;
import java.util.List;

/**
 * Brings a tenant's index up to its log: reads the events after the index's position, in log
 * order, a batch at a time. Run on start (an index that was missing or unreadable is refilled from
 * the beginning), after every append, and by `charter search --data` before it searches.
 */
public final class SearchIndexer {
    static final int BATCH = 2_000;

    private SearchIndexer() {}

    /** Indexes every event of the log after the index's position; returns how many it indexed. */
    public static long catchUp(EventStore log, String tenant, SearchIndex index) {
        long indexed = 0;
        while (true) {
            List<EventStore.StoredEvent> batch = log.events(tenant, new EventStore.EventQuery(null, null, null, index.indexedUpTo(), BATCH));
            if (batch.isEmpty()) return indexed;
            index.add(batch);
            indexed += batch.size();
            if (batch.size() < BATCH) return indexed;
        }
    }
}
