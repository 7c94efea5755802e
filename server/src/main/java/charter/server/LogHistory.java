package charter.server;

import charter.engine.event.CanonicalEvent;
import charter.engine.store.EventStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's processed events read back from its durable log, to rebuild an engine's state (on
 * start, and on a swap to a new Program version). Pages through the log in order and keeps the
 * <em>newest</em> {@code max} events: when there are more, the oldest are the ones left out (and
 * that is logged), never the most recent, which the open windows need most.
 */
final class LogHistory {
    private static final Logger LOG = LoggerFactory.getLogger(LogHistory.class);

    private final EventStore log;
    private final String tenant;
    private final int max;
    private final int page;

    LogHistory(EventStore log, String tenant, int max, int page) {
        this.log = log;
        this.tenant = tenant;
        this.max = max;
        this.page = page;
    }

    /** The logged events up to sequence {@code upTo} whose event time is at or after {@code since}, in log order. */
    List<CanonicalEvent> processed(Instant since, long upTo) {
        ArrayDeque<CanonicalEvent> newest = new ArrayDeque<>();
        long after = 0;
        long left = 0;
        while (true) {
            List<EventStore.StoredEvent> events = log.events(tenant, new EventStore.EventQuery(since, null, null, after, page));
            for (EventStore.StoredEvent s : events) {
                if (s.sequence() > upTo) break;
                newest.addLast(s.event());
                if (newest.size() > max) {
                    newest.removeFirst();
                    left++;
                }
            }
            if (events.size() < page || events.getLast().sequence() >= upTo) break;
            after = events.getLast().sequence();
        }
        if (left > 0) {
            LOG.warn("tenant={} state rebuilt from the newest {} events up to log sequence {}; {} older events within "
                    + "the Program's windows were left out", tenant, max, upTo, left);
        }
        return new ArrayList<>(newest);
    }
}
