package charter.connect.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API for the github.* tools: issue comments (create, list with per_page/page), issues (create,
 * list newest first), labels and requested reviewers, with GitHub's status codes (201 created, 200 for labels,
 * 401 bad credentials, 422 validation failed) and JSON shapes. Every repository exists; any issue number does.
 * Like GitHub, it deduplicates nothing: a repeated create makes a second comment or issue.
 */
public final class FakeGitHub extends FakeTool {
    private static final Pattern COMMENTS = Pattern.compile("/repos/([^/]+)/([^/]+)/issues/(\\d+)/comments");
    private static final Pattern ISSUES = Pattern.compile("/repos/([^/]+)/([^/]+)/issues");
    private static final Pattern LABELS = Pattern.compile("/repos/([^/]+)/([^/]+)/issues/(\\d+)/labels");
    private static final Pattern REVIEWERS = Pattern.compile("/repos/([^/]+)/([^/]+)/pulls/(\\d+)/requested_reviewers");

    /** A comment or issue as stored. */
    public record Item(long id, String repo, long number, String title, String body) {}

    private final String token;
    private final List<Item> comments = new ArrayList<>();
    private final List<Item> issues = new ArrayList<>();
    private final Map<String, Set<String>> labels = new LinkedHashMap<>();
    private final Map<String, Set<String>> reviewers = new LinkedHashMap<>();
    private long nextId = 1000;

    public FakeGitHub(int port, String token) {
        super(port);
        this.token = token;
    }

    public FakeGitHub(String token) {
        this(0, token);
    }

    public synchronized List<Item> comments() {
        return List.copyOf(comments);
    }

    public synchronized List<Item> issues() {
        return List.copyOf(issues);
    }

    public synchronized Set<String> labels(String repo, long number) {
        return Set.copyOf(labels.getOrDefault(repo + "#" + number, Set.of()));
    }

    public synchronized Set<String> reviewers(String repo, long number) {
        return Set.copyOf(reviewers.getOrDefault(repo + "#" + number, Set.of()));
    }

    /** Adds a comment as someone else would (for lookups that must skip it). */
    public synchronized void seedComment(String repo, long number, String body) {
        comments.add(new Item(nextId++, repo, number, null, body));
    }

    @Override
    protected Reply handle(Received request) {
        if (!("Bearer " + token).equals(request.header("authorization")))
            return message(401, "Bad credentials");
        String path = request.path();
        Matcher m;
        if ((m = COMMENTS.matcher(path)).matches()) {
            List<String> g = groups(m);
            String repo = g.get(0) + "/" + g.get(1);
            long number = Long.parseLong(g.get(2));
            if (request.method().equals("POST")) return createComment(repo, number, parse(request.body()));
            if (request.method().equals("GET")) return page(comments.stream().filter(c -> c.repo().equals(repo) && c.number() == number).toList(), request, false);
        } else if ((m = LABELS.matcher(path)).matches() && request.method().equals("POST")) {
            List<String> g = groups(m);
            return addLabels(g.get(0) + "/" + g.get(1) + "#" + g.get(2), parse(request.body()));
        } else if ((m = REVIEWERS.matcher(path)).matches() && request.method().equals("POST")) {
            List<String> g = groups(m);
            return requestReviewers(g.get(0) + "/" + g.get(1), Long.parseLong(g.get(2)), parse(request.body()));
        } else if ((m = ISSUES.matcher(path)).matches()) {
            List<String> g = groups(m);
            String repo = g.get(0) + "/" + g.get(1);
            if (request.method().equals("POST")) return createIssue(repo, parse(request.body()));
            if (request.method().equals("GET")) return page(issues.stream().filter(i -> i.repo().equals(repo)).toList().reversed(), request, true);
        }
        return message(404, "Not Found");
    }

    private Reply createComment(String repo, long number, JsonNode body) {
        if (body == null || !body.path("body").isTextual()) return invalid("IssueComment", "body");
        Item comment = new Item(nextId++, repo, number, null, body.path("body").asText());
        comments.add(comment);
        return Reply.json(201, write(shape(comment, false)));
    }

    private Reply createIssue(String repo, JsonNode body) {
        if (body == null || body.path("title").asText("").isEmpty()) return invalid("Issue", "title");
        long number = issues.stream().filter(i -> i.repo().equals(repo)).count() + 1;
        Item issue = new Item(nextId++, repo, number, body.path("title").asText(), body.path("body").isTextual() ? body.path("body").asText() : null);
        issues.add(issue);
        return Reply.json(201, write(shape(issue, true)));
    }

    private Reply addLabels(String key, JsonNode body) {
        if (body == null || !body.path("labels").isArray()) return invalid("Label", "labels");
        Set<String> set = labels.computeIfAbsent(key, k -> new LinkedHashSet<>());
        body.path("labels").forEach(l -> set.add(l.asText()));
        ArrayNode out = array();
        set.forEach(name -> out.addObject().put("id", Math.abs(name.hashCode())).put("name", name).put("color", "ededed").put("default", false));
        return Reply.json(200, write(out));
    }

    private Reply requestReviewers(String repo, long number, JsonNode body) {
        if (body == null || !body.path("reviewers").isArray()) return invalid("PullRequest", "reviewers");
        Set<String> set = reviewers.computeIfAbsent(repo + "#" + number, k -> new LinkedHashSet<>());
        body.path("reviewers").forEach(r -> set.add(r.asText()));
        ObjectNode pull = object().put("id", number + 5000).put("number", number).put("state", "open")
                .put("html_url", "https://github.com/" + repo + "/pull/" + number);
        ArrayNode requested = pull.putArray("requested_reviewers");
        set.forEach(login -> requested.addObject().put("login", login).put("type", "User"));
        return Reply.json(201, write(pull));
    }

    private static Reply page(List<Item> items, Received request, boolean issues) {
        int perPage = Math.min(Math.max(parse(request.param("per_page"), 30), 1), 100);
        int page = Math.max(parse(request.param("page"), 1), 1);
        ArrayNode out = array();
        for (int i = (page - 1) * perPage; i < Math.min(items.size(), page * perPage); i++) out.add(shape(items.get(i), issues));
        return Reply.json(200, write(out));
    }

    private static ObjectNode shape(Item item, boolean issue) {
        ObjectNode node = object().put("id", item.id()).put("node_id", "N_" + item.id());
        if (issue) {
            node.put("number", item.number()).put("title", item.title()).put("state", "open")
                    .put("html_url", "https://github.com/" + item.repo() + "/issues/" + item.number());
        } else {
            node.put("html_url", "https://github.com/" + item.repo() + "/issues/" + item.number() + "#issuecomment-" + item.id());
        }
        if (item.body() == null) node.putNull("body");
        else node.put("body", item.body());
        node.putObject("user").put("login", "charter-bot").put("type", "Bot");
        return node;
    }

    private static int parse(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Reply message(int status, String message) {
        return Reply.json(status, write(object().put("message", message).put("documentation_url", "https://docs.github.com/rest")));
    }

    private static Reply invalid(String resource, String field) {
        ObjectNode body = object().put("message", "Validation Failed");
        body.putArray("errors").addObject().put("resource", resource).put("field", field).put("code", "missing_field");
        return Reply.json(422, write(body));
    }

    /** GitHub's answer over the primary rate limit: 403 with remaining 0 and the reset time. */
    public static Fault rateLimited(long resetEpochSeconds) {
        return new Fault.Status(403, Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(resetEpochSeconds),
                "Content-Type", "application/json"), "{\"message\":\"API rate limit exceeded\"}");
    }
}
