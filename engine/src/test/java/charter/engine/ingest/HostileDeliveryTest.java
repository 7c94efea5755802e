package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.event.EventTimes;
import charter.engine.store.EventStore;
import charter.engine.store.EventStore.EventQuery;
import charter.engine.store.EventStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 items 1, 4, 5, 6: non-finite numbers and times out of range are refused, each delivery
 * on its own, with a code that says why; nothing of the kind reaches the store's append (where it
 * used to fail the whole batch with an ArithmeticException).
 */
class HostileDeliveryTest {
    static final String TENANT = "acme";
    static final Instant NOW = Corpus.RECEIVED;

    @TempDir
    Path data;
    EventStore store;
    Ingestor ingestor;

    @BeforeEach
    void open() {
        store = EventStores.open(data.toString());
        ingestor = Ingestor.builder(store).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static String text(String relative) {
        return new String(Corpus.read(relative), StandardCharsets.UTF_8);
    }

    static RawDelivery vercel(String createdAt) {
        String body = text("vercel/DeploymentError.json").replaceFirst("\"createdAt\": *[0-9]+", "\"createdAt\": " + createdAt);
        return new RawDelivery("vercel", Map.of(), body.getBytes(StandardCharsets.UTF_8), NOW);
    }

    static RawDelivery sentry(String hookTimestamp, String requestId) {
        Map<String, String> h = new HashMap<>(Corpus.delivery("sentry/example-app/issue.created.json").headers());
        h.put("request-id", requestId);
        h.put("sentry-hook-timestamp", hookTimestamp);
        return new RawDelivery("sentry", h, Corpus.read("sentry/example-app/issue.created.json"), NOW);
    }

    IngestReport.Rejection refusedAlone(RawDelivery d) {
        IngestReport r = ingestor.ingest(TENANT, List.of(new LabeledDelivery("bad", d)));
        assertEquals(1, r.rejected().size(), () -> "refused: " + r);
        return r.rejected().getFirst();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999", "-1e999", "2.5E+400", "ten to the 400th"})
    void aNumberNoDoubleHoldsIsRefusedWithWhereItIs(String given) {
        String number = given.startsWith("ten") ? "1" + "0".repeat(400) : given;
        RawDelivery pr = Corpus.delivery("github/pull_request/pull_request.opened.0.json");
        byte[] body = new String(pr.body(), StandardCharsets.UTF_8).replaceFirst("\"additions\": *1", "\"additions\": " + number)
                .getBytes(StandardCharsets.UTF_8);
        IngestReport.Rejection r = refusedAlone(new RawDelivery("github", pr.headers(), body, NOW));
        assertEquals(DeliveryException.NUMBER_OUT_OF_RANGE, r.code());
        assertTrue(r.message().contains("line "), r.message());
        assertTrue(store.events(TENANT, EventQuery.all()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"100000000000000000", "-9223372036854775809", "9223372036854775807", "-1",
            "\"+999999999-12-31T23:59:59Z\"", "\"1969-12-31T23:59:59Z\"", "\"2026-03-02T11:00:00Z\""})
    void aVercelCreatedAtOutOfRangeIsRefused(String createdAt) {
        assertEquals(DeliveryException.TIME_OUT_OF_RANGE, refusedAlone(vercel(createdAt)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "-9223372036854775808", "253402300799", "-1"})
    void aSentryHookTimestampOutOfRangeIsRefused(String seconds) {
        assertEquals(DeliveryException.TIME_OUT_OF_RANGE, refusedAlone(sentry(seconds, "r-" + seconds)).code());
    }

    @Test
    void aTimeAFewMinutesAheadOfReceiptIsAccepted() {
        RawDelivery d = sentry(Long.toString(NOW.plusSeconds(60).getEpochSecond()), "r-ahead");
        IngestReport r = ingestor.ingest(TENANT, List.of(new LabeledDelivery("ok", d)));
        assertEquals(1, r.accepted().size(), r::toString);
    }

    /** Item 6 and the group-commit poisoning of item 5: the bad delivery is refused alone, the good ones around it are stored. */
    @Test
    void aBadDeliveryAmongGoodOnesIsRefusedAloneAndTheOthersAreStored() {
        List<LabeledDelivery> in = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            in.add(new LabeledDelivery("good" + i, sentry(Long.toString(NOW.getEpochSecond() - i), "r-good-" + i)));
            if (i % 5 == 2) in.add(new LabeledDelivery("bad" + i, vercel("-9223372036854775809")));
        }
        IngestReport r = ingestor.ingest(TENANT, in);
        assertEquals(23, r.accepted().size(), r::toString);
        assertEquals(5, r.rejected().size());
        assertTrue(r.rejected().stream().allMatch(x -> x.label().startsWith("bad")));
        assertEquals(23, store.events(TENANT, EventQuery.all()).size());
    }

    /**
     * Property: whatever integer Vercel's createdAt holds, the delivery is either stored with a
     * time in range or refused as out of range; never anything else (no exception, no bad time).
     */
    @Test
    void anyCreatedAtIsStoredInRangeOrRefused() {
        Random random = new Random(12);
        List<LabeledDelivery> in = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long ms = switch (i % 4) {
                case 0 -> random.nextLong();
                case 1 -> NOW.toEpochMilli() + random.nextLong(-1L << 40, 1L << 40);
                case 2 -> (long) (random.nextGaussian() * 1e15);
                default -> random.nextLong(-1L << 50, 1L << 50);
            };
            String body = text("vercel/DeploymentError.json").replaceFirst("\"createdAt\": *[0-9]+", "\"createdAt\": " + ms)
                    .replaceFirst("\"id\": *\"[^\"]*\"", "\"id\": \"evt-" + i + "\"");
            in.add(new LabeledDelivery("d" + i, new RawDelivery("vercel", Map.of(), body.getBytes(StandardCharsets.UTF_8), NOW)));
        }
        IngestReport r = ingestor.ingest(TENANT, in);
        assertEquals(200, r.accepted().size() + r.rejected().size(), r::toString);
        assertTrue(r.rejected().stream().allMatch(x -> x.code().equals(DeliveryException.TIME_OUT_OF_RANGE)), r::toString);
        for (EventStore.StoredEvent e : store.events(TENANT, EventQuery.all())) {
            assertEquals(null, EventTimes.problem(e.event().time(), NOW), e.event().toString());
        }
        assertEquals(r.accepted().size(), store.events(TENANT, EventQuery.all()).size());
    }
}
