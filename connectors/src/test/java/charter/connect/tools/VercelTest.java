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
import charter.connect.fake.FakeVercel;
import charter.connect.fake.Fault;
import charter.connect.fake.Received;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VercelTest {
    private static final String TOKEN = "vercel_secret";
    private final ConnectorHarness harness = new ConnectorHarness();
    private final FakeVercel vercel = new FakeVercel(TOKEN);
    private final Map<String, String> settings = Map.of("team_id", "team_acme", "repo:web", "acme/web");

    private Connector connector(String tool) {
        return harness.connector(tool, vercel, Map.of("token", TOKEN), settings);
    }

    @AfterEach
    void close() {
        vercel.close();
        harness.close();
    }

    @Test
    void aDeployCarriesTheActionIdInItsMetaAndIsFoundAgainAfterAReset() throws Exception {
        Connector deploy = connector("vercel.deploy");
        ActionRequest request = request("vercel.deploy", "act_v1", "project", "web", "sha", "abc123", "target", "production");
        vercel.fail(Fault.resetAfterApply());

        assertInstanceOf(AttemptOutcome.Unknown.class, deploy.send(request));
        Received received = vercel.received().getFirst();
        assertEquals("/v13/deployments", received.path());
        assertEquals("team_acme", received.param("teamId"));
        JsonNode body = new ObjectMapper().readTree(received.body());
        assertEquals("web", body.path("name").asText());
        assertEquals("production", body.path("target").asText());
        assertEquals("abc123", body.path("gitSource").path("sha").asText());
        assertEquals("acme", body.path("gitSource").path("org").asText());
        assertEquals("web", body.path("gitSource").path("repo").asText());
        assertEquals("act_v1", body.path("meta").path("charterActionId").asText());

        AttemptOutcome.Done found = deploy.lookup(request).orElseThrow();
        assertEquals(vercel.deployments().getFirst().uid(), found.externalId());
        assertTrue(found.url().startsWith("https://web-"), found.url());
        assertTrue(deploy.lookup(request("vercel.deploy", "act_v2", "project", "web", "sha", "abc123", "target", "production")).isEmpty());
        assertEquals(Guarantee.AT_LEAST_ONCE_DEDUPLICATED, deploy.guarantee());
    }

    @Test
    void aRollbackWithoutADeploymentGoesBackToThePreviousProductionOne() throws Exception {
        String older = vercel.seed("web", "production");
        vercel.seed("web", "preview");
        vercel.seed("web", "production");
        Connector rollback = connector("vercel.rollback");
        ActionRequest request = request("vercel.rollback", "act_r", "project", "web");

        assertEquals("/v1/projects/web/rollback/%3Cprevious%3E", java.net.URI.create(rollback.render(request).target()).getRawPath());
        assertInstanceOf(AttemptOutcome.Done.class, rollback.send(request));
        assertEquals(older, vercel.production("web"));
        assertInstanceOf(AttemptOutcome.Done.class, rollback.send(request));
        assertEquals(older, vercel.production("web"), "repeating the rollback lands on the same deployment");
    }

    @Test
    void promoteSetsProductionAndAnUnknownDeploymentFailsWithVercelsMessage() throws Exception {
        String preview = vercel.seed("web", "preview");
        assertInstanceOf(AttemptOutcome.Done.class, connector("vercel.promote").send(request("vercel.promote", "act_p", "project", "web", "deployment", preview)));
        assertEquals(preview, vercel.production("web"));
        assertEquals("/v10/projects/web/promote/" + preview, vercel.received().getLast().path());

        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class,
                connector("vercel.promote").send(request("vercel.promote", "act_p", "project", "web", "deployment", "dpl_nope")));
        assertEquals(404, failed.status());
        assertEquals("not_found: Deployment dpl_nope not found", failed.reason());
    }

    @Test
    void vercelsRateLimitIsRetriedAtItsReset() throws Exception {
        vercel.fail(FakeVercel.rateLimited(harness.clock.instant().getEpochSecond() + 40));
        AttemptOutcome.Retry retry = assertInstanceOf(AttemptOutcome.Retry.class,
                connector("vercel.deploy").send(request("vercel.deploy", "act_v3", "project", "web", "sha", "s", "target", "preview")));
        assertEquals(Duration.ofSeconds(40), retry.retryAfter());
        assertTrue(vercel.deployments().isEmpty());
    }
}
