package charter.engine.ingest;

import charter.compiler.catalog.Catalog;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * GitHub deliveries: event name from {@code X-GitHub-Event}, delivery id from
 * {@code X-GitHub-Delivery}, action from the body. Type {@code github.<event>.<action>} for the deeply
 * mapped events, {@code github.<event>} for action-less and shallow ones (repo, org, sender, action),
 * {@code github.unknown} (with a warning) for anything else. Event time is the time of receipt:
 * GitHub bodies carry no send time.
 */
public final class GithubNormaliser extends AbstractNormaliser {

    public static final String EVENT_HEADER = "x-github-event";
    public static final String DELIVERY_HEADER = "x-github-delivery";

    /** Events with a type per action in the catalog. */
    static final Set<String> DEEP = Set.of("pull_request", "pull_request_review", "pull_request_review_comment", "issues",
            "issue_comment", "release", "deployment", "deployment_status", "check_suite", "check_run", "workflow_run",
            "repository", "member", "push", "create", "delete", "status");
    private static final int MAX_PUSH_COMMITS = 20;

    public GithubNormaliser(Catalog catalog, Payloads.Limits limits) {
        super(catalog, limits);
    }

    /** Over a given parser (tests compare the pruned tree with the whole one). */
    GithubNormaliser(Catalog catalog, Payloads payloads) {
        super(catalog, payloads);
    }

    public GithubNormaliser() {
        this(Catalog.standard(), Payloads.Limits.DEFAULT);
    }

    @Override
    public String source() {
        return "github";
    }

    @Override
    public Normalised normalise(RawDelivery d) throws DeliveryException {
        String event = requireHeader(d, EVENT_HEADER, "github delivery");
        List<String> warnings = new ArrayList<>();
        String id = deliveryId(d, DELIVERY_HEADER, warnings);
        String what = "github delivery " + id + " (" + Json.abbreviate(event) + ")";
        JsonNode root = payloads.parseObject(d.body(), what);
        String action = optString(root, "action", what);
        JsonNode repository = optObject(root, "repository", what);
        JsonNode sender = optObject(root, "sender", what);

        String type = typeFor(event, action);
        EventDraft ev = new EventDraft(catalog, "github", type, id, d.receivedAt());
        warnings.forEach(ev::warn);
        if (type.equals("github.unknown")) {
            ev.warn("unknown GitHub event '" + Json.abbreviate(event) + (action == null ? "" : "." + Json.abbreviate(action))
                    + "': kept as github.unknown");
            ev.put("event", event);
        }
        String repo = Json.text(repository, "full_name");
        ev.put("action", action);
        ev.put("repo", repo);
        ev.put("org", Json.text(root, "organization", "login") != null ? Json.text(root, "organization", "login")
                : Json.text(repository, "owner", "login"));
        ev.put("actor", Json.text(sender, "login"));
        if (repo != null) {
            ev.mention("repository", repo);
            ev.claim("repository", repo, "default_branch", Json.at(repository, "default_branch"));
            ev.claim("repository", repo, "private", Json.at(repository, "private"));
            ev.claim("repository", repo, "url", Json.at(repository, "html_url"));
        }
        if (DEEP.contains(event) && !type.equals("github.unknown")) {
            switch (event) {
                case "pull_request" -> pullRequest(ev, root, repo, what);
                case "pull_request_review" -> review(ev, root, repo, what);
                case "pull_request_review_comment" -> reviewComment(ev, root, repo, what);
                case "issues" -> issue(ev, root, repo, what);
                case "issue_comment" -> issueComment(ev, root, repo, what);
                case "release" -> release(ev, root, repo, what);
                case "deployment" -> deployment(ev, root, repo, what);
                case "deployment_status" -> deploymentStatus(ev, root, repo, what);
                case "check_suite" -> checkSuite(ev, root, repo, what);
                case "check_run" -> checkRun(ev, root, repo, what);
                case "workflow_run" -> workflowRun(ev, root, repo, what);
                case "status" -> status(ev, root, repo);
                case "repository" -> repositoryEvent(ev, root, repo);
                case "member" -> member(ev, root);
                case "push" -> push(ev, root, repo, what);
                case "create", "delete" -> ref(ev, root, repo);
                default -> { }
            }
        }
        return ev.build();
    }

