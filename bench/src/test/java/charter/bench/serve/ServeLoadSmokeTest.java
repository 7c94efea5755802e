package charter.bench.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.server.CharterServer;
import charter.server.ServerConfig;
import charter.server.TokenStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator of {@code bench/run serve}, for a few hundred requests against a real server
 * (in this JVM, over loopback, SQLite): the deliveries it builds are all accepted as new and
 * durable, the log check finds every one of them, re-sent ids are duplicates, and the intents are
 * decided. No timing is asserted.
 */
class ServeLoadSmokeTest {
    static final Path CORPUS = Path.of("../engine/src/test/resources/corpus");
    static final Path ACME = Path.of("../program-examples/acme");
    static final Duration MAX = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedDeliveryIsInTheLogAndIntentsAreDecided() throws Exception {
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        for (String source : List.of("github", "vercel", "linear", "sentry")) {
            secrets.put(source, ("smoke-" + source).getBytes(StandardCharsets.UTF_8));
        }
        ServerConfig config = new ServerConfig(0, tmp.resolve("data").toString(), tmp.resolve("tokens.jsonl"), ServerConfig.DEFAULT_MAX_BODY,
                Map.of("acme", new ServerConfig.TenantConfig("acme", ACME, null, null, null, secrets)));
        try (CharterServer server = CharterServer.start(config)) {
            String token = TokenStore.create(config.tokens(), "acme", EnumSet.of(TokenStore.Scope.READ, TokenStore.Scope.INTENTS));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            WebhookMix mix = WebhookMix.load(CORPUS, "acme", secrets);
            assertEquals(Set.of("github", "vercel", "linear", "sentry"), mix.sources().keySet());
            int n = mix.size() + 20;   // every payload of the corpus at least once
            LoadGenerator gen = new LoadGenerator(address, null, Duration.ofSeconds(30));

            LoadGenerator.Outcome closed = gen.closedLoop("smoke", 4, n, MAX, i -> webhook(mix, "smoke", i), s -> s == 202, null);
            assertEquals(Map.of("202", (long) n), closed.stats().statuses(), closed.stats().errorSamples().toString());
            assertEquals(n, closed.acknowledged().size());
            assertEquals(n, new HashSet<>(closed.acknowledged()).size(), "every request is a distinct delivery");

            LoadGenerator.Outcome open = gen.openLoop("smoke-open", 8, 200, 100, MAX, i -> webhook(mix, "open", i), s -> s == 202, null);
            assertEquals(Map.of("202", 100L), open.stats().statuses(), open.stats().errorSamples().toString());
            assertEquals(0, open.stats().notSent());

            Set<String> acked = new HashSet<>(closed.acknowledged());
            acked.addAll(open.acknowledged());
            EventLogCheck.Result log = EventLogCheck.check(address, token, acked, MAX);
            assertEquals(n + 100, log.acknowledged());
            assertEquals(n + 100, log.found(), "missing: " + log.missing());
            assertEquals(0, log.twice());
            assertEquals(n + 100, log.logEvents());
            assertTrue(log.pages() >= 2, "the check pages through the log");

            // The same delivery ids again (Linear re-stamped and re-signed, Vercel re-signed): duplicates, nothing logged.
            LoadGenerator.Outcome again = gen.closedLoop("again", 2, 60, MAX, i -> webhook(mix, "smoke", i), s -> s == 202, null);
            assertEquals(Map.of("200", 60L), again.stats().statuses(), again.stats().errorSamples().toString());
            assertEquals(n + 100, EventLogCheck.check(address, token, Set.of(), MAX).logEvents());

            IntentMix intents = IntentMix.load(ACME.resolve("intents.jsonl"), token);
            LoadGenerator.Classifier verdict = (status, body) -> IntentMix.verdict(new String(body, StandardCharsets.UTF_8));
            for (boolean dry : List.of(true, false)) {
                int k = intents.size() * 3;
                LoadGenerator.Outcome decided = gen.closedLoop("intents", 3, k, MAX,
                        i -> {
                            IntentMix.Intent in = intents.intent(dry ? "dry" : "rec", i, dry);
                            return new LoadGenerator.Request(in.path(), in.headers(), in.body(), in.id());
                        }, s -> s == 200, verdict);
                assertEquals(Map.of("200", (long) k), decided.stats().statuses(), decided.stats().errorSamples().toString());
                assertEquals(Set.of("allow", "deny", "needs-override"), decided.stats().notes().keySet(), "acme's intents reach every verdict");
                assertEquals(k, decided.stats().notes().values().stream().mapToLong(Long::longValue).sum());
            }
        }
    }

    private static LoadGenerator.Request webhook(WebhookMix mix, String run, int i) {
        WebhookMix.Delivery d = mix.delivery(run, i);
        return new LoadGenerator.Request(d.path(), d.headers(), d.body(), d.deliveryId());
    }
}
