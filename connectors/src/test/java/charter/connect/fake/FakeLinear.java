package charter.connect.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Linear's GraphQL API ({@code POST /graphql}) for the operations the Linear connectors send: issueCreate,
 * commentCreate, issueUpdate and the issue/comment queries. Not a GraphQL engine: it recognises the operation by
 * its field and reads the variables. As Linear does, a create takes a client-supplied id in UUID v4 format and
 * refuses an id that already exists, so no issue or comment is ever made twice.
 */
public final class FakeLinear extends FakeTool {
    /** An issue. */
    public record Issue(String id, String identifier, String teamId, String title, String description, Integer priority,
                        String assigneeId, List<String> labelIds) {}

    /** A comment. */
    public record Comment(String id, String issueId, String body) {}

    private final String apiKey;
    private final Map<String, Issue> issues = new LinkedHashMap<>();
    private final Map<String, Comment> comments = new LinkedHashMap<>();
    private final Map<String, Integer> numbers = new LinkedHashMap<>();

    public FakeLinear(int port, String apiKey) {
        super(port);
        this.apiKey = apiKey;
    }

    public FakeLinear(String apiKey) {
        this(0, apiKey);
    }

    public synchronized List<Issue> issues() {
        return List.copyOf(issues.values());
    }

    public synchronized List<Comment> comments() {
        return List.copyOf(comments.values());
    }

    /** Adds an issue (as if made in Linear's UI), returning its identifier such as ENG-1. */
    public synchronized String seedIssue(String teamKey, String title) {
        Issue issue = newIssue(UUID.randomUUID().toString(), teamKey, title, null, null, null, List.of());
        return issue.identifier();
    }

    private Issue newIssue(String id, String teamId, String title, String description, Integer priority, String assigneeId, List<String> labels) {
        int number = numbers.merge(teamId, 1, Integer::sum);
        Issue issue = new Issue(id, teamId.toUpperCase(java.util.Locale.ROOT) + "-" + number, teamId, title, description, priority, assigneeId, labels);
        issues.put(id, issue);
        return issue;
    }

    @Override
    protected Reply handle(Received request) {
        if (!request.method().equals("POST") || !request.path().equals("/graphql")) return Reply.json(404, "{\"errors\":[{\"message\":\"Not found\"}]}");
        if (request.header("authorization") == null || !request.header("authorization").equals(apiKey))
            return error(400, "Authentication required, not authenticated", "AUTHENTICATION_ERROR");
        JsonNode body = parse(request.body());
        if (body == null || !body.path("query").isTextual()) return error(400, "Must provide query string.", "GRAPHQL_PARSE_FAILED");
        String query = body.path("query").asText();
        JsonNode variables = body.path("variables");
        if (query.contains("issueCreate(")) return issueCreate(variables.path("input"));
        if (query.contains("commentCreate(")) return commentCreate(variables.path("input"));
        if (query.contains("issueUpdate(")) return issueUpdate(variables.path("id").asText(""), variables.path("input"));
        if (query.contains("comment(")) return comment(variables.path("id").asText(""));
        if (query.contains("issue(")) return issue(variables.path("id").asText(""));
        return error(400, "Cannot query this field on type \"Query\".", "GRAPHQL_VALIDATION_FAILED");
    }

    private Reply issueCreate(JsonNode input) {
        Optional<Reply> invalidId = checkNewId(input, issues.containsKey(input.path("id").asText()));
        if (invalidId.isPresent()) return invalidId.get();
        if (input.path("teamId").asText("").isEmpty()) return error(200, "Argument Validation Error", "INVALID_INPUT");
        if (input.path("title").asText("").isEmpty()) return error(200, "Argument Validation Error", "INVALID_INPUT");
        List<String> labels = new ArrayList<>();
        input.path("labelIds").forEach(l -> labels.add(l.asText()));
        String id = input.path("id").asText("");
        Issue issue = newIssue(id.isEmpty() ? UUID.randomUUID().toString() : id, input.path("teamId").asText(), input.path("title").asText(),
                input.path("description").isTextual() ? input.path("description").asText() : null,
                input.path("priority").isInt() ? input.path("priority").asInt() : null,
                input.path("assigneeId").isTextual() ? input.path("assigneeId").asText() : null, labels);
        ObjectNode answer = object();
        answer.putObject("data").putObject("issueCreate").put("success", true).set("issue", shape(issue));
        return Reply.json(200, write(answer));
    }

