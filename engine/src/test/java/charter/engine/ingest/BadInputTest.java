package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.catalog.Catalog;
import charter.engine.event.EventValidator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad bodies and headers are refused with a coded DeliveryException that says what and where. */
class BadInputTest {

    static DeliveryException refused(Normaliser n, RawDelivery d) {
        return assertThrows(DeliveryException.class, () -> n.normalise(d));
    }

    @Test
    void truncatedJson() {
        byte[] full = Corpus.read("github/push/push.noaction.0.json".replace("push.noaction.0", firstPush()));
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        DeliveryException e = refused(new GithubNormaliser(), Corpus.github("push", new String(cut, StandardCharsets.UTF_8)));
        assertEquals("malformed_json", e.code());
        assertTrue(e.getMessage().contains("line "), e.getMessage());
        assertEquals("malformed_json", refused(new LinearNormaliser(), new RawDelivery("linear", Map.of(), "{\"action\": \"create\",".getBytes(), Corpus.RECEIVED)).code());
        assertEquals("malformed_json", refused(new VercelNormaliser(), new RawDelivery("vercel", Map.of(), new byte[0], Corpus.RECEIVED)).code());
        assertEquals("malformed_json", refused(new GithubNormaliser(), Corpus.github("ping", "{\"a\":1} trailing")).code());
    }

    static String firstPush() {
        return Corpus.payloads().stream().filter(p -> p.getParent().getFileName().toString().equals("push"))
                .findFirst().orElseThrow().getFileName().toString().replace(".json", "");
    }

