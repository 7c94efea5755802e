package charter.connect.tools;

import static charter.connect.ConnectorHarness.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorHarness;
import charter.connect.Guarantee;
import charter.connect.fake.FakeGitHub;
import charter.connect.fake.Fault;
import charter.connect.fake.Received;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GitHubTest {
    private static final String TOKEN = "ghp_secret0000";
    private final ConnectorHarness harness = new ConnectorHarness();
    private final FakeGitHub github = new FakeGitHub(TOKEN);

    private Connector connector(String tool) {
        return harness.connector(tool, github, Map.of("token", TOKEN), Map.of());
    }

    @AfterEach
    void close() {
        github.close();
        harness.close();
    }

    @Test
    void aCommentCarriesTheHiddenMarkerAtTheEndOfItsBody() throws Exception {
        ActionRequest comment = request("github.comment", "act_c1", "repo", "acme/api", "number", 42L, "body", "Deploy failed");

        AttemptOutcome.Done done = assertInstanceOf(AttemptOutcome.Done.class, connector("github.comment").send(comment));

        Received received = github.received().getFirst();
        assertEquals("POST", received.method());
        assertEquals("/repos/acme/api/issues/42/comments", received.path());
        assertEquals("Bearer " + TOKEN, received.header("authorization"));
        assertEquals("application/vnd.github+json", received.header("accept"));
        assertEquals("2022-11-28", received.header("x-github-api-version"));
        assertEquals("Deploy failed\n\n<!-- charter-action: act_c1 -->", new ObjectMapper().readTree(received.body()).path("body").asText());
        assertEquals(201, done.status());
        assertTrue(done.url().startsWith("https://github.com/acme/api/issues/42#issuecomment-"), done.url());
        assertEquals(Guarantee.AT_LEAST_ONCE_DEDUPLICATED, connector("github.comment").guarantee());
    }

    @Test
    void afterAResetTheLookupFindsTheCommentSoNoSecondIsMade() throws Exception {
        Connector connector = connector("github.comment");
        ActionRequest comment = request("github.comment", "act_c2", "repo", "acme/api", "number", 7, "body", "hello");
        // Someone quotes the marker of this very action in the middle of their own comment: it must not count.
        github.seedComment("acme/api", 7, "see <!-- charter-action: act_c2 --> above, and more text");
        for (int i = 0; i < 120; i++) github.seedComment("acme/api", 7, "noise " + i);
        github.fail(Fault.resetAfterApply());

        assertInstanceOf(AttemptOutcome.Unknown.class, connector.send(comment));
        Optional<AttemptOutcome.Done> found = connector.lookup(comment);

        assertTrue(found.isPresent());
        assertTrue(found.get().deduplicated());
        assertEquals(Long.toString(github.comments().getLast().id()), found.get().externalId(), "the action's own comment, not the quote");
        assertEquals(122, github.comments().size(), "the seeded ones and the one the reset hid, no other");
        assertEquals(Optional.empty(), connector.lookup(request("github.comment", "act_other", "repo", "acme/api", "number", 7, "body", "x")));
    }

    @Test
    void anIssueIsFoundAgainByItsMarker() throws Exception {
        Connector connector = connector("github.create_issue");
        ActionRequest issue = request("github.create_issue", "act_i1", "repo", "acme/api", "title", "Flaky deploy");
        github.fail(Fault.delay(ConnectorHarness.PAST_TIMEOUT));

        assertInstanceOf(AttemptOutcome.Unknown.class, connector.send(issue));
        Thread.sleep(800);
        AttemptOutcome.Done found = connector.lookup(issue).orElseThrow();

        assertEquals("acme/api#1", found.externalId());
        assertEquals("https://github.com/acme/api/issues/1", found.url());
        assertEquals("<!-- charter-action: act_i1 -->", github.issues().getFirst().body());
    }

    @Test
    void labelsAndReviewRequestsSetStateSoRepeatingThemChangesNothing() throws Exception {
        Connector label = connector("github.add_label");
        ActionRequest addLabel = request("github.add_label", "act_l", "repo", "acme/api", "number", 3, "label", "needs-review");
        assertInstanceOf(AttemptOutcome.Done.class, label.send(addLabel));
        assertInstanceOf(AttemptOutcome.Done.class, label.send(addLabel));
        assertEquals(Set.of("needs-review"), github.labels("acme/api", 3));
        assertEquals("{\"labels\":[\"needs-review\"]}", github.received().getFirst().body());
        assertEquals(Guarantee.EXACTLY_ONCE, label.guarantee());

        Connector review = connector("github.request_review");
        ActionRequest ask = request("github.request_review", "act_r", "repo", "acme/api", "number", 3, "reviewer", "octocat");
        AttemptOutcome.Done done = assertInstanceOf(AttemptOutcome.Done.class, review.send(ask));
        assertEquals("/repos/acme/api/pulls/3/requested_reviewers", github.received().getLast().path());
        assertEquals("https://github.com/acme/api/pull/3", done.url());
        assertEquals(Set.of("octocat"), github.reviewers("acme/api", 3));
    }

    @Test
    void githubsRateLimitIsRetriedAtTheResetTime() throws Exception {
        long reset = harness.clock.instant().getEpochSecond() + 90;
        github.fail(FakeGitHub.rateLimited(reset));

        AttemptOutcome.Retry retry = assertInstanceOf(AttemptOutcome.Retry.class,
                connector("github.comment").send(request("github.comment", "act_x", "repo", "acme/api", "number", 1, "body", "b")));
        assertEquals(403, retry.status());
        assertEquals(Duration.ofSeconds(90), retry.retryAfter());
    }

    @Test
    void aRetryWhoseLookupIsRateLimitedWaitsAsGitHubAsksAndSendsNothing() throws Exception {
        long reset = harness.clock.instant().getEpochSecond() + 45;
        github.fail(FakeGitHub.rateLimited(reset));
        ActionRequest second = new ActionRequest("acme", "act_z", "github.comment", Map.of("repo", "acme/api", "number", 2L, "body", "b"), 2);

        AttemptOutcome.Retry retry = assertInstanceOf(AttemptOutcome.Retry.class, connector("github.comment").send(second));

        assertEquals(Duration.ofSeconds(45), retry.retryAfter());
        assertEquals("GET", github.received().getFirst().method());
        assertEquals(1, github.received().size());
        assertTrue(github.comments().isEmpty());
    }

    @Test
    void badCredentialsAndValidationErrorsFailWithGitHubsMessage() throws Exception {
        Connector wrong = harness.connector("github.comment", github, Map.of("token", "nope"), Map.of());
        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class,
                wrong.send(request("github.comment", "act_x", "repo", "acme/api", "number", 1, "body", "b")));
        assertEquals(401, failed.status());
        assertEquals("Bad credentials", failed.reason());
        assertTrue(wrong.render(request("github.comment", "act_x", "repo", "acme/api", "number", 1, "body", "b"))
                .headers().get("Authorization").equals("Bearer <redacted>"));

        github.fail(new Fault.Status(422, Map.of("Content-Type", "application/json"),
                "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Issue\",\"field\":\"title\",\"code\":\"missing_field\"}]}"));
        AttemptOutcome.Failed invalid = assertInstanceOf(AttemptOutcome.Failed.class,
                connector("github.create_issue").send(request("github.create_issue", "act_y", "repo", "acme/api", "title", "t")));
        assertEquals(422, invalid.status());
        assertEquals("Validation Failed: missing_field", invalid.reason());
    }

    @Test
    void aRepoThatIsNotOwnerSlashNameFailsBeforeSendingAndCannotLeaveItsPath() throws Exception {
        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class,
                connector("github.comment").send(request("github.comment", "act_x", "repo", "../../admin", "number", 1, "body", "b")));
        assertTrue(failed.reason().contains("must be owner/name"), failed.reason());

        connector("github.comment").send(request("github.comment", "act_x", "repo", "ac me/a?pi#x", "number", 1, "body", "b"));
        assertEquals("/repos/ac%20me/a%3Fpi%23x/issues/1/comments", github.received().getLast().path());
        AttemptOutcome.Failed fractional = assertInstanceOf(AttemptOutcome.Failed.class,
                connector("github.comment").send(request("github.comment", "act_x", "repo", "a/b", "number", 1.5, "body", "b")));
        assertTrue(fractional.reason().contains("whole number"), fractional.reason());
    }
}
