package charter.server.act;

import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import charter.engine.store.EventStore;
import charter.engine.store.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Planned actions for tests, recorded into a store's outbox as the live server records them. */
final class Actions {
    private Actions() {}

    static TimelineEntry.PlannedAction action(String id, String tool) {
        return new TimelineEntry.PlannedAction(Instant.parse("2026-01-01T00:00:00Z"), id, tool, Map.of("text", "hello " + id), 0,
                new Provenance(Provenance.Kind.RULE, "test_rule", null, List.of("event-" + id), null, "v1"));
    }

    /** Records these actions of {@code tool} with the given first state. */
    static List<String> plan(EventStore store, String tenant, String tool, int n, String prefix, Outbox.State state) {
        return plan(store, tenant, tool, n, prefix, state, Outbox.Intake.NONE);
    }

    /** As above, {@code intake} taking at once what it has room for (as the live server records). */
    static List<String> plan(EventStore store, String tenant, String tool, int n, String prefix, Outbox.State state, Outbox.Intake intake) {
        List<TimelineEntry> entries = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            entries.add(action(id, tool));
        }
        store.outcomes().record(tenant, null, 0, entries, a -> new Outbox.Placement(state, List.of()), intake);
        return ids;
    }

    /** Waits (bounded) until every one of these actions is settled (done, failed, cancelled); their rows. */
    static List<Outbox.Row> settle(EventStore store, String tenant, List<String> ids, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<Outbox.Row> rows = new ArrayList<>();
            for (String id : ids) rows.add(store.outbox().get(tenant, id).orElseThrow());
            if (rows.stream().allMatch(r -> r.state().settled())) return rows;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not settled within " + within + ": " + rows.stream()
                        .filter(r -> !r.state().settled()).map(r -> r.actionId() + "=" + r.state().label() + "/" + r.attempts() + " " + r.lastError()).toList());
            }
            Thread.sleep(10);
        }
    }

    static ActSettings fast(int maxAttempts) {
        return new ActSettings(new AttemptPolicy(maxAttempts, Duration.ofMillis(5), Duration.ofMillis(40)), Duration.ofSeconds(5),
                Duration.ofMillis(10), true);
    }
}