    private String typeFor(String event, String action) {
        if (!WORD.matcher(event).matches()) {
            return "github.unknown";
        }
        if (action != null && WORD.matcher(action).matches() && catalog.eventType("github." + event + "." + action).isPresent()) {
            return "github." + event + "." + action;
        }
        if (catalog.eventType("github." + event).isPresent()) {
            return "github." + event;
        }
        return "github.unknown";
    }

    // ---- deep mappings

    private void pullRequest(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode pr = requireObject(root, "pull_request", what);
        Long number = keyNumber(pr, what, "number");
        if (number == null) {
            number = keyNumber(root, what, "number");
        }
        ev.put("number", number);
        ev.put("title", pr, "title");
        ev.put("author", pr, "user", "login");
        ev.put("state", pr, "state");
        ev.put("base_branch", pr, "base", "ref");
        ev.put("head_branch", pr, "head", "ref");
        ev.put("head_sha", EventDraft.sha(Json.text(pr, "head", "sha")));
        ev.put("base_sha", EventDraft.sha(Json.text(pr, "base", "sha")));
        ev.put("draft", pr, "draft");
        ev.put("merged", pr, "merged");
        ev.put("merged_by", pr, "merged_by", "login");
        if (Boolean.TRUE.equals(ev.get("merged"))) {
            ev.put("merge_sha", EventDraft.sha(Json.text(pr, "merge_commit_sha")));
        }
        for (String f : List.of("additions", "deletions", "changed_files", "commits")) {
            ev.put(f, pr, f);
        }
        ev.put("labels", values(Json.at(pr, "labels"), "name"));
        ev.put("label", root, "label", "name");
        ev.put("assignees", values(Json.at(pr, "assignees"), "login"));
        ev.put("assignee", root, "assignee", "login");
        ev.put("requested_reviewers", values(Json.at(pr, "requested_reviewers"), "login"));
        ev.put("requested_reviewer", root, "requested_reviewer", "login");
        ev.put("created_at", pr, "created_at");
        ev.put("closed_at", pr, "closed_at");
        ev.put("url", pr, "html_url");
        if (repo == null || number == null) {
            ev.warn("pull request without repository or number: no pull_request entity");
            return;
        }
        String key = repo + "#" + number;
        ev.mention("pull_request", key);
        ev.claimFields("pull_request", key, "repo", "number", "title", "author", "state", "draft", "merged",
                "base_branch", "head_branch", "head_sha", "additions", "deletions", "labels", "url");
        ev.relate("pull_request", key, "belongs_to", "repository", repo);
        ev.relate("pull_request", key, "authored_by", "person", ev.str("author"));
        Object assignees = ev.get("assignees");
        if (assignees instanceof List<?> l) {
            for (Object a : l) {
                ev.relate("pull_request", key, "assigned_to", "person", a.toString());
            }
        }
        String head = ev.str("head_branch");
        String headRepo = Json.text(pr, "head", "repo", "full_name") != null ? Json.text(pr, "head", "repo", "full_name") : repo;
        if (head != null) {
            String branch = headRepo + ":" + head;
            ev.claim("branch", branch, "repo", headRepo);
            ev.claim("branch", branch, "name", head);
            ev.claim("branch", branch, "head_sha", ev.get("head_sha"));
            ev.relate("commit", ev.str("head_sha"), "part_of", "branch", branch);
            ev.relate("branch", branch, "belongs_to", "repository", headRepo);
        }
        if (ev.str("merge_sha") != null && ev.str("base_branch") != null) {
            ev.relate("commit", ev.str("merge_sha"), "part_of", "branch", repo + ":" + ev.str("base_branch"));
        }
        String text = join(Json.text(pr, "title"), Json.text(pr, "body"));
        linkRefs(ev, "pull_request", key, IssueRefs.merge(IssueRefs.scan(text, repo), IssueRefs.scanBranch(head)),
                "linked_issues", "referenced_issues");
    }

