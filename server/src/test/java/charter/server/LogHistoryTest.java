package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.engine.event.CanonicalEvent;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.RawDelivery;
import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading processed events back from a real store to rebuild state: the newest are never the ones left out. */
class LogHistoryTest {
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path tmp;

    private static EventStore.Ingested delivery(int i) {
        String id = "d" + i;
        CanonicalEvent e = new CanonicalEvent("vercel:" + id, "vercel", "vercel.deployment.error", T0.plusSeconds(i),
                Map.of("n", (double) i), List.of(), null);
        RawDelivery raw = new RawDelivery("vercel", Map.of("X-Delivery-Id", id), "{}".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(i));
        return new EventStore.Ingested(raw, new Normalised(id, e, List.of(), List.of(), List.of()));
    }

    @Test
    void keepsTheNewestEventsWhenThereAreMoreThanItMayReplay() {
        try (EventStore store = EventStores.open(tmp.toString())) {
            List<EventStore.Ingested> batch = new ArrayList<>();
            for (int i = 1; i <= 37; i++) batch.add(delivery(i));
            store.append("acme", batch);
            // pages of 5 (not a divisor of anything here), at most 10 kept, up to sequence 33
            List<CanonicalEvent> got = new LogHistory(store, "acme", 10, 5).processed(T0, 33);
            assertEquals(IntStream.rangeClosed(24, 33).mapToObj(i -> "vercel:d" + i).toList(),
                    got.stream().map(CanonicalEvent::id).toList());
            // everything fits: all of it, in log order, and only from `since` on
            List<CanonicalEvent> all = new LogHistory(store, "acme", 100, 5).processed(T0.plusSeconds(3), 37);
            assertEquals(IntStream.rangeClosed(3, 37).mapToObj(i -> "vercel:d" + i).toList(),
                    all.stream().map(CanonicalEvent::id).toList());
        }
    }
}
