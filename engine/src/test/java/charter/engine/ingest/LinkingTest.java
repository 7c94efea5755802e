package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The building blocks of cross-source links, from real payloads. */
class LinkingTest {

    static boolean rel(Normalised n, String from, String kind, String to) {
        return NormaliserMappingTest.rel(n, from, kind, to);
    }

    @Test
    void aPushAndAVercelDeploymentOfTheSameShaMentionOneCommit() throws DeliveryException {
        Normalised push = NormaliserMappingTest.norm("github/push/push.noaction.4.json");
        String sha = push.event().getString("sha");
        String vercel = new String(Corpus.read("vercel/DeploymentSucceeded.json"), StandardCharsets.UTF_8)
                .replace("d298272f30b0ece055912eb50739ce5106c3d716", sha);
        Normalised dep = new VercelNormaliser().normalise(new RawDelivery("vercel", Map.of(), vercel.getBytes(StandardCharsets.UTF_8), Corpus.RECEIVED));
        assertTrue(NormaliserMappingTest.has(push, "commit", sha));
        assertTrue(NormaliserMappingTest.has(dep, "commit", sha));
        assertTrue(rel(dep, "deployment:" + dep.event().get("deployment_id"), "deploys", "commit:" + sha));
        // and a Sentry release of that SHA
        String sentry = "{\"action\":\"created\",\"data\":{\"error\":{\"event_id\":\"e\",\"issue_id\":\"5\",\"project\":\"web\",\"release\":\"" + sha + "\"}}}";
        Normalised err = new SentryNormaliser().normalise(new RawDelivery("sentry", Map.of("Sentry-Hook-Resource", "error"),
                sentry.getBytes(StandardCharsets.UTF_8), Corpus.RECEIVED));
        assertTrue(rel(err, "release:sentry:web@" + sha, "same_commit", "commit:" + sha));
    }

    @Test
    void aLinearAttachmentWithAGithubPrUrlIsTrackedInThatPr() throws DeliveryException {
        String body = new String(Corpus.read("linear/AttachmentCreated.json"), StandardCharsets.UTF_8)
                .replace("https://www.rickastley.co.uk/", "https://github.com/acme/api/pull/42");
        Normalised n = new LinearNormaliser().normalise(new RawDelivery("linear", Map.of("Linear-Delivery", "x"),
                body.getBytes(StandardCharsets.UTF_8), Corpus.RECEIVED));
        assertEquals("linear.attachment.created", n.event().type());
        assertEquals("acme/api#42", n.event().get("pull_request"));
        String issue = n.event().getString("issue_key");
        assertTrue(rel(n, "linear_issue:" + issue, "tracked_in", "pull_request:acme/api#42"), n.relations().toString());
        // with the identifier, as newer payloads carry it
        String withIssue = body.replace("\"issueId\":", "\"issue\": {\"id\": \"i\", \"identifier\": \"ENG-7\"}, \"issueId\":");
        Normalised m = new LinearNormaliser().normalise(new RawDelivery("linear", Map.of(), withIssue.getBytes(StandardCharsets.UTF_8), Corpus.RECEIVED));
        assertTrue(rel(m, "linear_issue:ENG-7", "tracked_in", "pull_request:acme/api#42"));
        // a plain web link is not
        Normalised plain = NormaliserMappingTest.norm("linear/AttachmentCreated.json");
        assertTrue(plain.relations().stream().noneMatch(r -> r.kind().equals("tracked_in")));
    }

    @Test
    void fixesEng123InAPrBodyLinksThePrToTheLinearIssue() throws DeliveryException {
        String body = new String(Corpus.read("github/pull_request/pull_request.opened.0.json"), StandardCharsets.UTF_8)
                .replace("\"body\": \"This is a pretty simple change that we need to pull into master.\"",
                        "\"body\": \"Fixes ENG-123. Also see ENG-9 and #1; closes #7. Encoding stays UTF-8.\"");
        Normalised n = new GithubNormaliser().normalise(Corpus.github("pull_request", body));
        String pr = "pull_request:Codertocat/Hello-World#2";
        assertTrue(rel(n, pr, "fixes", "linear_issue:ENG-123"), n.relations().toString());
        assertTrue(rel(n, pr, "references", "linear_issue:ENG-9"));
        assertTrue(rel(n, pr, "references", "github_issue:Codertocat/Hello-World#1"));
        assertTrue(rel(n, pr, "fixes", "github_issue:Codertocat/Hello-World#7"));
        assertTrue(n.relations().stream().noneMatch(r -> r.toKey().startsWith("UTF")));
        assertEquals(List.of("ENG-123", "Codertocat/Hello-World#7"), n.event().get("linked_issues"));
    }

    @Test
    void issueRefsInTextAndBranches() {
        assertEquals(List.of(new IssueRefs.Ref("fixes", "linear_issue", "ENG-1"), new IssueRefs.Ref("fixes", "linear_issue", "OPS-22"),
                        new IssueRefs.Ref("references", "pull_request", "o/r#5")),
                IssueRefs.scan("resolves: ENG-1, closed OPS-22 after https://github.com/o/r/pull/5", null));
        assertEquals(List.of(new IssueRefs.Ref("references", "github_issue", "other/repo#3")), IssueRefs.scan("see other/repo#3", "a/b"));
        assertEquals(List.of(), IssueRefs.scan("SHA-256 and ISO-8601 and #3 with no repo", null));
        assertEquals(List.of(new IssueRefs.Ref("references", "linear_issue", "ENG-77")), IssueRefs.scanBranch("alice/eng-77-fix-login"));
        assertEquals(List.of(new IssueRefs.Ref("fixes", "linear_issue", "ENG-5")),
                IssueRefs.scan("see ENG-5, and fixes ENG-5", null), "strongest kind wins");
        assertEquals("acme/api#42", IssueRefs.pullRequestKey("https://github.com/acme/api/pull/42/files"));
        assertEquals(null, IssueRefs.pullRequestKey("https://github.com/acme/api/issues/42"));
    }
}
