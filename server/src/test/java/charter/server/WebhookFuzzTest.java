package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook fuzzer of issue 12 against a real server over loopback HTTP (docs/security/hostile-input.md,
 * "The webhook fuzzer"): mutated corpus payloads, signed as they are, sent from several threads so
 * they share group commits. Afterwards: no 5xx was ever answered, nothing the oracle says must be
 * refused was taken, every acknowledged (202) delivery is in the log exactly once, and the tenant
 * still starts on that log and takes the next webhook.
 *
 * <p>In the unit suite it sends a few hundred deliveries (seconds); {@code scripts/fuzz-webhooks}
 * runs it for as long as asked: {@code -Dcharter.fuzz.minutes=N -Dcharter.fuzz.seed=S}.
 */
class WebhookFuzzTest {
    static final Path CORPUS = Path.of("../engine/src/test/resources/corpus");
    static final Path ACME = Path.of("../program-examples/acme");
    static final long MAX_BODY = 2 * 1024 * 1024;
    static final int THREADS = 4;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CharterServer start() {
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("acme", new ServerConfig.TenantConfig("acme", ACME, null, null, null, SignedDeliveries.SECRETS));
        return CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tmp.resolve("tokens.jsonl"), MAX_BODY, tenants));
    }

    @Test
    void mutatedSignedDeliveriesAreRefusedOrKeptNeverA5xxAndNoAcknowledgedOneIsLost() throws Exception {
        long seed = Long.getLong("charter.fuzz.seed", 20_261_205L);
        double minutes = Double.parseDouble(System.getProperty("charter.fuzz.minutes", "0"));
        int bounded = Integer.getInteger("charter.fuzz.deliveries", 400);

        int perThread = minutes > 0 ? Integer.MAX_VALUE : bounded / THREADS;

        WebhookFuzzer fuzzer = new WebhookFuzzer(WebhookFuzzer.corpus(CORPUS), MAX_BODY);
        WebhookFuzzer.Counts counts = new WebhookFuzzer.Counts();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        double seconds;
        try (CharterServer server = start()) {
            long t0 = System.nanoTime();
            SignedDeliveries webhooks = new SignedDeliveries("http://127.0.0.1:" + server.port(), "acme");
            // the unit suite's run is bounded in time as well as in count: seconds on a loaded machine
            long deadline = System.nanoTime() + (long) ((minutes > 0 ? minutes * 60 : 15) * 1e9);
            List<Future<?>> workers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                for (int w = 0; w < THREADS; w++) {
                    Random random = new Random(seed * 31 + w);   // one stream per thread: a seed replays the same mutants
                    workers.add(pool.submit(() -> {
                        for (int i = 0; i < perThread && System.nanoTime() < deadline; i++) {
                            WebhookFuzzer.Mutant m = fuzzer.next(random);
                            int status;
                            String body;
                            try {
                                SignedDeliveries.Answer a = webhooks.post(m.seed().source(), WebhookFuzzer.headers(m), m.body());
                                status = a.status();
                                body = a.body();
                            } catch (Exception e) {
                                status = -1;   // a reset connection is as bad as a 5xx
                                body = e.toString();
                            }
                            if (status == 202) acknowledged.add(JSON.readTree(body).get("eventId").asText());
                            counts.add(m, status, body);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : workers) f.get();
            seconds = (System.nanoTime() - t0) / 1e9;
        }

        // every acknowledged delivery is in the log, once
        Map<String, Integer> inLog = new HashMap<>();
        long lastSequence = 0;
        try (EventStore store = EventStores.open(tmp.resolve("data").toString())) {
            // a page at a time: an hour's log of mutants (ids and bodies up to megabytes) does not fit in the heap at once
            while (true) {
                List<EventStore.StoredEvent> page = store.events("acme", new EventStore.EventQuery(null, null, null, lastSequence, 500));
                if (page.isEmpty()) break;
                for (EventStore.StoredEvent e : page) {
                    inLog.merge(e.event().id(), 1, Integer::sum);
                    lastSequence = Math.max(lastSequence, e.sequence());
                }
            }
        }
        for (String id : acknowledged) {
            if (inLog.getOrDefault(id, 0) != 1) {
                counts.lost++;
                counts.note("acknowledged " + id + " is in the log " + inLog.getOrDefault(id, 0) + " times");
            }
        }

        // and the tenant starts again on that log, and takes the next delivery
        try (CharterServer again = start()) {
            byte[] ok = Files.readAllBytes(CORPUS.resolve("sentry/example-app/issue.created.json"));
            SignedDeliveries.Answer a = new SignedDeliveries("http://127.0.0.1:" + again.port(), "acme").post("sentry", "issue", ok);
            assertEquals(202, a.status(), "after the run: " + a.body());
            // and no event stops the tenant's search: the index reaches the end of the log
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (again.tenant("acme").searchIndex().indexedUpTo() < lastSequence && System.nanoTime() < deadline) Thread.sleep(50);
            long indexed = again.tenant("acme").searchIndex().indexedUpTo();
            if (indexed < lastSequence) {
                counts.lost++;
                counts.note("the search index stopped at log sequence " + indexed + " of " + lastSequence);
            }
        }

        System.out.printf("webhook fuzz: seed=%d %.1f s%n%s%n", seed, seconds, counts);
        assertEquals(0, counts.internalErrors, counts::toString);
        assertEquals(0, counts.wronglyAccepted, counts::toString);
        assertEquals(0, counts.lost, counts::toString);
    }
}