    private void review(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode review = requireObject(root, "review", what);
        JsonNode pr = requireObject(root, "pull_request", what);
        Long number = keyNumber(pr, what, "number");
        ev.put("number", number);
        ev.put("pr_title", pr, "title");
        ev.put("pr_author", pr, "user", "login");
        ev.put("reviewer", review, "user", "login");
        String state = Json.text(review, "state");
        ev.put("state", state == null ? null : state.toLowerCase(java.util.Locale.ROOT));
        ev.put("review_id", review, "id");
        ev.put("body", review, "body");
        ev.put("commit_sha", EventDraft.sha(Json.text(review, "commit_id")));
        ev.put("submitted_at", review, "submitted_at");
        ev.put("url", review, "html_url");
        String prKey = repo == null || number == null ? null : repo + "#" + number;
        String reviewId = ev.str("review_id");
        ev.claimFields("review", reviewId, "reviewer", "state", "commit_sha");
        ev.claim("review", reviewId, "pull_request", prKey);
        ev.relate("review", reviewId, "references", "pull_request", prKey);
        ev.relate("review", reviewId, "authored_by", "person", ev.str("reviewer"));
        ev.relate("pull_request", prKey, "belongs_to", "repository", repo);
        ev.relate("pull_request", prKey, "authored_by", "person", ev.str("pr_author"));
    }

    private void reviewComment(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode c = requireObject(root, "comment", what);
        JsonNode pr = requireObject(root, "pull_request", what);
        Long number = keyNumber(pr, what, "number");
        ev.put("number", number);
        ev.put("pr_title", pr, "title");
        ev.put("pr_author", pr, "user", "login");
        ev.put("comment_id", c, "id");
        ev.put("review_id", c, "pull_request_review_id");
        ev.put("author", c, "user", "login");
        ev.put("body", c, "body");
        ev.put("path", c, "path");
        ev.put("commit_sha", EventDraft.sha(Json.text(c, "commit_id")));
        ev.put("url", c, "html_url");
        String prKey = repo == null || number == null ? null : repo + "#" + number;
        String comment = ev.str("comment_id") == null ? null : "github:" + ev.str("comment_id");
        ev.claimFields("comment", comment, "author", "body");
        ev.claim("comment", comment, "parent", prKey);
        ev.relate("comment", comment, "references", "pull_request", prKey);
        ev.relate("comment", comment, "authored_by", "person", ev.str("author"));
        ev.relate("review", ev.str("review_id"), "references", "pull_request", prKey);
        ev.relate("pull_request", prKey, "belongs_to", "repository", repo);
        linkRefs(ev, "comment", comment, IssueRefs.scan(Json.text(c, "body"), repo), null, null);
    }

    private void issue(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode issue = requireObject(root, "issue", what);
        Long number = keyNumber(issue, what, "number");
        ev.put("number", number);
        ev.put("title", issue, "title");
        ev.put("author", issue, "user", "login");
        ev.put("state", issue, "state");
        ev.put("labels", values(Json.at(issue, "labels"), "name"));
        ev.put("label", root, "label", "name");
        String assignee = Json.text(root, "assignee", "login");
        ev.put("assignee", assignee != null ? assignee : Json.text(issue, "assignee", "login"));
        ev.put("assignees", values(Json.at(issue, "assignees"), "login"));
        ev.put("milestone", issue, "milestone", "title");
        ev.put("comments", issue, "comments");
        ev.put("created_at", issue, "created_at");
        ev.put("closed_at", issue, "closed_at");
        ev.put("url", issue, "html_url");
        if (repo == null || number == null) {
            return;
        }
        String key = repo + "#" + number;
        ev.claimFields("github_issue", key, "repo", "number", "title", "state", "author", "labels", "url");
        if (!"unassigned".equals(ev.str("action"))) {
            ev.claim("github_issue", key, "assignee", ev.get("assignee"));
        }
        ev.relate("github_issue", key, "belongs_to", "repository", repo);
        ev.relate("github_issue", key, "authored_by", "person", ev.str("author"));
        if (ev.get("assignees") instanceof List<?> l) {
            for (Object a : l) {
                ev.relate("github_issue", key, "assigned_to", "person", a.toString());
            }
        }
        linkRefs(ev, "github_issue", key, IssueRefs.scan(join(Json.text(issue, "title"), Json.text(issue, "body")), repo),
                "linked_issues", "referenced_issues");
    }