    @Test
    void tooLargeIsRefusedBeforeParsing() {
        byte[] big = new byte[10 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        DeliveryException e = refused(new GithubNormaliser(), new RawDelivery("github", Map.of("X-GitHub-Event", "ping"), big, Corpus.RECEIVED));
        assertEquals("too_large", e.code());
        assertTrue(e.getMessage().contains("5242880"), e.getMessage());
        // configurable
        Normaliser small = Normalisers.forSource("sentry", Catalog.standard(), new Payloads.Limits(100, 50));
        RawDelivery d = Corpus.delivery("sentry/docs/issue.created.json");
        assertEquals("too_large", refused(small, d).code());
    }

    @Test
    void tenThousandDeepNesting() {
        String deep = "{\"action\":\"opened\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        DeliveryException e = refused(new GithubNormaliser(), Corpus.github("issues", deep));
        assertEquals("too_deep", e.code());
        assertTrue(e.getMessage().contains("deeper than 200"), e.getMessage());
        String deepObj = "{\"data\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}";
        assertEquals("too_deep", refused(new SentryNormaliser(), new RawDelivery("sentry", Map.of("Sentry-Hook-Resource", "issue"),
                deepObj.getBytes(), Corpus.RECEIVED)).code());
    }

    @Test
    void invalidUtf8WithItsOffset() {
        byte[] body = "{\"action\":\"opened\",\"t\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bad = body.clone();
        int at = new String(body, StandardCharsets.UTF_8).indexOf('\u00e9') ;
        bad[at] = (byte) 0xC3;
        bad[at + 1] = (byte) 0x28; // not a continuation byte
        DeliveryException e = refused(new GithubNormaliser(), new RawDelivery("github", Map.of("X-GitHub-Event", "issues"), bad, Corpus.RECEIVED));
        assertEquals("not_utf8", e.code());
        assertTrue(e.getMessage().contains("byte offset " + at), e.getMessage());
        // overlong encoding of '/' and a lone surrogate are refused too
        assertEquals(0, Payloads.Utf8.firstInvalid(new byte[] {(byte) 0xC0, (byte) 0xAF}));
        assertEquals(0, Payloads.Utf8.firstInvalid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertEquals(1, Payloads.Utf8.firstInvalid(new byte[] {'a', (byte) 0xF0, (byte) 0x9F}));
        assertEquals(-1, Payloads.Utf8.firstInvalid("ok ♥ 👋".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void missingEventHeaders() {
        byte[] body = Corpus.read("sentry/docs/issue.created.json");
        DeliveryException e = refused(new SentryNormaliser(), new RawDelivery("sentry", Map.of("Request-ID", "x"), body, Corpus.RECEIVED));
        assertEquals("missing_header", e.code());
        assertTrue(e.getMessage().contains("sentry-hook-resource"), e.getMessage());
        DeliveryException g = refused(new GithubNormaliser(), new RawDelivery("github", Map.of(), "{}".getBytes(), Corpus.RECEIVED));
        assertEquals("missing_header", g.code());
        assertTrue(g.getMessage().contains("x-github-event"));
    }

    @Test
    void wrongTypesRefusedWhereStructuralTolerantElsewhere() throws DeliveryException {
        // the body must be an object
        assertEquals("wrong_type", refused(new GithubNormaliser(), Corpus.github("ping", "[1,2]")).code());
        // structural members
        assertEquals("wrong_type", refused(new GithubNormaliser(), Corpus.github("pull_request", "{\"action\":\"opened\",\"pull_request\":\"nope\"}")).code());
        assertEquals("wrong_type", refused(new GithubNormaliser(), Corpus.github("issues", "{\"action\":42}")).code());
        DeliveryException num = refused(new GithubNormaliser(), Corpus.github("pull_request",
                "{\"action\":\"opened\",\"repository\":{\"full_name\":\"a/b\"},\"pull_request\":{\"number\":\"forty-two\"}}"));
        assertEquals("wrong_type", num.code());
        assertTrue(num.getMessage().contains("'number' must be an integer"), num.getMessage());
        assertEquals("missing_field", refused(new LinearNormaliser(), new RawDelivery("linear", Map.of(), "{\"type\":\"Issue\"}".getBytes(), Corpus.RECEIVED)).code());
        assertEquals("wrong_type", refused(new LinearNormaliser(), new RawDelivery("linear", Map.of(),
                "{\"type\":\"Issue\",\"action\":\"create\",\"data\":[]}".getBytes(), Corpus.RECEIVED)).code());

        // tolerated: a number as a digit string where a key number is needed, a numeric string for a number field
        Normalised n = new GithubNormaliser().normalise(Corpus.github("pull_request",
                "{\"action\":\"opened\",\"repository\":{\"full_name\":\"a/b\"},\"pull_request\":{\"number\":\"42\",\"additions\":\"12\",\"draft\":\"yes\"}}"));
        assertEquals(42.0, n.event().get("number"));
        assertEquals(12.0, n.event().get("additions"));
        assertEquals(null, n.event().get("draft"), "not coercible: left out");
        assertTrue(n.warnings().stream().anyMatch(w -> w.contains("draft") && w.contains("expected bool")), n.warnings().toString());
        assertEquals(java.util.List.of(), new EventValidator().validate(n.event()));
    }

    @Test
    void unknownEventsAreKeptNotDropped() throws DeliveryException {
        Normalised g = new GithubNormaliser().normalise(Corpus.github("brand_new_event",
                "{\"action\":\"sparkled\",\"repository\":{\"full_name\":\"acme/api\"},\"sender\":{\"login\":\"alice\"}}"));
        assertEquals("github.unknown", g.event().type());
        assertEquals("brand_new_event", g.event().get("event"));
        assertEquals("sparkled", g.event().get("action"));
        assertEquals("acme/api", g.event().get("repo"));
        assertTrue(g.warnings().get(0).contains("unknown GitHub event"));
        // a known event with an action the catalog lacks
        assertEquals("github.unknown", new GithubNormaliser().normalise(Corpus.github("pull_request",
                "{\"action\":\"teleported\",\"pull_request\":{\"number\":1}}")).event().type());

        Normalised v = new VercelNormaliser().normalise(new RawDelivery("vercel", Map.of(),
                "{\"id\":\"e1\",\"type\":\"domain.created\",\"createdAt\":1698397677664,\"payload\":{\"name\":\"web\"}}".getBytes(), Corpus.RECEIVED));
        assertEquals("vercel.unknown", v.event().type());
        assertEquals("domain.created", v.event().get("event"));
        Normalised l = new LinearNormaliser().normalise(new RawDelivery("linear", Map.of("Linear-Delivery", "x"),
                "{\"type\":\"IssueSLA\",\"action\":\"breached\",\"data\":{\"id\":\"u1\"}}".getBytes(), Corpus.RECEIVED));
        assertEquals("linear.unknown", l.event().type());
        Normalised s = new SentryNormaliser().normalise(new RawDelivery("sentry", Map.of("Sentry-Hook-Resource", "seer"),
                "{\"action\":\"done\",\"data\":{}}".getBytes(), Corpus.RECEIVED));
        assertEquals("sentry.unknown", s.event().type());
        for (Normalised n : java.util.List.of(g, v, l, s)) {
            assertEquals(java.util.List.of(), new EventValidator().validate(n.event()));
        }
    }

    @Test
    void missingDeliveryIdIsDerivedFromTheBody() throws DeliveryException {
        RawDelivery d = new RawDelivery("github", Map.of("X-GitHub-Event", "ping"), "{\"zen\":\"x\"}".getBytes(), Corpus.RECEIVED);
        Normalised a = new GithubNormaliser().normalise(d);
        Normalised b = new GithubNormaliser().normalise(d);
        assertTrue(a.deliveryId().startsWith("sha256-"));
        assertEquals(a.deliveryId(), b.deliveryId());
        assertTrue(a.warnings().get(0).contains("x-github-delivery"));
    }
}
