package charter.engine.ingest;

import charter.compiler.catalog.Catalog;
import com.fasterxml.jackson.databind.JsonNode;
import charter.engine.event.EventTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentry integration-platform deliveries: resource from {@code Sentry-Hook-Resource}, action from the
 * body, delivery id {@code Request-ID}. Type {@code sentry.<resource>.<action>}. Time: the
 * {@code Sentry-Hook-Timestamp} header (epoch seconds), else the payload's own time, else receipt.
 * A release that is (or contains) a 40-hex SHA gives the commit; a resolution
 * {@code statusDetails.inCommit} gives {@code commit resolves sentry_issue}.
 */
public final class SentryNormaliser extends AbstractNormaliser {

    public static final String RESOURCE_HEADER = "sentry-hook-resource";
    public static final String DELIVERY_HEADER = "request-id";
    public static final String TIMESTAMP_HEADER = "sentry-hook-timestamp";

    private static final Pattern SHA_IN = Pattern.compile("(?<![0-9a-fA-F])([0-9a-fA-F]{40})(?![0-9a-fA-F])");
    private static final Pattern PROJECT_IN_URL = Pattern.compile("/projects/[\\w.-]+/([\\w.-]+)/");

    public SentryNormaliser(Catalog catalog, Payloads.Limits limits) {
        super(catalog, limits);
    }

    /** Over a given parser (tests compare the pruned tree with the whole one). */
    SentryNormaliser(Catalog catalog, Payloads payloads) {
        super(catalog, payloads);
    }

    public SentryNormaliser() {
        this(Catalog.standard(), Payloads.Limits.DEFAULT);
    }

    @Override
    public String source() {
        return "sentry";
    }

    @Override
    public Normalised normalise(RawDelivery d) throws DeliveryException {
        String resource = requireHeader(d, RESOURCE_HEADER, "sentry delivery");
        List<String> warnings = new ArrayList<>();
        String id = deliveryId(d, DELIVERY_HEADER, warnings);
        String what = "sentry delivery " + id + " (" + Json.abbreviate(resource) + ")";
        JsonNode root = payloads.parseObject(d.body(), what);
        String action = optString(root, "action", what);
        JsonNode data = requireObject(root, "data", what);
        String type = WORD.matcher(resource).matches() && action != null && WORD.matcher(action).matches()
                && catalog.eventType("sentry." + resource + "." + action).isPresent()
                ? "sentry." + resource + "." + action : "sentry.unknown";
        EventDraft ev = new EventDraft(catalog, "sentry", type, id, time(d, root, data, warnings));
        warnings.forEach(ev::warn);
        String actor = actor(Json.obj(root, "actor"));
        if (type.equals("sentry.unknown")) {
            ev.warn("unknown Sentry webhook '" + Json.abbreviate(resource) + "." + (action == null ? "" : Json.abbreviate(action))
                    + "': kept as sentry.unknown");
            ev.put("resource", resource);
            ev.put("action", action);
            ev.put("project", projectOf(data));
            return ev.build();
        }
        switch (resource) {
            case "issue" -> issue(ev, requireObject(data, "issue", what), actor);
            case "error" -> error(ev, requireObject(data, "error", what));
            case "event_alert" -> eventAlert(ev, data, what);
            case "metric_alert" -> metricAlert(ev, data, action, what);
            case "comment" -> comment(ev, data, actor);
            case "installation" -> installation(ev, requireObject(data, "installation", what), actor);
            default -> { }
        }
        return ev.build();
    }

