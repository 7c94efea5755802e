package charter.connect.tools;

import static charter.connect.ConnectorHarness.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorHarness;
import charter.connect.fake.FakeSlack;
import charter.connect.fake.Fault;
import charter.connect.fake.Received;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackPostTest {
    private static final String TOKEN = "xoxb-secret-token";
    private final ConnectorHarness harness = new ConnectorHarness();
    private final FakeSlack slack = new FakeSlack(TOKEN);
    private final Connector connector = harness.connector("slack.post", slack, Map.of("token", TOKEN),
            Map.of("workspace_url", "https://acme.slack.com"));

    @AfterEach
    void close() {
        slack.close();
        harness.close();
    }

    @Test
    void postsWithTheActionIdInTheMessageMetadata() throws Exception {
        slack.channel("deploys");
        AttemptOutcome.Done done = assertInstanceOf(AttemptOutcome.Done.class,
                connector.send(request("slack.post", "act_s1", "channel", "#deploys", "text", "Deploy failed")));

        Received received = slack.received().getFirst();
        assertEquals("/api/chat.postMessage", received.path());
        assertEquals("Bearer " + TOKEN, received.header("authorization"));
        assertTrue(received.header("content-type").startsWith("application/json"));
        JsonNode body = new ObjectMapper().readTree(received.body());
        assertEquals("#deploys", body.path("channel").asText());
        assertEquals("Deploy failed", body.path("text").asText());
        assertEquals("charter_action", body.path("metadata").path("event_type").asText());
        assertEquals("act_s1", body.path("metadata").path("event_payload").path("action_id").asText());
        String ts = slack.messages("deploys").getFirst().ts();
        assertEquals(slack.channel("deploys") + "/" + ts, done.externalId());
        assertEquals("https://acme.slack.com/archives/" + slack.channel("deploys") + "/p" + ts.replace(".", ""), done.url());
    }

    @Test
    void afterAResetTheLookupFindsTheMessageThroughTheChannelsName() throws Exception {
        ActionRequest post = request("slack.post", "act_s2", "channel", "#deploys", "text", "hello");
        for (int i = 0; i < 205; i++) connector.send(request("slack.post", "act_other" + i, "channel", "#deploys", "text", "x"));
        slack.fail(Fault.resetAfterApply());
        assertInstanceOf(AttemptOutcome.Unknown.class, connector.send(post));
        for (int i = 0; i < 3; i++) connector.send(request("slack.post", "act_later" + i, "channel", "#deploys", "text", "y"));

        AttemptOutcome.Done found = connector.lookup(post).orElseThrow();

        assertTrue(found.deduplicated());
        assertEquals(slack.messages("deploys").get(205).ts(), found.externalId().substring(found.externalId().indexOf('/') + 1));
        assertTrue(connector.lookup(request("slack.post", "act_never", "channel", "#deploys", "text", "z")).isEmpty());
        assertTrue(connector.lookup(request("slack.post", "act_s2", "channel", "#elsewhere", "text", "z")).isEmpty());
    }

    @Test
    void slacksErrorsInsideA200AreFailuresOrRetriesByTheirCode() throws Exception {
        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class,
                connector.send(request("slack.post", "act_s3", "channel", "C99999999", "text", "x")));
        assertEquals("channel_not_found", failed.reason());

        Connector wrong = harness.connector("slack.post", slack, Map.of("token", "xoxb-wrong"), Map.of());
        assertEquals("invalid_auth", assertInstanceOf(AttemptOutcome.Failed.class,
                wrong.send(request("slack.post", "act_s3", "channel", "#x", "text", "x"))).reason());

        slack.fail(new Fault.Status(200, Map.of("Content-Type", "application/json"), "{\"ok\":false,\"error\":\"internal_error\"}"));
        assertInstanceOf(AttemptOutcome.Retry.class, connector.send(request("slack.post", "act_s3", "channel", "#x", "text", "x")));
    }

    @Test
    void slacksRateLimitIsRetriedAfterItsRetryAfter() throws Exception {
        slack.fail(Fault.tooManyRequests(30));
        AttemptOutcome.Retry retry = assertInstanceOf(AttemptOutcome.Retry.class,
                connector.send(request("slack.post", "act_s4", "channel", "#x", "text", "x")));
        assertEquals(Duration.ofSeconds(30), retry.retryAfter());
        assertTrue(slack.messages().isEmpty());
    }
}
