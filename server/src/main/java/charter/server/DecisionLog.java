package charter.server;

import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tenant's audit log of decisions: every recorded decision and every override, numbered in
 * the order they were made. In memory for now (a server restart forgets it; the store has no
 * decisions table yet).
 */
final class DecisionLog {
    /**
     * @param overrides for an override, the sequence of the decision it overrode, else 0
     */
    record Recorded(long sequence, Instant recordedAt, IntentRequest request, TimelineEntry.Decision decision, long overrides) {}

    private final List<Recorded> entries = new ArrayList<>();
    private final Map<String, Recorded> latestByIntent = new HashMap<>();

    synchronized Recorded record(IntentRequest request, TimelineEntry.Decision decision, long overrides) {
        Recorded r = new Recorded(entries.size() + 1, Instant.now(), request, decision, overrides);
        entries.add(r);
        latestByIntent.put(request.id(), r);
        return r;
    }

    synchronized boolean contains(String intentId) {
        return latestByIntent.containsKey(intentId);
    }

    /** The latest recorded decision for an intent id (the override, once there is one). */
    synchronized Optional<Recorded> latest(String intentId) {
        return Optional.ofNullable(latestByIntent.get(intentId));
    }

    synchronized List<Recorded> page(long after, int limit) {
        int from = (int) Math.min(Math.max(after, 0), entries.size());
        return List.copyOf(entries.subList(from, Math.min(entries.size(), from + limit)));
    }
}
