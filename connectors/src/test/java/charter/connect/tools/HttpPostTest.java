package charter.connect.tools;

import static charter.connect.ConnectorHarness.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorHarness;
import charter.connect.WireRequest;
import charter.connect.fake.FakeWebhookReceiver;
import charter.connect.fake.Fault;
import charter.connect.fake.Received;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpPostTest {
    private static final String SECRET = "whsec_shared";
    private final ConnectorHarness harness = new ConnectorHarness();
    private final FakeWebhookReceiver receiver = new FakeWebhookReceiver(SECRET);
    private final Connector connector = harness.connector("http.post", (java.net.URI) null, Map.of("signing_secret", SECRET), Map.of());

    @AfterEach
    void close() {
        receiver.close();
        harness.close();
    }

    private ActionRequest post(String id, String body) {
        return request("http.post", id, "url", receiver.baseUrl() + "/hooks/charter?x=1", "body", body);
    }

    @Test
    void theBodyIsSignedLikeAWebhookAndCarriesTheIdempotencyKey() throws Exception {
        ActionRequest request = post("act_h1", "{\"deploy\":\"failed\"}");
        WireRequest wire = connector.render(request);

        AttemptOutcome.Done done = assertInstanceOf(AttemptOutcome.Done.class, connector.send(request));

        Received received = receiver.received().getFirst();
        assertEquals("/hooks/charter", received.path());
        assertEquals("x=1", received.query());
        assertEquals("act_h1", received.header("idempotency-key"));
        String timestamp = Long.toString(harness.clock.instant().getEpochSecond());
        assertEquals(timestamp, received.header("x-charter-timestamp"));
        assertEquals("v1=" + HttpPost.sign(SECRET, timestamp, "{\"deploy\":\"failed\"}"), received.header("x-charter-signature"));
        assertEquals(received.header("x-charter-signature"), wire.headers().get("X-Charter-Signature"));
        assertEquals(1, receiver.deliveries().size());
        assertTrue(receiver.refused().isEmpty());
        assertEquals(receiver.baseUrl() + "/deliveries/act_h1", done.url());
    }

    @Test
    void aWrongSecretIsRefusedByTheReceiver() throws Exception {
        Connector wrong = harness.connector("http.post", (java.net.URI) null, Map.of("signing_secret", "other"), Map.of());
        assertEquals(401, assertInstanceOf(AttemptOutcome.Failed.class, wrong.send(post("act_h2", "{}"))).status());
        assertEquals(0, receiver.deliveries().size());
    }

    @Test
    void afterAResetTheRetryIsDeduplicatedByTheReceiver() throws Exception {
        receiver.fail(Fault.resetAfterApply());
        assertInstanceOf(AttemptOutcome.Unknown.class, connector.send(post("act_h3", "{}")));
        assertInstanceOf(AttemptOutcome.Done.class, connector.send(post("act_h3", "{}")));
        assertEquals(2, receiver.received().size());
        assertEquals(1, receiver.deliveries().size());
    }

    @Test
    void urlsOutsideTheTenantsAllowedHostsAndNonHttpUrlsAreRefusedBeforeSending() throws Exception {
        Connector fenced = harness.connector("http.post", (java.net.URI) null, Map.of("signing_secret", SECRET),
                Map.of("allowed_hosts", "hooks.example.com, *.acme.dev"));
        assertTrue(assertInstanceOf(AttemptOutcome.Failed.class, fenced.send(post("act_h4", "{}"))).reason().contains("not in the tenant's allowed_hosts"));
        assertTrue(assertInstanceOf(AttemptOutcome.Failed.class, connector.send(request("http.post", "a", "url", "file:///etc/passwd", "body", "{}")))
                .reason().contains("absolute http or https URL"));
        assertTrue(assertInstanceOf(AttemptOutcome.Failed.class, connector.send(request("http.post", "a", "url", "http://u:p@127.0.0.1/", "body", "{}")))
                .reason().contains("user name"));
        assertTrue(receiver.received().isEmpty());
        assertEquals("https://x.acme.dev/h", fenced.render(request("http.post", "a", "url", "https://x.acme.dev/h", "body", "{}")).target());
    }

    @Test
    void aRequestTheClientCannotMakeFailsRatherThanRetryingForever() throws Exception {
        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class, connector.send(post("act_h6\r\nX-Injected: 1", "{}")));
        assertTrue(failed.reason().contains("cannot be made"), failed.reason());
        assertTrue(receiver.received().isEmpty());
    }

    @Test
    void aConflictWhileTheReceiverProcessesTheKeyIsRetried() throws Exception {
        receiver.fail(Fault.status(409));
        assertEquals(409, assertInstanceOf(AttemptOutcome.Retry.class, connector.send(post("act_h5", "{}"))).status());
    }
}