    private void issueComment(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode issue = requireObject(root, "issue", what);
        JsonNode c = requireObject(root, "comment", what);
        Long number = keyNumber(issue, what, "number");
        boolean isPr = Json.at(issue, "pull_request") != null;
        ev.put("number", number);
        ev.put("issue_title", issue, "title");
        ev.put("is_pull_request", isPr);
        ev.put("comment_id", c, "id");
        ev.put("author", c, "user", "login");
        ev.put("body", c, "body");
        ev.put("url", c, "html_url");
        String key = repo == null || number == null ? null : repo + "#" + number;
        String comment = ev.str("comment_id") == null ? null : "github:" + ev.str("comment_id");
        ev.claimFields("comment", comment, "author", "body");
        ev.claim("comment", comment, "parent", key);
        ev.relate("comment", comment, "references", isPr ? "pull_request" : "github_issue", key);
        ev.relate("comment", comment, "authored_by", "person", ev.str("author"));
        ev.relate(isPr ? "pull_request" : "github_issue", key, "belongs_to", "repository", repo);
        List<IssueRefs.Ref> refs = IssueRefs.scan(Json.text(c, "body"), repo);
        List<String> keys = new ArrayList<>();
        for (IssueRefs.Ref r : refs) {
            ev.relate("comment", comment, "references", r.type(), r.key());
            keys.add(r.key());
        }
        if (!keys.isEmpty()) {
            ev.put("referenced_issues", keys);
        }
    }

    private void release(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode r = requireObject(root, "release", what);
        ev.put("release_id", r, "id");
        ev.put("tag", r, "tag_name");
        ev.put("name", r, "name");
        ev.put("author", r, "author", "login");
        ev.put("target", r, "target_commitish");
        ev.put("sha", EventDraft.sha(Json.text(r, "target_commitish")));
        ev.put("prerelease", r, "prerelease");
        ev.put("draft", r, "draft");
        ev.put("published_at", r, "published_at");
        ev.put("url", r, "html_url");
        String key = repo == null || ev.str("tag") == null ? null : repo + "@" + ev.str("tag");
        ev.claimFields("release", key, "tag", "sha", "author", "url");
        ev.relate("release", key, "same_commit", "commit", ev.str("sha"));
        ev.relate("release", key, "belongs_to", "repository", repo);
        ev.relate("release", key, "authored_by", "person", ev.str("author"));
    }

    private void deployment(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode dep = requireObject(root, "deployment", what);
        ev.put("deployment_id", dep, "id");
        ev.put("environment", dep, "environment");
        ev.put("ref", dep, "ref");
        ev.put("sha", EventDraft.sha(Json.text(dep, "sha")));
        ev.put("creator", dep, "creator", "login");
        ev.put("task", dep, "task");
        ev.put("description", dep, "description");
        ev.put("url", dep, "url");
        deploymentLinks(ev, repo, ev.str("creator"));
    }