    private Reply commentCreate(JsonNode input) {
        Optional<Reply> invalidId = checkNewId(input, comments.containsKey(input.path("id").asText()));
        if (invalidId.isPresent()) return invalidId.get();
        Optional<Issue> issue = find(input.path("issueId").asText(""));
        if (issue.isEmpty()) return error(200, "Entity not found: Issue", "INVALID_INPUT");
        if (input.path("body").asText("").isEmpty()) return error(200, "Argument Validation Error", "INVALID_INPUT");
        String id = input.path("id").asText("");
        Comment comment = new Comment(id.isEmpty() ? UUID.randomUUID().toString() : id, issue.get().id(), input.path("body").asText());
        comments.put(comment.id(), comment);
        ObjectNode answer = object();
        answer.putObject("data").putObject("commentCreate").put("success", true).set("comment", shape(comment, issue.get()));
        return Reply.json(200, write(answer));
    }

    private Reply issueUpdate(String id, JsonNode input) {
        Optional<Issue> found = find(id);
        if (found.isEmpty()) return error(200, "Entity not found: Issue", "INVALID_INPUT");
        Issue old = found.get();
        Issue updated = new Issue(old.id(), old.identifier(), old.teamId(), old.title(), old.description(), old.priority(),
                input.has("assigneeId") ? input.path("assigneeId").asText() : old.assigneeId(), old.labelIds());
        issues.put(old.id(), updated);
        ObjectNode answer = object();
        answer.putObject("data").putObject("issueUpdate").put("success", true).set("issue", shape(updated));
        return Reply.json(200, write(answer));
    }

    private Reply issue(String id) {
        Optional<Issue> found = find(id);
        if (found.isEmpty()) return error(200, "Entity not found: Issue", "INVALID_INPUT");
        ObjectNode answer = object();
        answer.putObject("data").set("issue", shape(found.get()));
        return Reply.json(200, write(answer));
    }

    private Reply comment(String id) {
        Comment comment = comments.get(id);
        if (comment == null) return error(200, "Entity not found: Comment", "INVALID_INPUT");
        ObjectNode answer = object();
        answer.putObject("data").set("comment", shape(comment, issues.get(comment.issueId())));
        return Reply.json(200, write(answer));
    }

    private Optional<Reply> checkNewId(JsonNode input, boolean exists) {
        String id = input.path("id").asText("");
        if (id.isEmpty()) return Optional.empty();
        if (!id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
            return Optional.of(error(200, "Argument Validation Error: id must be a UUID", "INVALID_INPUT"));
        if (exists) return Optional.of(error(200, "Entity with this id already exists", "INVALID_INPUT"));
        return Optional.empty();
    }

    private Optional<Issue> find(String idOrIdentifier) {
        Issue byId = issues.get(idOrIdentifier);
        if (byId != null) return Optional.of(byId);
        return issues.values().stream().filter(i -> i.identifier().equals(idOrIdentifier)).findFirst();
    }

    private static ObjectNode shape(Issue issue) {
        return object().put("id", issue.id()).put("identifier", issue.identifier())
                .put("url", "https://linear.app/fake/issue/" + issue.identifier());
    }

    private static ObjectNode shape(Comment comment, Issue issue) {
        return object().put("id", comment.id())
                .put("url", "https://linear.app/fake/issue/" + issue.identifier() + "#comment-" + comment.id().substring(0, 8));
    }

    /** A GraphQL error in Linear's shape: {@code errors[].extensions.code} and {@code userPresentableMessage}. */
    static Reply error(int status, String message, String code) {
        ObjectNode body = object();
        ObjectNode error = body.putArray("errors").addObject().put("message", message);
        error.putObject("extensions").put("code", code).put("type", code.toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                .put("userPresentableMessage", message);
        body.putNull("data");
        return Reply.json(status, write(body));
    }

    /** The answer Linear gives a client over its rate limit, for {@link Fault.Status}. */
    public static Fault rateLimited(long resetEpochMillis) {
        ObjectNode body = object();
        body.putArray("errors").addObject().put("message", "Rate limit exceeded").putObject("extensions").put("code", "RATELIMITED");
        return new Fault.Status(400, Map.of("Content-Type", "application/json", "X-RateLimit-Requests-Reset", Long.toString(resetEpochMillis)), write(body));
    }
}
