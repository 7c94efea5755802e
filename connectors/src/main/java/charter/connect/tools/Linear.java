package charter.connect.tools;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.http.Exchange;
import charter.connect.http.PreparedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Linear GraphQL API tools. Creates propose their own id (a UUID derived from the action id; Linear's create
 * inputs take "the identifier in UUID v4 format"), so a repeated create cannot make a second issue or comment:
 * when a create is refused, the connector asks for the entity by that id and reports it done if it exists.
 * Assigning sets state. Every value travels in GraphQL variables, never inside the query text.
 *
 * <p>Teams, people and labels are Linear ids; the settings {@code team:<name>}, {@code person:<name>} and
 * {@code label:<name>} map the Program's names to them.
 */
final class Linear extends HttpConnector {
    enum Operation { CREATE_ISSUE, COMMENT, ASSIGN }

    static final String ISSUE_CREATE = "mutation CharterIssueCreate($input: IssueCreateInput!) "
            + "{ issueCreate(input: $input) { success issue { id identifier url } } }";
    static final String COMMENT_CREATE = "mutation CharterCommentCreate($input: CommentCreateInput!) "
            + "{ commentCreate(input: $input) { success comment { id url } } }";
    static final String ISSUE_UPDATE = "mutation CharterIssueAssign($id: String!, $input: IssueUpdateInput!) "
            + "{ issueUpdate(id: $id, input: $input) { success issue { id identifier url } } }";
    static final String ISSUE_BY_ID = "query CharterIssue($id: String!) { issue(id: $id) { id identifier url } }";
    static final String COMMENT_BY_ID = "query CharterComment($id: String!) { comment(id: $id) { id url } }";

    private final Operation operation;

    Linear(String tool, Operation operation, ToolEndpoint endpoint, ConnectorContext context) {
        super(tool, endpoint, context);
        this.operation = operation;
    }

    @Override
    public Guarantee guarantee() {
        return Guarantee.EXACTLY_ONCE;
    }

    @Override
    PreparedRequest prepare(ActionRequest request, Secrets secrets) {
        Args args = new Args(request);
        ObjectNode variables = object();
        String query = switch (operation) {
            case CREATE_ISSUE -> {
                ObjectNode input = variables.putObject("input");
                input.put("id", ActionMarks.uuid(request.actionId()).toString());
                input.put("teamId", mapped("team", args.string("team")));
                input.put("title", args.string("title"));
                args.optString("description").ifPresent(d -> input.put("description", d));
                args.optInteger("priority").ifPresent(p -> {
                    if (p < 0 || p > 4) throw new InvalidAction(tool + ": priority must be 0 to 4 (0 none, 1 urgent, 4 low), not " + p);
                    input.put("priority", p.intValue());
                });
                args.optString("assignee").ifPresent(a -> input.put("assigneeId", mapped("person", a)));
                List<String> labels = args.strings("labels");
                if (!labels.isEmpty()) {
                    ArrayNode ids = input.putArray("labelIds");
                    labels.forEach(l -> ids.add(mapped("label", l)));
                }
                yield ISSUE_CREATE;
            }
            case COMMENT -> {
                ObjectNode input = variables.putObject("input");
                input.put("id", ActionMarks.uuid(request.actionId()).toString());
                input.put("issueId", args.string("issue"));
                input.put("body", args.string("body"));
                yield COMMENT_CREATE;
            }
            case ASSIGN -> {
                variables.put("id", args.string("issue"));
                variables.putObject("input").put("assigneeId", mapped("person", args.string("assignee")));
                yield ISSUE_UPDATE;
            }
        };
        return graphql(query, variables, secrets);
    }

    private PreparedRequest graphql(String query, ObjectNode variables, Secrets secrets) {
        ObjectNode body = object();
        body.put("query", query);
        body.set("variables", variables);
        return json("POST", url(null, "/graphql"), headers(secrets), body);
    }

    /** A personal API key is sent as is; an OAuth token (credential {@code token}) as a bearer token. */
    private Map<String, String> headers(Secrets secrets) {
        Map<String, String> headers = new LinkedHashMap<>();
        String apiKey = endpoint.credentials().get("api_key");
        headers.put("Authorization", apiKey != null && !apiKey.isEmpty() ? apiKey : "Bearer " + secrets.get("api_key", "token"));
        return headers;
    }