    private void deploymentStatus(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode st = requireObject(root, "deployment_status", what);
        JsonNode dep = requireObject(root, "deployment", what);
        ev.put("deployment_id", dep, "id");
        String env = Json.text(st, "environment");
        ev.put("environment", env != null ? env : Json.text(dep, "environment"));
        ev.put("state", st, "state");
        ev.put("ref", dep, "ref");
        ev.put("sha", EventDraft.sha(Json.text(dep, "sha")));
        ev.put("creator", st, "creator", "login");
        ev.put("description", st, "description");
        ev.put("target_url", st, "target_url");
        ev.put("environment_url", st, "environment_url");
        String key = ev.str("deployment_id") == null ? null : "github:" + ev.str("deployment_id");
        ev.claim("deployment", key, "status", ev.get("state"));
        ev.claim("deployment", key, "url", ev.get("environment_url"));
        deploymentLinks(ev, repo, Json.text(dep, "creator", "login"));
    }

    private void deploymentLinks(EventDraft ev, String repo, String creator) {
        String key = ev.str("deployment_id") == null ? null : "github:" + ev.str("deployment_id");
        String sha = ev.str("sha");
        String ref = ev.str("ref");
        ev.claim("deployment", key, "target", ev.get("environment"));
        ev.claim("deployment", key, "sha", sha);
        ev.claim("deployment", key, "creator", creator);
        ev.claim("deployment", key, "project", repo);
        ev.relate("deployment", key, "deploys", "commit", sha);
        if (repo != null && ref != null && sha != null && !ref.equals(sha) && EventDraft.sha(ref) == null && !ref.startsWith("refs/tags/")) {
            String branch = repo + ":" + ref.replaceFirst("^refs/heads/", "");
            ev.claim("deployment", key, "branch", ref.replaceFirst("^refs/heads/", ""));
            ev.relate("commit", sha, "part_of", "branch", branch);
        }
        ev.relate("deployment", key, "authored_by", "person", creator);
    }

    private void checkSuite(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode cs = requireObject(root, "check_suite", what);
        ev.put("check_suite_id", cs, "id");
        ev.put("status", cs, "status");
        ev.put("conclusion", cs, "conclusion");
        ev.put("head_sha", EventDraft.sha(Json.text(cs, "head_sha")));
        ev.put("head_branch", cs, "head_branch");
        ev.put("app", cs, "app", "name");
        ev.put("pull_requests", values(Json.at(cs, "pull_requests"), "number"));
        headLinks(ev, repo);
    }

    private void checkRun(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode cr = requireObject(root, "check_run", what);
        ev.put("name", cr, "name");
        ev.put("check_run_id", cr, "id");
        ev.put("check_suite_id", cr, "check_suite", "id");
        ev.put("status", cr, "status");
        ev.put("conclusion", cr, "conclusion");
        ev.put("head_sha", EventDraft.sha(Json.text(cr, "head_sha")));
        ev.put("head_branch", cr, "check_suite", "head_branch");
        ev.put("app", cr, "app", "name");
        ev.put("pull_requests", values(Json.at(cr, "pull_requests"), "number"));
        ev.put("url", cr, "html_url");
        String key = repo == null || ev.str("check_run_id") == null ? null : repo + "/check_runs/" + ev.str("check_run_id");
        ev.claimFields("check_run", key, "name", "status", "conclusion", "head_sha");
        ev.relate("commit", ev.str("head_sha"), "triggers", "check_run", key);
        ev.relate("check_run", key, "belongs_to", "repository", repo);
        headLinks(ev, repo);
    }

    private void workflowRun(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        JsonNode wr = requireObject(root, "workflow_run", what);
        String wf = Json.text(root, "workflow", "name");
        ev.put("workflow", wf != null ? wf : Json.text(wr, "name"));
        ev.put("run_id", wr, "id");
        ev.put("run_number", wr, "run_number");
        ev.put("run_attempt", wr, "run_attempt");
        ev.put("status", wr, "status");
        ev.put("conclusion", wr, "conclusion");
        ev.put("head_sha", EventDraft.sha(Json.text(wr, "head_sha")));
        ev.put("head_branch", wr, "head_branch");
        ev.put("trigger", wr, "event");
        String actor = Json.text(wr, "actor", "login");
        if (actor != null) {
            ev.put("actor", actor);
        }
        ev.put("pull_requests", values(Json.at(wr, "pull_requests"), "number"));
        ev.put("url", wr, "html_url");
        String key = repo == null || ev.str("run_id") == null ? null : repo + "/runs/" + ev.str("run_id");
        ev.claimFields("workflow_run", key, "workflow", "status", "conclusion", "head_sha", "head_branch");
        ev.relate("commit", ev.str("head_sha"), "triggers", "workflow_run", key);
        ev.relate("workflow_run", key, "belongs_to", "repository", repo);
        headLinks(ev, repo);
    }

