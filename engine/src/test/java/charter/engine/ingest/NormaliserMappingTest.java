package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Field by field mappings of real payloads, per source. */
class NormaliserMappingTest {

    static Normalised norm(String relative) throws DeliveryException {
        RawDelivery d = Corpus.delivery(relative);
        return Normalisers.forSource(d.source()).normalise(d);
    }

    static boolean has(Normalised n, String type, String key) {
        return n.mentions().stream().anyMatch(m -> m.type().equals(type) && m.key().equals(key));
    }

    static Normalised.Mention mention(Normalised n, String type, String key) {
        return n.mentions().stream().filter(m -> m.type().equals(type) && m.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + ":" + key + " in " + n.mentions()));
    }

    static boolean rel(Normalised n, String from, String kind, String to) {
        return n.relations().stream().anyMatch(r -> (r.fromType() + ":" + r.fromKey()).equals(from) && r.kind().equals(kind)
                && (r.toType() + ":" + r.toKey()).equals(to));
    }

    @Test
    void githubPullRequestOpened() throws DeliveryException {
        Normalised n = norm("github/pull_request/pull_request.opened.0.json");
        var e = n.event();
        assertEquals("github.pull_request.opened", e.type());
        assertEquals("github:d-pull_request.opened.0.json", e.id());
        assertEquals("d-pull_request.opened.0.json", n.deliveryId());
        assertEquals(Corpus.RECEIVED, e.time());
        assertEquals("Codertocat/Hello-World", e.get("repo"));
        assertEquals(2.0, e.get("number"));
        assertEquals("Codertocat", e.get("author"));
        assertEquals("Codertocat", e.get("actor"));
        assertEquals("opened", e.get("action"));
        assertEquals("changes", e.get("head_branch"));
        assertEquals("master", e.get("base_branch"));
        assertEquals("ec26c3e57ca3a959ca5aad62de7213c562f8c821", e.get("head_sha"));
        assertEquals(false, e.get("merged"));
        assertEquals(1.0, e.get("additions"));
        assertEquals("Update the README with new information.", e.get("title"));
        Normalised.Mention pr = mention(n, "pull_request", "Codertocat/Hello-World#2");
        assertEquals("open", pr.claims().get("state"));
        assertEquals("Codertocat", mention(n, "person", "Codertocat").claims().get("github"));
        assertTrue(rel(n, "pull_request:Codertocat/Hello-World#2", "belongs_to", "repository:Codertocat/Hello-World"));
        assertTrue(rel(n, "pull_request:Codertocat/Hello-World#2", "authored_by", "person:Codertocat"));
        assertTrue(rel(n, "commit:ec26c3e57ca3a959ca5aad62de7213c562f8c821", "part_of", "branch:Codertocat/Hello-World:changes"));
        assertTrue(has(n, "branch", "Codertocat/Hello-World:master"));
    }

    @Test
    void githubPushWithCommits() throws DeliveryException {
        Normalised n = norm("github/push/push.noaction.4.json");
        var e = n.event();
        assertEquals("github.push", e.type());
        assertEquals("master", e.get("branch"));
        assertEquals("refs/heads/master", e.get("ref"));
        assertTrue(e.getString("sha").startsWith("6113728f27ae"));
        assertEquals(1.0, e.get("commit_count"));
        assertEquals("Codertocat", e.get("pusher"));
        String sha = e.getString("sha");
        assertEquals("Initial commit", mention(n, "commit", sha).claims().get("message"));
        assertTrue(rel(n, "commit:" + sha, "part_of", "branch:Codertocat/Hello-World:master"));
        // a tag deletion: no commit, no branch
        Normalised del = norm("github/push/push.noaction.1.json");
        assertEquals(null, del.event().get("sha"));
        assertEquals(null, del.event().get("branch"));
        assertTrue(del.mentions().stream().noneMatch(m -> m.type().equals("commit")));
    }

    @Test
    void githubDeploymentStatusReleaseChecksAndReviews() throws DeliveryException {
        Normalised ds = norm("github/deployment_status/deployment_status.created.0.json");
        assertEquals("success", ds.event().get("state"));
        assertEquals("145988746", ds.event().get("deployment_id"));
        assertEquals("success", mention(ds, "deployment", "github:145988746").claims().get("status"));
        assertTrue(rel(ds, "deployment:github:145988746", "deploys", "commit:f95f852bd8fca8fcc58a9a2d6c842781e32a215e"));

        for (String event : List.of("check_run", "check_suite", "workflow_run", "pull_request_review", "pull_request_review_comment",
                "issue_comment", "issues", "release", "status", "member", "repository", "create", "delete", "deployment")) {
            for (var p : Corpus.payloads()) {
                if (p.getParent().getFileName().toString().equals(event)) {
                    Normalised n = Normalisers.forSource("github").normalise(Corpus.delivery(p));
                    assertTrue(n.event().type().startsWith("github." + event), p.toString());
                    assertTrue(n.event().data().containsKey("repo"), p + " repo");
                    assertTrue(n.event().data().containsKey("actor"), p + " actor");
                }
            }
        }
        Normalised review = norm(first("pull_request_review", "submitted"));
        assertTrue(review.relations().stream().anyMatch(r -> r.fromType().equals("review") && r.kind().equals("references")
                && r.toType().equals("pull_request")));
        Normalised cr = norm(first("check_run", "completed"));
        assertTrue(cr.relations().stream().anyMatch(r -> r.kind().equals("triggers") && r.toType().equals("check_run")));
        Normalised wr = norm("github/workflow_run/workflow_run.completed.1.json");
        assertEquals("test", wr.event().get("workflow"));
        assertEquals("success", wr.event().get("conclusion"));
        assertTrue(wr.relations().stream().anyMatch(r -> r.kind().equals("triggers") && r.toType().equals("workflow_run")));
    }

    static String first(String event, String action) {
        return Corpus.payloads().stream().filter(p -> p.getFileName().toString().startsWith(event + "." + action + "."))
                .map(p -> Corpus.root().relativize(p).toString()).findFirst().orElseThrow();
    }

    @Test
    void vercelDeploymentWithGitMetadata() throws DeliveryException {
        Normalised n = norm("vercel/DeploymentReady.json");
        var e = n.event();
        assertEquals("vercel.deployment.ready", e.type());
        assertEquals("vercel", e.source());
        assertEquals(Instant.ofEpochMilli(1698397685674L), e.time());
        assertEquals("dpl_12yAAMp54JKe1XxonMYqW4oWtK5K", e.get("deployment_id"));
        assertEquals("accordion-component", e.get("project"));
        assertEquals("prj_vt57HZEY7iilPaJv71LcOVLcEiOp", e.get("project_id"));
        assertEquals("preview", e.get("target"), "a null target is a preview");
        assertEquals("d298272f30b0ece055912eb50739ce5106c3d716", e.get("sha"));
        assertEquals("test-webhook", e.get("branch"));
        assertEquals("rickastley/accordion-component", e.get("repo"));
        assertEquals("https://accordion-component-bkzjdsyk8-rick-team.vercel.app", e.get("url"));
        assertEquals("ready", mention(n, "deployment", "dpl_12yAAMp54JKe1XxonMYqW4oWtK5K").claims().get("status"));
        assertTrue(rel(n, "deployment:dpl_12yAAMp54JKe1XxonMYqW4oWtK5K", "deploys", "commit:d298272f30b0ece055912eb50739ce5106c3d716"));
        assertTrue(rel(n, "commit:d298272f30b0ece055912eb50739ce5106c3d716", "part_of", "branch:rickastley/accordion-component:test-webhook"));
        assertEquals(n.deliveryId(), new String(Corpus.read("vercel/DeploymentReady.json"), StandardCharsets.UTF_8)
                .replaceAll("(?s).*\"id\": \"([^\"]+)\",\\s*\"payload\".*", "$1"));
        assertEquals("vercel.deployment.error", norm("vercel/DeploymentError.json").event().type());
        assertEquals("vercel.deployment.canceled", norm("vercel/DeploymentCanceled.json").event().type());
        Normalised removed = norm("vercel/ProjectRemoved.payload-only.json");
        assertEquals("vercel.project.removed", removed.event().type());
        assertEquals("coding-bootcamp-testimonial", removed.event().get("project"));
    }

    @Test
    void vercelPullRequestFromMeta() throws DeliveryException {
        String body = new String(Corpus.read("vercel/DeploymentCreated.json"), StandardCharsets.UTF_8)
                .replace("\"githubDeployment\": \"1\",", "\"githubDeployment\": \"1\", \"githubPrId\": \"17\",");
        Normalised n = new VercelNormaliser().normalise(new RawDelivery("vercel", Map.of(), body.getBytes(StandardCharsets.UTF_8), Corpus.RECEIVED));
        assertEquals(17.0, n.event().get("pr"));
        assertTrue(has(n, "pull_request", "rickastley/accordion-component#17"));
    }

    @Test
    void linearIssueUpdateWithUpdatedFrom() throws DeliveryException {
        Normalised n = norm("linear/IssueUpdated.json");
        var e = n.event();
        assertEquals("linear.issue.updated", e.type());
        assertEquals("ld-IssueUpdated.json", n.deliveryId());
        assertEquals(Instant.parse("2023-09-17T10:52:49.321Z"), e.time());
        assertEquals("TRI-1", e.get("key"));
        assertEquals("TRI", e.get("team"));
        assertEquals("Todo", e.get("state"));
        assertEquals("unstarted", e.get("state_type"));
        assertEquals(2.0, e.get("priority"));
        assertEquals(List.of("title"), e.get("changed"));
        assertEquals("Welcome to Linear 👋", e.get("previous_title"));
        assertTrue(rel(n, "linear_issue:TRI-1", "belongs_to", "team:TRI"));

        // assignee, state and priority changes, as current Linear sends them
        String body = """
                {"action":"update","type":"Issue","createdAt":"2026-03-02T10:00:00.000Z","webhookTimestamp":1772445600000,
                 "url":"https://linear.app/acme/issue/ENG-123/login",
                 "data":{"id":"u-1","identifier":"ENG-123","number":123,"title":"Login fails","priority":1,
                   "team":{"id":"t","key":"ENG","name":"Engineering"},"state":{"id":"s2","name":"In Progress","type":"started"},
                   "assignee":{"id":"a2","name":"Bob","email":"bob@acme.dev"},"assigneeId":"a2"},
                 "updatedFrom":{"assigneeId":"a1","stateId":"s1","priority":3,"updatedAt":"2026-03-02T09:00:00.000Z"}}
                """;
        Normalised u = new LinearNormaliser().normalise(new RawDelivery("linear", Map.of("Linear-Delivery", "ld-1"),
                body.getBytes(StandardCharsets.UTF_8), Corpus.RECEIVED));
        assertEquals("bob@acme.dev", u.event().get("assignee"));
        assertEquals("a1", u.event().get("previous_assignee"));
        assertEquals("s1", u.event().get("previous_state"));
        assertEquals(3.0, u.event().get("previous_priority"));
        assertEquals(List.of("assigneeId", "stateId", "priority"), u.event().get("changed"));
        assertTrue(rel(u, "linear_issue:ENG-123", "assigned_to", "person:bob@acme.dev"));
        assertEquals("In Progress", mention(u, "linear_issue", "ENG-123").claims().get("state"));
        assertEquals("Bob", mention(u, "person", "bob@acme.dev").claims().get("name"));
    }

    @Test
    void linearOtherTypes() throws DeliveryException {
        Normalised c = norm("linear/CommentCreated.json");
        assertEquals("linear.comment.created", c.event().type());
        assertEquals("TRI-1", c.event().get("issue_key"), "from the delivery URL");
        assertTrue(rel(c, "comment:linear:a4083fcd-2513-4a9b-9a73-bab21cd56a95", "references", "linear_issue:TRI-1"));
        assertEquals("linear.cycle.created", norm("linear/CycleCreated.json").event().type());
        assertEquals("linear.project_update.created", norm("linear/ProjectUpdateCreated.json").event().type());
        assertEquals("Rick's World", norm("linear/ProjectUpdateCreated.json").event().get("project"));
        assertEquals("linear.issue_label.removed", norm("linear/IssueLabelRemoved.json").event().type());
        assertEquals("linear.reaction.updated", norm("linear/ReactionUpdated.json").event().type());
        assertEquals("heart", norm("linear/ReactionCreated.json").event().get("emoji"));
    }

    @Test
    void sentryIssueErrorAlerts() throws DeliveryException {
        Normalised a = norm("sentry/example-app/issue.assigned.json");
        var e = a.event();
        assertEquals("sentry.issue.assigned", e.type());
        assertEquals("r-example-app-issue.assigned.json", a.deliveryId());
        assertEquals("123", e.get("issue_id"));
        assertEquals("ipe", e.get("project"));
        assertEquals("person@example.com", e.get("assignee"));
        assertEquals(1.0, e.get("count"), "Sentry sends count as a string; read as a number");
        assertTrue(rel(a, "sentry_issue:123", "assigned_to", "person:person@example.com"));
        assertTrue(rel(a, "sentry_issue:123", "belongs_to", "service:ipe"));

        Normalised err = norm("sentry/docs/error.created.json");
        assertEquals("sentry.error.created", err.event().type());
        assertEquals("1170820242", err.event().get("issue_id"));
        assertEquals("front-end", err.event().get("project"), "slug from the event's API URL");
        assertEquals(Instant.parse("2019-08-19T20:58:37.391Z"), err.event().time());

        Normalised crit = norm("sentry/example-app/metric_alert.critical.json");
        assertEquals("sentry.metric_alert.critical", crit.event().type());
        assertEquals("critical", crit.event().get("status"));
        assertEquals("critical", mention(crit, "alert", "sentry:metric alert").claims().get("status"));
        assertEquals("sentry.metric_alert.warning", norm("sentry/example-app/metric_alert.warning.json").event().type());
        assertEquals("sentry.metric_alert.resolved", norm("sentry/docs/metric_alert.resolved.json").event().type());
        Normalised ea = norm("sentry/docs/event_alert.triggered.json");
        assertEquals("Very Important Alert Rule!", ea.event().get("alert_rule"));
        assertTrue(rel(ea, "sentry_issue:1117540176", "triggers", "alert:sentry:Very Important Alert Rule!"));
        assertEquals("sentry.comment.created", norm("sentry/docs/comment.created.json").event().type());
        assertEquals("sentry.installation.created", norm("sentry/docs/installation.created.json").event().type());
        assertEquals("sentry.issue.ignored", norm("sentry/example-app/issue.ignored.json").event().type());
        assertEquals("sentry.issue.resolved", norm("sentry/example-app/issue.resolved.json").event().type());
    }

    @Test
    void sentryUnresolvedReleaseAndResolvingCommit() throws DeliveryException {
        String sha = "d298272f30b0ece055912eb50739ce5106c3d716";
        String body = """
                {"action":"resolved","data":{"issue":{"id":"77","shortId":"API-1F","title":"TypeError","level":"fatal","status":"resolved",
                  "project":{"slug":"api"},"count":"12","firstRelease":{"version":"api@%s"},
                  "statusDetails":{"inCommit":{"id":"%s"},"inRelease":"api@2.0.0"}}}}
                """.formatted(sha, sha);
        Normalised n = new SentryNormaliser().normalise(new RawDelivery("sentry",
                Map.of("Sentry-Hook-Resource", "issue", "Request-ID", "req-9", "Sentry-Hook-Timestamp", "1772445600"),
                body.getBytes(StandardCharsets.UTF_8), Corpus.RECEIVED));
        assertEquals(Instant.ofEpochSecond(1772445600), n.event().time());
        assertEquals(sha, n.event().get("sha"));
        assertTrue(rel(n, "release:sentry:api@api@" + sha, "same_commit", "commit:" + sha));
        assertTrue(rel(n, "commit:" + sha, "resolves", "sentry_issue:77"));
        assertTrue(rel(n, "release:sentry:api@api@2.0.0", "resolves", "sentry_issue:77"));
        assertEquals("sentry.issue.unresolved", new SentryNormaliser().normalise(new RawDelivery("sentry",
                Map.of("Sentry-Hook-Resource", "issue"), body.replace("\"resolved\",\"data\"", "\"unresolved\",\"data\"")
                        .getBytes(StandardCharsets.UTF_8), Corpus.RECEIVED)).event().type());
    }

    @Test
    void atMostFiftyEntities() throws DeliveryException {
        StringBuilder commits = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            String sha = String.format("%040x", i + 1);
            commits.append(i == 0 ? "" : ",").append("{\"id\":\"").append(sha).append("\",\"message\":\"fixes ENG-").append(i + 1)
                    .append("\",\"author\":{\"username\":\"dev").append(i).append("\"}}");
        }
        String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + String.format("%040x", 40) + "\",\"repository\":{\"full_name\":\"a/b\"},"
                + "\"commits\":[" + commits + "]}";
        Normalised n = new GithubNormaliser().normalise(Corpus.github("push", body));
        assertEquals(Normalised.MAX_ENTITIES, n.mentions().size());
        assertEquals(Normalised.MAX_ENTITIES, n.event().entities().size());
        assertTrue(n.warnings().stream().anyMatch(w -> w.contains("at most 50")), n.warnings().toString());
        assertTrue(n.warnings().stream().anyMatch(w -> w.contains("last 20")), n.warnings().toString());
    }
}
