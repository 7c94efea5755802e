package charter.connect.tools;

import static charter.connect.ConnectorHarness.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorHarness;
import charter.connect.fake.FakeSentry;
import charter.connect.fake.Fault;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SentryTest {
    private static final String TOKEN = "sntrys_secret";
    private final ConnectorHarness harness = new ConnectorHarness();
    private final FakeSentry sentry = new FakeSentry(TOKEN, "acme");

    private Connector connector(String tool) {
        return harness.connector(tool, sentry, Map.of("token", TOKEN), Map.of("organization", "acme", "person:alice", "user:42"));
    }

    @AfterEach
    void close() {
        sentry.close();
        harness.close();
    }

    @Test
    void assignAndResolveSetTheIssuesState() throws Exception {
        sentry.seed("1234");
        AttemptOutcome.Done done = assertInstanceOf(AttemptOutcome.Done.class,
                connector("sentry.assign").send(request("sentry.assign", "act_a", "issue_id", "1234", "assignee", "alice")));
        assertEquals("PUT", sentry.received().getFirst().method());
        assertEquals("/api/0/organizations/acme/issues/1234/", sentry.received().getFirst().path());
        assertEquals("{\"assignedTo\":\"user:42\"}", sentry.received().getFirst().body());
        assertEquals("https://acme.sentry.io/issues/1234/", done.url());
        assertEquals("user:42", sentry.issue("1234").assignedTo());

        sentry.fail(Fault.resetAfterApply());
        assertInstanceOf(AttemptOutcome.Unknown.class, connector("sentry.resolve").send(request("sentry.resolve", "act_r", "issue_id", "1234")));
        assertInstanceOf(AttemptOutcome.Done.class, connector("sentry.resolve").send(request("sentry.resolve", "act_r", "issue_id", "1234")));
        assertEquals("resolved", sentry.issue("1234").status());
    }

    @Test
    void anUnknownIssueFailsWithSentrysDetailAndAMissingOrganizationBeforeSending() throws Exception {
        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class,
                connector("sentry.resolve").send(request("sentry.resolve", "act_r", "issue_id", "999")));
        assertEquals(404, failed.status());
        assertEquals("The requested resource does not exist", failed.reason());

        Connector noOrg = harness.connector("sentry.resolve", sentry, Map.of("token", TOKEN), Map.of());
        assertTrue(assertInstanceOf(AttemptOutcome.Failed.class, noOrg.send(request("sentry.resolve", "act_r", "issue_id", "1")))
                .reason().contains("no setting 'organization'"));
    }
}