    private void issue(EventDraft ev, JsonNode issue, String actor) {
        ev.put("issue_id", issue, "id");
        ev.put("short_id", issue, "shortId");
        ev.put("project", Json.text(issue, "project", "slug") != null ? Json.text(issue, "project", "slug") : Json.text(issue, "project", "name"));
        ev.put("level", issue, "level");
        ev.put("title", issue, "title");
        ev.put("culprit", issue, "culprit");
        ev.put("status", issue, "status");
        ev.put("substatus", issue, "substatus");
        ev.put("assignee", assignee(Json.obj(issue, "assignedTo")));
        ev.put("actor", actor);
        ev.put("platform", issue, "platform");
        ev.put("count", issue, "count");
        ev.put("user_count", issue, "userCount");
        ev.put("first_seen", issue, "firstSeen");
        ev.put("last_seen", issue, "lastSeen");
        ev.put("url", Json.text(issue, "permalink") != null ? Json.text(issue, "permalink") : Json.text(issue, "web_url"));
        String release = Json.text(issue, "firstRelease", "version");
        ev.put("release", release);
        ev.put("sha", shaOf(release));
        JsonNode details = Json.obj(issue, "statusDetails");
        String inRelease = Json.text(details, "inRelease");
        ev.put("resolved_in_release", inRelease);
        JsonNode inCommit = Json.at(details, "inCommit");
        String commit = inCommit == null ? null : inCommit.isTextual() ? inCommit.textValue()
                : Json.text(inCommit, "id") != null ? Json.text(inCommit, "id") : Json.text(inCommit, "commit");
        ev.put("resolved_in_commit", EventDraft.sha(commit));

        String key = ev.str("issue_id");
        String project = ev.str("project");
        ev.claimFields("sentry_issue", key, "project", "level", "title", "status", "release", "count", "url", "short_id");
        if (!"unassigned".equals(ev.str("action"))) {
            ev.claim("sentry_issue", key, "assignee", ev.get("assignee"));
        }
        ev.relate("sentry_issue", key, "belongs_to", "service", project);
        ev.relate("sentry_issue", key, "assigned_to", "person", ev.str("assignee"));
        JsonNode to = Json.obj(issue, "assignedTo");
        if (to != null && ev.str("assignee") != null && "user".equals(Json.text(to, "type"))) {
            ev.claim("person", ev.str("assignee"), "name", Json.at(to, "name"));
            ev.claim("person", ev.str("assignee"), "email", Json.at(to, "email"));
        }
        releaseLinks(ev, key, project, release, ev.str("sha"));
        ev.relate("commit", ev.str("resolved_in_commit"), "resolves", "sentry_issue", key);
        if (project != null && inRelease != null) {
            ev.relate("release", "sentry:" + project + "@" + inRelease, "resolves", "sentry_issue", key);
        }
    }

    private void error(EventDraft ev, JsonNode e) {
        eventFields(ev, e);
        String key = ev.str("issue_id");
        ev.relate("sentry_issue", key, "belongs_to", "service", ev.str("project"));
        ev.claim("sentry_issue", key, "project", ev.get("project"));
        ev.claim("sentry_issue", key, "level", ev.get("level"));
        releaseLinks(ev, key, ev.str("project"), ev.str("release"), ev.str("sha"));
    }

    private void eventAlert(EventDraft ev, JsonNode data, String what) throws DeliveryException {
        JsonNode e = requireObject(data, "event", what);
        eventFields(ev, e);
        String rule = Json.text(data, "triggered_rule");
        ev.put("alert_rule", rule != null ? rule : Json.text(data, "issue_alert", "title"));
        String alert = ev.str("alert_rule") == null ? null : "sentry:" + ev.str("alert_rule");
        ev.claim("alert", alert, "project", ev.get("project"));
        ev.claim("alert", alert, "status", "triggered");
        ev.claim("alert", alert, "title", ev.get("title"));
        ev.relate("sentry_issue", ev.str("issue_id"), "triggers", "alert", alert);
        ev.relate("alert", alert, "belongs_to", "service", ev.str("project"));
        releaseLinks(ev, ev.str("issue_id"), ev.str("project"), ev.str("release"), ev.str("sha"));
    }

    private void eventFields(EventDraft ev, JsonNode e) {
        ev.put("event_id", e, "event_id");
        ev.put("issue_id", e, "issue_id");
        ev.put("project", projectOf(e));
        ev.put("level", e, "level");
        ev.put("title", e, "title");
        ev.put("culprit", e, "culprit");
        String release = Json.text(e, "release");
        ev.put("release", release);
        ev.put("sha", shaOf(release));
        String env = Json.text(e, "environment");
        ev.put("environment", env != null ? env : tag(e, "environment"));
        ev.put("platform", e, "platform");
        ev.put("url", Json.text(e, "web_url") != null ? Json.text(e, "web_url") : Json.text(e, "issue_url"));
    }

    private void metricAlert(EventDraft ev, JsonNode data, String action, String what) throws DeliveryException {
        JsonNode m = requireObject(data, "metric_alert", what);
        ev.put("alert_id", m, "id");
        ev.put("alert_rule", m, "alert_rule", "name");
        String project = firstOf(Json.at(m, "projects"));
        ev.put("project", project != null ? project : firstOf(Json.at(m, "alert_rule", "projects")));
        ev.put("title", m, "title");
        ev.put("status", action);
        ev.put("metric", m, "alert_rule", "aggregate");
        ev.put("url", data, "web_url");
        ev.put("description", data, "description_text");
        String alert = ev.str("alert_rule") == null ? null : "sentry:" + ev.str("alert_rule");
        ev.claimFields("alert", alert, "project", "status", "title");
        ev.relate("alert", alert, "belongs_to", "service", ev.str("project"));
    }

