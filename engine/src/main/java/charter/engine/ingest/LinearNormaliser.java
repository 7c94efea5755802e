package charter.engine.ingest;

import charter.compiler.catalog.Catalog;
import com.fasterxml.jackson.databind.JsonNode;
import charter.engine.event.EventTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Linear deliveries: {@code {action, type, data, updatedFrom, url, createdAt, webhookTimestamp}}.
 * Type {@code linear.<snake type>.<created|updated|removed>}; delivery id {@code Linear-Delivery};
 * time {@code createdAt}, else {@code webhookTimestamp}. A person is keyed by email when the
 * payload gives one, else by the Linear user id. An issue is keyed by its identifier (ENG-123):
 * {@code data.identifier}, else team key and number, else the identifier in the delivery URL, else
 * (attachments and comments of older payloads) the issue UUID.
 */
public final class LinearNormaliser extends AbstractNormaliser {

    public static final String DELIVERY_HEADER = "linear-delivery";
    public static final String EVENT_HEADER = "linear-event";

    private static final Map<String, String> TYPES = Map.of("Issue", "issue", "Comment", "comment", "Project", "project",
            "ProjectUpdate", "project_update", "Cycle", "cycle", "Attachment", "attachment", "IssueLabel", "issue_label",
            "Reaction", "reaction");
    private static final Map<String, String> ACTIONS = Map.of("create", "created", "update", "updated", "remove", "removed");
    private static final Pattern ISSUE_IN_URL = Pattern.compile("/issue/([A-Za-z][A-Za-z0-9]{0,9}-\\d{1,7})(?:[/#?]|$)");
    private static final Pattern SENTRY_ISSUE_URL = Pattern.compile("https?://[\\w.-]*sentry\\.io/(?:organizations/[\\w.-]+/)?issues/(\\d+)(?:[/?#].*)?");
    private static final Set<String> NOT_CHANGES = Set.of("updatedAt", "sortOrder", "boardOrder", "subIssueSortOrder");

    public LinearNormaliser(Catalog catalog, Payloads.Limits limits) {
        super(catalog, limits);
    }

    /** Over a given parser (tests compare the pruned tree with the whole one). */
    LinearNormaliser(Catalog catalog, Payloads payloads) {
        super(catalog, payloads);
    }

    public LinearNormaliser() {
        this(Catalog.standard(), Payloads.Limits.DEFAULT);
    }

    @Override
    public String source() {
        return "linear";
    }

    @Override
    public Normalised normalise(RawDelivery d) throws DeliveryException {
        List<String> warnings = new ArrayList<>();
        String id = deliveryId(d, DELIVERY_HEADER, warnings);
        String what = "linear delivery " + id;
        JsonNode root = payloads.parseObject(d.body(), what);
        String kind = optString(root, "type", what);
        String action = optString(root, "action", what);
        if (kind == null || action == null) {
            throw new DeliveryException(DeliveryException.MISSING_FIELD, what + ": missing '" + (kind == null ? "type" : "action")
                    + "' (a Linear webhook has type and action)");
        }
        JsonNode data = requireObject(root, "data", what);
        JsonNode from = optObject(root, "updatedFrom", what);
        String header = d.header(EVENT_HEADER);
        if (header != null && !header.strip().equals(kind)) {
            warnings.add(EVENT_HEADER + " '" + Json.abbreviate(header) + "' differs from the body's type '" + Json.abbreviate(kind) + "'");
        }
        String noun = TYPES.get(kind);
        String verb = ACTIONS.get(action);
        String type = noun != null && verb != null && catalog.eventType("linear." + noun + "." + verb).isPresent()
                ? "linear." + noun + "." + verb : "linear.unknown";
        EventDraft ev = new EventDraft(catalog, "linear", type, id, time(root, d.receivedAt(), warnings));
        warnings.forEach(ev::warn);
        String url = Json.text(root, "url") != null ? Json.text(root, "url") : Json.text(data, "url");
        String actor = person(Json.obj(root, "actor"), null);
        if (type.equals("linear.unknown")) {
            ev.warn("unknown Linear event '" + Json.abbreviate(kind) + "." + Json.abbreviate(action) + "': kept as linear.unknown");
            ev.put("event", kind);
            ev.put("action", action);
            ev.put("entity_id", data, "id");
            ev.put("actor", actor);
            ev.put("url", url);
            return ev.build();
        }
        switch (noun) {
            case "issue" -> issue(ev, data, from, url, actor);
            case "comment" -> comment(ev, data, url);
            case "project" -> project(ev, data, url);
            case "project_update" -> projectUpdate(ev, data, url);
            case "cycle" -> cycle(ev, data);
            case "attachment" -> attachment(ev, data, url);
            case "issue_label" -> label(ev, data);
            case "reaction" -> reaction(ev, data);
            default -> { }
        }
        return ev.build();
    }