    /** head commit part_of head branch; the check's pull requests. */
    private void headLinks(EventDraft ev, String repo) {
        String sha = ev.str("head_sha");
        String branch = ev.str("head_branch");
        if (repo != null && branch != null) {
            ev.relate("commit", sha, "part_of", "branch", repo + ":" + branch);
            ev.claim("branch", repo + ":" + branch, "head_sha", sha);
        }
        if (repo != null && ev.get("pull_requests") instanceof List<?> prs) {
            for (Object n : prs) {
                ev.relate("commit", sha, "part_of", "pull_request", repo + "#" + n);
            }
        }
    }

    private void status(EventDraft ev, JsonNode root, String repo) {
        String sha = EventDraft.sha(Json.text(root, "sha"));
        ev.put("sha", sha);
        ev.put("state", root, "state");
        ev.put("context", root, "context");
        ev.put("description", root, "description");
        ev.put("target_url", root, "target_url");
        List<String> branches = values(Json.at(root, "branches"), "name");
        ev.put("branches", branches);
        ev.claim("commit", sha, "repo", repo);
        ev.claim("commit", sha, "message", Json.at(root, "commit", "commit", "message"));
        ev.claim("commit", sha, "author", Json.at(root, "commit", "author", "login"));
        if (repo != null && branches != null) {
            for (String b : branches.subList(0, Math.min(branches.size(), 10))) {
                ev.relate("commit", sha, "part_of", "branch", repo + ":" + b);
            }
        }
    }

    private void repositoryEvent(EventDraft ev, JsonNode root, String repo) {
        JsonNode r = Json.at(root, "repository");
        ev.put("private", r, "private");
        ev.put("archived", r, "archived");
        ev.put("default_branch", r, "default_branch");
        ev.put("previous_name", root, "changes", "repository", "name", "from");
        ev.put("url", r, "html_url");
    }

    private void member(EventDraft ev, JsonNode root) {
        ev.put("member", root, "member", "login");
        String perm = Json.text(root, "changes", "permission", "to");
        ev.put("permission", perm != null ? perm : Json.text(root, "changes", "role_name", "to"));
    }