    private void comment(EventDraft ev, JsonNode data, String actor) {
        ev.put("comment_id", data, "comment_id");
        ev.put("issue_id", data, "issue_id");
        ev.put("project", data, "project_slug");
        ev.put("body", data, "comment");
        ev.put("author", actor);
        String comment = ev.str("comment_id") == null ? null : "sentry:" + ev.str("comment_id");
        ev.claimFields("comment", comment, "author", "body", "parent=issue_id");
        ev.relate("comment", comment, "references", "sentry_issue", ev.str("issue_id"));
        ev.relate("comment", comment, "authored_by", "person", actor);
        for (IssueRefs.Ref r : IssueRefs.scan(ev.str("body"), null)) {
            ev.relate("comment", comment, "references", r.type(), r.key());
        }
    }

    private void installation(EventDraft ev, JsonNode inst, String actor) {
        ev.put("installation_id", inst, "uuid");
        ev.put("organization", inst, "organization", "slug");
        ev.put("app", inst, "app", "slug");
        ev.put("actor", actor);
    }

    /** release same_commit commit; the issue references the commit its release was built from. */
    private static void releaseLinks(EventDraft ev, String issueKey, String project, String release, String sha) {
        if (project == null || release == null) {
            return;
        }
        String rel = "sentry:" + project + "@" + release;
        ev.claim("release", rel, "tag", release);
        ev.claim("release", rel, "sha", sha);
        ev.relate("release", rel, "same_commit", "commit", sha);
        ev.relate("sentry_issue", issueKey, "references", "commit", sha);
        ev.relate("release", rel, "belongs_to", "service", project);
    }

    // ---- helpers

    /** A person key for the actor: email, else name; "sentry" for Sentry itself. */
    static String actor(JsonNode a) {
        if (a == null) {
            return null;
        }
        String email = Json.text(a, "email");
        if (email != null) {
            return email;
        }
        return Json.text(a, "name") != null ? Json.text(a, "name") : Json.text(a, "id");
    }

    /** Email of a user assignee, else its name; team:<name> for a team. */
    static String assignee(JsonNode to) {
        if (to == null) {
            return null;
        }
        String name = Json.text(to, "name");
        if ("team".equals(Json.text(to, "type"))) {
            return name == null ? null : "team:" + name;
        }
        String email = Json.text(to, "email");
        return email != null ? email : name;
    }

    static String shaOf(String release) {
        if (release == null) {
            return null;
        }
        Matcher m = SHA_IN.matcher(release);
        return m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** The project slug: an object's slug, a slug in the API URL, else the project as given (often an id). */
    static String projectOf(JsonNode n) {
        JsonNode p = Json.at(n, "project");
        if (p != null && p.isObject()) {
            return Json.text(p, "slug") != null ? Json.text(p, "slug") : Json.text(p, "name");
        }
        String slug = Json.text(n, "project_slug");
        if (slug != null) {
            return slug;
        }
        String url = Json.text(n, "url");
        if (url != null) {
            Matcher m = PROJECT_IN_URL.matcher(url);
            if (m.find()) {
                return m.group(1);
            }
        }
        return Json.text(n, "project");
    }

    private static String tag(JsonNode e, String name) {
        JsonNode tags = Json.at(e, "tags");
        if (tags != null && tags.isArray()) {
            for (JsonNode t : tags) {
                if (t.isArray() && t.size() == 2 && name.equals(t.get(0).asText())) {
                    return t.get(1).asText();
                }
            }
        }
        return null;
    }

    private static String firstOf(JsonNode arr) {
        return arr != null && arr.isArray() && !arr.isEmpty() && arr.get(0).isValueNode() ? arr.get(0).asText() : null;
    }

    private static Instant time(RawDelivery d, JsonNode root, JsonNode data, List<String> warnings) throws DeliveryException {
        String h = d.header(TIMESTAMP_HEADER);
        if (h != null) {
            Long seconds = null;
            try {
                seconds = Long.parseLong(h.strip());
            } catch (NumberFormatException e) {
                warnings.add(TIMESTAMP_HEADER + " '" + Json.abbreviate(h) + "' is not epoch seconds; ignored");
            }
            if (seconds != null) {
                Instant t = EventTimes.ofEpochSecond(seconds);
                if (t == null) {
                    throw new DeliveryException(DeliveryException.TIME_OUT_OF_RANGE, "sentry delivery: the " + TIMESTAMP_HEADER
                            + " header " + Json.abbreviate(h.strip()) + " (epoch seconds) is outside the range Charter accepts ("
                            + EventTimes.EARLIEST + " to " + EventTimes.LATEST + ")");
                }
                return t;
            }
        }
        for (String[] path : new String[][] {{"timestamp"}, {"error", "datetime"}, {"event", "datetime"},
                {"metric_alert", "date_started"}, {"issue", "lastSeen"}}) {
            Instant t = EventDraft.instant(Json.text(data, path));
            if (t != null) {
                return t;
            }
        }
        return d.receivedAt();
    }
}