    private void issue(EventDraft ev, JsonNode data, JsonNode from, String url, String actor) {
        ev.put("issue_id", data, "id");
        String team = Json.text(data, "team", "key");
        String key = issueKey(data, url);
        ev.put("key", key);
        ev.put("number", data, "number");
        ev.put("team", team);
        ev.put("title", data, "title");
        ev.put("state", data, "state", "name");
        ev.put("state_type", data, "state", "type");
        ev.put("priority", data, "priority");
        ev.put("priority_label", data, "priorityLabel");
        ev.put("assignee", person(Json.obj(data, "assignee"), Json.text(data, "assigneeId")));
        ev.put("creator", person(Json.obj(data, "creator"), Json.text(data, "creatorId")));
        ev.put("actor", actor);
        ev.put("labels", GithubNormaliser.values(Json.at(data, "labels"), "name"));
        ev.put("project", data, "project", "name");
        String cycle = Json.text(data, "cycle", "name");
        ev.put("cycle", cycle != null ? cycle : Json.text(data, "cycle", "number"));
        ev.put("estimate", data, "estimate");
        ev.put("due_date", data, "dueDate");
        ev.put("url", url);
        if (from != null) {
            List<String> changed = new ArrayList<>();
            for (Iterator<String> it = from.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!NOT_CHANGES.contains(f)) {
                    changed.add(f);
                }
            }
            ev.put("changed", changed);
            if (from.has("assigneeId")) {
                ev.put("previous_assignee", person(Json.obj(from, "assignee"), Json.text(from, "assigneeId")));
            }
            if (from.has("stateId") || from.has("state")) {
                String name = Json.text(from, "state", "name");
                ev.put("previous_state", name != null ? name : Json.text(from, "stateId"));
            }
            ev.put("previous_priority", from, "priority");
            ev.put("previous_title", from, "title");
        }
        ev.claimFields("linear_issue", key, "team", "title", "state", "state_type", "priority", "assignee", "labels",
                "project", "url", "issue_id");
        ev.relate("linear_issue", key, "belongs_to", "team", team);
        ev.relate("linear_issue", key, "belongs_to", "project", ev.str("project"));
        ev.relate("linear_issue", key, "assigned_to", "person", ev.str("assignee"));
        ev.relate("linear_issue", key, "authored_by", "person", ev.str("creator"));
        ev.claim("team", team, "name", Json.at(data, "team", "name"));
        personClaims(ev, Json.obj(data, "assignee"), ev.str("assignee"));
        linkText(ev, "linear_issue", key, Json.text(data, "description"));
    }

    private void comment(EventDraft ev, JsonNode data, String url) {
        String issueKey = issueKey(Json.obj(data, "issue"), url);
        if (issueKey == null) {
            issueKey = Json.text(data, "issueId");
        }
        ev.put("comment_id", data, "id");
        ev.put("issue_key", issueKey);
        ev.put("issue_id", data, "issueId");
        ev.put("issue_title", data, "issue", "title");
        ev.put("team", data, "issue", "team", "key");
        ev.put("body", data, "body");
        ev.put("author", person(Json.obj(data, "user"), Json.text(data, "userId")));
        ev.put("url", url);
        String comment = ev.str("comment_id") == null ? null : "linear:" + ev.str("comment_id");
        ev.claimFields("comment", comment, "author", "body");
        ev.claim("comment", comment, "parent", issueKey);
        ev.relate("comment", comment, "references", "linear_issue", issueKey);
        ev.relate("comment", comment, "authored_by", "person", ev.str("author"));
        personClaims(ev, Json.obj(data, "user"), ev.str("author"));
        List<String> keys = new ArrayList<>();
        for (IssueRefs.Ref r : IssueRefs.scan(Json.text(data, "body"), null)) {
            ev.relate("comment", comment, "references", r.type(), r.key());
            keys.add(r.key());
        }
        ev.put("referenced_issues", keys.isEmpty() ? null : keys);
    }

    private void project(EventDraft ev, JsonNode data, String url) {
        ev.put("project_id", data, "id");
        ev.put("name", data, "name");
        ev.put("state", data, "state");
        ev.put("lead", person(Json.obj(data, "lead"), Json.text(data, "leadId")));
        List<String> teams = GithubNormaliser.values(Json.at(data, "teams"), "key");
        ev.put("teams", teams != null ? teams : stringArray(Json.at(data, "teamIds")));
        ev.put("target_date", data, "targetDate");
        ev.put("progress", data, "progress");
        ev.put("url", url);
        String name = ev.str("name");
        ev.claim("project", name, "state", ev.get("state"));
        ev.claim("project", name, "lead", ev.get("lead"));
        ev.claim("project", name, "target_date", ev.get("target_date"));
        if (ev.get("teams") instanceof List<?> l) {
            for (Object t : l.subList(0, Math.min(10, l.size()))) {
                ev.relate("project", name, "belongs_to", "team", t.toString());
            }
        }
    }

    private void projectUpdate(EventDraft ev, JsonNode data, String url) {
        ev.put("update_id", data, "id");
        ev.put("project", data, "project", "name");
        ev.put("health", data, "health");
        ev.put("body", data, "body");
        ev.put("author", person(Json.obj(data, "user"), Json.text(data, "userId")));
        ev.put("url", url);
        personClaims(ev, Json.obj(data, "user"), ev.str("author"));
    }

    private void cycle(EventDraft ev, JsonNode data) {
        ev.put("cycle_id", data, "id");
        String team = Json.text(data, "team", "key");
        ev.put("team", team != null ? team : Json.text(data, "teamId"));
        ev.put("number", data, "number");
        ev.put("name", data, "name");
        ev.put("starts_at", data, "startsAt");
        ev.put("ends_at", data, "endsAt");
        ev.put("progress", data, "progress");
        String key = ev.str("cycle_id");
        ev.claimFields("cycle", key, "team", "number", "starts_at", "ends_at");
        ev.relate("cycle", key, "belongs_to", "team", ev.str("team"));
    }

    private void attachment(EventDraft ev, JsonNode data, String url) {
        String issueKey = issueKey(Json.obj(data, "issue"), null);
        if (issueKey == null) {
            issueKey = Json.text(data, "issueId");
        }
        String link = Json.text(data, "url");
        ev.put("attachment_id", data, "id");
        ev.put("issue_key", issueKey);
        ev.put("issue_id", data, "issueId");
        ev.put("title", data, "title");
        ev.put("subtitle", data, "subtitle");
        ev.put("url", link);
        ev.put("source_type", Json.text(data, "sourceType") != null ? Json.text(data, "sourceType") : Json.text(data, "source", "type"));
        ev.put("creator", person(Json.obj(data, "creator"), Json.text(data, "creatorId")));
        String pr = IssueRefs.pullRequestKey(link);
        ev.put("pull_request", pr);
        ev.relate("linear_issue", issueKey, "tracked_in", "pull_request", pr);
        for (IssueRefs.Ref r : IssueRefs.scan(link, null)) {
            if (r.type().equals("github_issue")) {
                ev.relate("linear_issue", issueKey, "tracked_in", "github_issue", r.key());
            }
        }
        if (link != null) {
            Matcher m = SENTRY_ISSUE_URL.matcher(link.strip());
            if (m.matches()) {
                ev.relate("linear_issue", issueKey, "tracked_in", "sentry_issue", m.group(1));
            }
        }
        ev.claim("linear_issue", issueKey, "issue_id", ev.get("issue_id"));
    }

    private void label(EventDraft ev, JsonNode data) {
        ev.put("label_id", data, "id");
        ev.put("name", data, "name");
        ev.put("team", data, "team", "key");
        ev.put("color", data, "color");
        ev.put("creator", person(Json.obj(data, "creator"), Json.text(data, "creatorId")));
        String name = ev.str("name");
        ev.claim("label", name == null ? null : "linear:" + name, "name", name);
        ev.claim("label", name == null ? null : "linear:" + name, "color", ev.get("color"));
    }

    private void reaction(EventDraft ev, JsonNode data) {
        ev.put("reaction_id", data, "id");
        ev.put("emoji", data, "emoji");
        ev.put("user", person(Json.obj(data, "user"), Json.text(data, "userId")));
        String comment = Json.text(data, "comment", "id");
        ev.put("comment_id", comment != null ? comment : Json.text(data, "commentId"));
        String issueKey = issueKey(Json.obj(data, "issue"), null);
        ev.put("issue_key", issueKey);
        ev.put("issue_id", Json.text(data, "issue", "id") != null ? Json.text(data, "issue", "id") : Json.text(data, "issueId"));
        personClaims(ev, Json.obj(data, "user"), ev.str("user"));
        if (ev.str("comment_id") != null) {
            ev.relate("comment", "linear:" + ev.str("comment_id"), "authored_by", "person",
                    person(Json.obj(data, "comment", "user"), Json.text(data, "comment", "userId")));
            ev.mention("comment", "linear:" + ev.str("comment_id"));
        }
        ev.mention("linear_issue", issueKey);
    }

    // ---- helpers

    /** ENG-123 from identifier, team key and number, or a /issue/ENG-123 URL; null when none. */
    static String issueKey(JsonNode issue, String url) {
        String ident = Json.text(issue, "identifier");
        if (ident != null) {
            return ident;
        }
        String team = Json.text(issue, "team", "key");
        String number = Json.text(issue, "number");
        if (team != null && number != null && number.matches("\\d+")) {
            return team + "-" + number;
        }
        if (url != null) {
            Matcher m = ISSUE_IN_URL.matcher(url);
            if (m.find()) {
                return m.group(1).toUpperCase(java.util.Locale.ROOT);
            }
        }
        return null;
    }

    /** A person's key: email when given, else the user id (from the object or the fallback id). */
    static String person(JsonNode user, String fallbackId) {
        String email = Json.text(user, "email");
        if (email != null) {
            return email;
        }
        String id = Json.text(user, "id");
        return id != null ? id : fallbackId;
    }

    private static void personClaims(EventDraft ev, JsonNode user, String key) {
        if (user == null || key == null) {
            return;
        }
        ev.claim("person", key, "name", Json.at(user, "name"));
        ev.claim("person", key, "email", Json.at(user, "email"));
        ev.claim("person", key, "linear", Json.at(user, "id"));
    }

    private static void linkText(EventDraft ev, String fromType, String fromKey, String text) {
        for (IssueRefs.Ref r : IssueRefs.scan(text, null)) {
            if (r.type().equals("pull_request") || r.type().equals("github_issue")) {
                ev.relate(fromType, fromKey, "tracked_in", r.type(), r.key());
            } else if (!r.key().equals(fromKey)) {
                ev.relate(fromType, fromKey, "references", r.type(), r.key());
            }
        }
    }

    private static List<String> stringArray(JsonNode n) {
        if (n == null || !n.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        n.forEach(x -> {
            if (x.isTextual()) {
                out.add(x.textValue());
            }
        });
        return out;
    }

    private static Instant time(JsonNode root, Instant fallback, List<String> warnings) {
        Instant t = EventDraft.instant(Json.text(root, "createdAt"));
        if (t != null) {
            return t;
        }
        JsonNode ts = Json.at(root, "webhookTimestamp");
        if (ts != null && ts.isIntegralNumber()) {
            Instant ms = ts.canConvertToLong() ? EventTimes.ofEpochMilli(ts.longValue()) : null;
            if (ms != null) {
                return ms;
            }
            warnings.add("webhookTimestamp " + Json.abbreviate(ts.toString()) + " is outside the range Charter accepts; time of receipt used");
            return fallback;
        }
        t = EventDraft.instant(Json.text(root, "webhookTimestamp"));
        if (t != null) {
            return t;
        }
        warnings.add("no createdAt or webhookTimestamp; time of receipt used");
        return fallback;
    }
}
