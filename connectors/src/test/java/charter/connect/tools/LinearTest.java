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
import charter.connect.fake.FakeLinear;
import charter.connect.fake.Fault;
import charter.connect.fake.Received;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LinearTest {
    private static final String KEY = "lin_api_secret";
    private final ConnectorHarness harness = new ConnectorHarness();
    private final FakeLinear linear = new FakeLinear(KEY);
    private final Map<String, String> settings = Map.of("team:payments", "team-uuid-payments", "person:alice", "user-uuid-alice", "label:bug", "label-uuid-bug");
    private final ActionRequest create = request("linear.create_issue", "act_l1", "team", "payments", "title", "Deploy failed",
            "description", "See the **trace**", "priority", 1L, "assignee", "alice", "labels", List.of("bug"));

    private Connector connector(String tool) {
        return harness.connector(tool, linear, Map.of("api_key", KEY), settings);
    }

    private static ActionRequest second(ActionRequest first) {
        return new ActionRequest(first.tenant(), first.actionId(), first.tool(), first.args(), first.attempt() + 1);
    }

    @AfterEach
    void close() {
        linear.close();
        harness.close();
    }

    @Test
    void createsAnIssueWithAnIdDerivedFromTheActionAndEveryValueInVariables() throws Exception {
        AttemptOutcome.Done done = assertInstanceOf(AttemptOutcome.Done.class, connector("linear.create_issue").send(create));

        Received received = linear.received().getFirst();
        assertEquals("/graphql", received.path());
        assertEquals(KEY, received.header("authorization"));
        JsonNode body = new ObjectMapper().readTree(received.body());
        assertTrue(body.path("query").asText().contains("issueCreate(input: $input)"));
        assertFalse(body.path("query").asText().contains("Deploy failed"), "values travel in variables");
        JsonNode input = body.path("variables").path("input");
        assertEquals(ActionMarks.uuid("act_l1").toString(), input.path("id").asText());
        assertEquals("team-uuid-payments", input.path("teamId").asText());
        assertEquals("user-uuid-alice", input.path("assigneeId").asText());
        assertEquals("label-uuid-bug", input.path("labelIds").get(0).asText());
        assertEquals(1, input.path("priority").asInt());
        assertEquals(ActionMarks.uuid("act_l1").toString(), done.externalId());
        assertEquals("https://linear.app/fake/issue/TEAM-UUID-PAYMENTS-1", done.url());
        assertEquals(Guarantee.EXACTLY_ONCE, connector("linear.create_issue").guarantee());
    }

    @Test
    void afterAResetTheSecondCreateIsRefusedByIdAndReportedDoneWithoutASecondIssue() throws Exception {
        Connector connector = connector("linear.create_issue");
        linear.fail(Fault.resetAfterApply());

        assertInstanceOf(AttemptOutcome.Unknown.class, connector.send(create));
        AttemptOutcome.Done again = assertInstanceOf(AttemptOutcome.Done.class, connector.send(second(create)));

        assertTrue(again.deduplicated());
        assertEquals(1, linear.issues().size());
        assertTrue(connector.lookup(create).isPresent());
    }

    @Test
    void aCommentIsMadeOnceAndAnAssignmentSetsTheAssignee() throws Exception {
        String issue = linear.seedIssue("eng", "Existing");
        ActionRequest comment = request("linear.comment", "act_lc", "issue", issue, "body", "Rolled back");
        Connector commenter = connector("linear.comment");
        linear.fail(Fault.delay(ConnectorHarness.PAST_TIMEOUT));
        assertInstanceOf(AttemptOutcome.Unknown.class, commenter.send(comment));
        Thread.sleep(800);
        assertTrue(commenter.send(second(comment)) instanceof AttemptOutcome.Done d && d.deduplicated());
        assertEquals(1, linear.comments().size());

        AttemptOutcome.Done assigned = assertInstanceOf(AttemptOutcome.Done.class,
                connector("linear.assign").send(request("linear.assign", "act_la", "issue", issue, "assignee", "alice")));
        assertEquals("user-uuid-alice", linear.issues().getFirst().assigneeId());
        assertEquals("https://linear.app/fake/issue/ENG-1", assigned.url());
    }

    @Test
    void linearsRateLimitIsRetriedAtItsResetAndOtherErrorsFailWithItsMessage() throws Exception {
        long reset = harness.clock.millis() + 12_000;
        linear.fail(FakeLinear.rateLimited(reset));
        AttemptOutcome.Retry retry = assertInstanceOf(AttemptOutcome.Retry.class, connector("linear.create_issue").send(create));
        assertEquals(Duration.ofSeconds(12), retry.retryAfter());
        assertTrue(linear.issues().isEmpty());

        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class,
                connector("linear.assign").send(request("linear.assign", "act_la", "issue", "NOPE-9", "assignee", "alice")));
        assertEquals("Entity not found: Issue", failed.reason());

        Connector wrong = harness.connector("linear.create_issue", linear, Map.of("api_key", "wrong"), settings);
        assertTrue(assertInstanceOf(AttemptOutcome.Failed.class, wrong.send(create)).reason().contains("Authentication"));
    }

    @Test
    void aPriorityOutsideLinearsScaleFailsBeforeSending() throws Exception {
        ActionRequest odd = request("linear.create_issue", "act_p", "team", "payments", "title", "t", "priority", 9);
        assertTrue(assertInstanceOf(AttemptOutcome.Failed.class, connector("linear.create_issue").send(odd)).reason().contains("priority must be 0 to 4"));
    }
}