    private String mapped(String kind, String name) {
        return setting(kind + ":" + name, name);
    }

    @Override
    public AttemptOutcome send(ActionRequest request) throws InterruptedException {
        AttemptOutcome outcome = super.send(request);
        // On a later attempt, a refused create may be this action's own earlier one (Linear refuses an id it has).
        if (outcome instanceof AttemptOutcome.Failed failed && failed.status() != 0 && request.attempt() > 1 && operation != Operation.ASSIGN) {
            return switch (search(request)) {
                case Search.Found found -> found.done();
                case Search.CannotAsk cannot -> new AttemptOutcome.Retry(0, "Linear refused the create (" + failed.reason()
                        + ") and could not be asked whether this action made it: " + cannot.reason(), cannot.retryAfter());
                case Search.NotFound notFound -> outcome;
            };
        }
        return outcome;
    }

    @Override
    AttemptOutcome outcome(ActionRequest request, Exchange exchange) {
        if (exchange instanceof Exchange.Answered a && (a.ok() || a.status() == 400)) {
            JsonNode body = read(a.body());
            JsonNode errors = body.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                String code = errors.get(0).path("extensions").path("code").asText("");
                if (code.equals("RATELIMITED")) return new AttemptOutcome.Retry(a.status(), "rate limited: " + errorMessage(a), wait(a));
                return new AttemptOutcome.Failed(a.status(), errorMessage(a));
            }
            if (a.ok()) {
                JsonNode result = result(body);
                if (!result.path("success").asBoolean(false)) return new AttemptOutcome.Failed(a.status(), "Linear answered success: false");
            }
        }
        return super.outcome(request, exchange);
    }

    private JsonNode result(JsonNode body) {
        return body.path("data").path(switch (operation) {
            case CREATE_ISSUE -> "issueCreate";
            case COMMENT -> "commentCreate";
            case ASSIGN -> "issueUpdate";
        });
    }

    @Override
    AttemptOutcome done(ActionRequest request, Exchange.Answered answer) {
        JsonNode result = result(read(answer.body()));
        JsonNode entity = result.path(operation == Operation.COMMENT ? "comment" : "issue");
        return new AttemptOutcome.Done(answer.status(), text(entity, "id"), text(entity, "url"), false);
    }

    @Override
    String errorMessage(Exchange.Answered answer) {
        JsonNode errors = read(answer.body()).path("errors");
        if (!errors.isArray() || errors.isEmpty()) return snippet(answer.body());
        JsonNode first = errors.get(0);
        String shown = first.path("extensions").path("userPresentableMessage").asText("");
        return shown.isEmpty() ? first.path("message").asText(snippet(answer.body())) : shown;
    }

    @Override
    public Optional<AttemptOutcome.Done> lookup(ActionRequest request) throws InterruptedException {
        if (operation == Operation.ASSIGN) return Optional.empty();
        return search(request) instanceof Search.Found found ? Optional.of(found.done()) : Optional.empty();
    }

    /** Asks Linear for the issue or comment with this action's id. */
    @Override
    Search search(ActionRequest request) throws InterruptedException {
        ObjectNode variables = object();
        variables.put("id", ActionMarks.uuid(request.actionId()).toString());
        PreparedRequest prepared;
        try {
            prepared = graphql(operation == Operation.COMMENT ? COMMENT_BY_ID : ISSUE_BY_ID, variables, secrets());
        } catch (InvalidAction e) {
            return new Search.NotFound();
        }
        Exchange.Answered a;
        try {
            a = ask(request, prepared);
        } catch (CannotAsk e) {
            return new Search.CannotAsk(e);
        }
        JsonNode entity = read(a.body()).path("data").path(operation == Operation.COMMENT ? "comment" : "issue");
        if (!entity.isObject() || text(entity, "id") == null) return new Search.NotFound();
        return new Search.Found(new AttemptOutcome.Done(a.status(), text(entity, "id"), text(entity, "url"), true));
    }
}
