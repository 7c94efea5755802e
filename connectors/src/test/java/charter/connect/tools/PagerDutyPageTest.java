package charter.connect.tools;

import static charter.connect.ConnectorHarness.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorHarness;
import charter.connect.Guarantee;
import charter.connect.WireRequest;
import charter.connect.fake.Fault;
import charter.connect.fake.FakePagerDuty;
import charter.connect.fake.Received;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PagerDutyPageTest {
    private static final String KEY = "R0UT1NGKEY0000000000000000000001";
    private final ConnectorHarness harness = new ConnectorHarness();
    private final FakePagerDuty pagerduty = new FakePagerDuty(Set.of(KEY));
    private final Connector connector = harness.connector("pagerduty.page", pagerduty, Map.of("routing_key", KEY), Map.of());
    private final ActionRequest page = request("pagerduty.page", "act_0123456789abcdef", "team", "payments", "summary", "Deploy failed", "severity", "critical");

    @AfterEach
    void close() {
        pagerduty.close();
        harness.close();
    }

    @Test
    void triggersAnEventWhoseDedupKeyIsTheActionId() throws Exception {
        AttemptOutcome outcome = connector.send(page);

        assertEquals(new AttemptOutcome.Done(202, "act_0123456789abcdef", null, false), outcome);
        Received received = pagerduty.received().getFirst();
        assertEquals("POST", received.method());
        assertEquals("/v2/enqueue", received.path());
        JsonNode body = new ObjectMapper().readTree(received.body());
        assertEquals(KEY, body.path("routing_key").asText());
        assertEquals("trigger", body.path("event_action").asText());
        assertEquals("act_0123456789abcdef", body.path("dedup_key").asText());
        assertEquals("Deploy failed", body.path("payload").path("summary").asText());
        assertEquals("critical", body.path("payload").path("severity").asText());
        assertEquals("charter", body.path("payload").path("source").asText());
        assertEquals(1, pagerduty.pages());
        assertEquals(Guarantee.EXACTLY_ONCE, connector.guarantee());
    }

    @Test
    void theDryRunIsTheRequestWithTheRoutingKeyRedacted() throws Exception {
        WireRequest wire = connector.render(page);
        connector.send(page);

        Received received = pagerduty.received().getFirst();
        assertEquals(received.body().replace(KEY, "<redacted>"), wire.body());
        assertFalse(wire.body().contains(KEY));
        assertEquals(pagerduty.baseUrl() + "/v2/enqueue", wire.target());
    }

    @Test
    void aResetAfterPagerDutyAppliedTheEventIsUnknownAndTryingAgainPagesOnce() throws Exception {
        pagerduty.fail(Fault.resetAfterApply());

        assertInstanceOf(AttemptOutcome.Unknown.class, connector.send(page));
        assertInstanceOf(AttemptOutcome.Done.class, connector.send(page));
        assertEquals(2, pagerduty.events().size());
        assertEquals(1, pagerduty.pages(), "the second trigger joins the incident the first opened");
    }

    @Test
    void anAnswerPastTheTimeoutIsUnknown() throws Exception {
        pagerduty.fail(Fault.delay(ConnectorHarness.PAST_TIMEOUT));

        assertInstanceOf(AttemptOutcome.Unknown.class, connector.send(page));
    }

    @Test
    void tooManyRequestsIsRetriedAfterWhatPagerDutyAsked() throws Exception {
        pagerduty.fail(Fault.tooManyRequests(7));

        AttemptOutcome outcome = connector.send(page);
        AttemptOutcome.Retry retry = assertInstanceOf(AttemptOutcome.Retry.class, outcome);
        assertEquals(429, retry.status());
        assertEquals(Duration.ofSeconds(7), retry.retryAfter());
        assertEquals(0, pagerduty.pages());
    }

    @Test
    void aServerErrorIsRetriedAndAnInvalidEventFailsWithPagerDutysMessage() throws Exception {
        pagerduty.fail(Fault.status(500));
        assertEquals(500, assertInstanceOf(AttemptOutcome.Retry.class, connector.send(page)).status());
        pagerduty.fail(Fault.status(408));
        assertEquals(408, assertInstanceOf(AttemptOutcome.Retry.class, connector.send(page)).status());

        Connector wrongKey = harness.connector("pagerduty.page", pagerduty, Map.of("routing_key", "not-a-key"), Map.of());
        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class, wrongKey.send(page));
        assertEquals(400, failed.status());
        assertTrue(failed.reason().contains("Invalid routing key"), failed.reason());
    }

    @Test
    void aToolThatIsDownIsRetriedAndNothingReachedIt() throws Exception {
        pagerduty.down(Duration.ofSeconds(2));

        AttemptOutcome.Retry retry = assertInstanceOf(AttemptOutcome.Retry.class, connector.send(page));
        assertEquals(0, retry.status());
        assertTrue(retry.reason().contains("refused"), retry.reason());
        Thread.sleep(2300);
        assertInstanceOf(AttemptOutcome.Done.class, connector.send(page));
        assertEquals(1, pagerduty.pages());
    }

    @Test
    void aTeamsOwnRoutingKeyIsUsedAndAMissingOneFailsWithoutSending() throws Exception {
        Connector perTeam = harness.connector("pagerduty.page", pagerduty, Map.of("routing_key:payments", KEY), Map.of());
        assertInstanceOf(AttemptOutcome.Done.class, perTeam.send(page));

        Connector none = harness.connector("pagerduty.page", pagerduty, Map.of(), Map.of());
        assertTrue(none.render(page).body().contains("<missing credential 'routing_key:payments' or 'routing_key'>"));
        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class, none.send(page));
        assertTrue(failed.reason().contains("no credential"), failed.reason());
        assertEquals(1, pagerduty.received().size());
    }

    @Test
    void aSeverityPagerDutyDoesNotKnowFailsClearly() throws Exception {
        ActionRequest odd = request("pagerduty.page", "act_1", "team", "payments", "summary", "x", "severity", "sev1");
        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class, connector.send(odd));
        assertTrue(failed.reason().contains("severity must be one of"), failed.reason());
        assertTrue(pagerduty.received().isEmpty());
    }
}