    private void push(EventDraft ev, JsonNode root, String repo, String what) throws DeliveryException {
        String ref = optString(root, "ref", what);
        ev.put("ref", ref);
        String branch = ref != null && ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : null;
        ev.put("branch", branch);
        String after = EventDraft.sha(Json.text(root, "after"));
        boolean deleted = after == null || after.chars().allMatch(c -> c == '0');
        if (!deleted) {
            ev.put("sha", after);
        }
        String before = EventDraft.sha(Json.text(root, "before"));
        if (before != null && !before.chars().allMatch(c -> c == '0')) {
            ev.put("before", before);
        }
        String pusher = Json.text(root, "pusher", "name");
        ev.put("pusher", pusher != null ? pusher : Json.text(root, "sender", "login"));
        if (pusher != null) ev.claim("person", pusher, "email", Json.at(root, "pusher", "email"));
        ev.put("forced", root, "forced");
        ev.put("created", root, "created");
        ev.put("deleted", root, "deleted");
        ev.put("url", root, "compare");
        JsonNode commits = Json.at(root, "commits");
        if (commits != null && !commits.isArray()) {
            throw new DeliveryException(DeliveryException.WRONG_TYPE, what + ": 'commits' must be an array, got " + Json.kind(commits));
        }
        ev.put("commit_count", commits == null ? 0 : commits.size());
        JsonNode head = Json.obj(root, "head_commit");
        ev.put("message", head, "message");
        String headAuthor = Json.text(head, "author", "username");
        ev.put("author", headAuthor);
        String branchKey = repo != null && branch != null ? repo + ":" + branch : null;
        if (branchKey != null) {
            ev.claim("branch", branchKey, "repo", repo);
            ev.claim("branch", branchKey, "name", branch);
            ev.claim("branch", branchKey, "head_sha", ev.get("sha"));
            ev.relate("branch", branchKey, "belongs_to", "repository", repo);
        }
        List<String> shas = new ArrayList<>();
        List<IssueRefs.Ref> fixes = new ArrayList<>();
        List<JsonNode> list = new ArrayList<>();
        if (commits != null) {
            commits.forEach(list::add);
        }
        if (list.isEmpty() && head != null) {
            list.add(head);
        }
        int from = Math.max(0, list.size() - MAX_PUSH_COMMITS);
        if (from > 0) {
            ev.warn(list.size() + " commits pushed; the last " + MAX_PUSH_COMMITS + " are mentioned");
        }
        for (JsonNode c : list.subList(from, list.size())) {
            String sha = EventDraft.sha(Json.text(c, "id"));
            if (sha == null) {
                continue;
            }
            shas.add(sha);
            // A commit's author is a GitHub login when GitHub knows the address, else only a name and an
            // email: the person is keyed by the login, else the email, and claims both (identity links on email).
            String email = Json.text(c, "author", "email");
            String author = Json.text(c, "author", "username");
            if (author == null) author = email;
            ev.claim("commit", sha, "repo", repo);
            ev.claim("commit", sha, "message", Json.at(c, "message"));
            ev.claim("commit", sha, "author", author);
            ev.claim("person", author, "email", email);
            ev.claim("person", author, "name", Json.at(c, "author", "name"));
            ev.claim("commit", sha, "branch", branch);
            ev.claim("commit", sha, "time", Json.at(c, "timestamp"));
            if (branchKey != null) {
                ev.relate("commit", sha, "part_of", "branch", branchKey);
            }
            ev.relate("commit", sha, "authored_by", "person", author);
            for (IssueRefs.Ref r : IssueRefs.scan(Json.text(c, "message"), repo)) {
                ev.relate("commit", sha, r.kind(), r.type(), r.key());
                fixes.add(r);
            }
        }
        if (!shas.isEmpty()) {
            ev.put("commit_shas", shas);
        }
        List<String> fixed = new ArrayList<>();
        List<String> referenced = new ArrayList<>();
        for (IssueRefs.Ref r : IssueRefs.merge(fixes, List.of())) {
            (r.kind().equals("fixes") ? fixed : referenced).add(r.key());
        }
        ev.put("linked_issues", fixed.isEmpty() ? null : fixed);
        ev.put("referenced_issues", referenced.isEmpty() ? null : referenced);
    }

    private void ref(EventDraft ev, JsonNode root, String repo) {
        ev.put("ref", root, "ref");
        ev.put("ref_type", root, "ref_type");
        ev.put("master_branch", root, "master_branch");
        if (repo != null && "branch".equals(ev.str("ref_type")) && ev.str("ref") != null) {
            String key = repo + ":" + ev.str("ref");
            ev.claim("branch", key, "repo", repo);
            ev.claim("branch", key, "name", ev.str("ref"));
            ev.relate("branch", key, "belongs_to", "repository", repo);
        }
    }

    // ---- helpers

    /** The text of {@code field} of each element of an array of objects; null when not an array. */
    static List<String> values(JsonNode arr, String field) {
        if (arr == null || !arr.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>(arr.size());
        for (JsonNode x : arr) {
            String v = Json.text(x, field);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    static String join(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        return a + "\n" + b;
    }
}
