package charter.connect.tools;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.http.Exchange;
import charter.connect.http.PreparedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GitHub REST API tools. GitHub has no idempotency key: comments and issues carry the action's hidden
 * marker at the end of their body and {@link #lookup} looks for it; labels and review requests set state, so
 * repeating them changes nothing.
 */
final class GitHub extends HttpConnector {
    /** How far back a lookup reads (pages of 100): far enough for any retry, bounded for a busy issue. */
    private static final int LOOKUP_PAGES = 10;

    enum Operation { COMMENT, ADD_LABEL, REQUEST_REVIEW, CREATE_ISSUE }

    private final Operation operation;

    GitHub(String tool, Operation operation, ToolEndpoint endpoint, ConnectorContext context) {
        super(tool, endpoint, context);
        this.operation = operation;
    }

    @Override
    public Guarantee guarantee() {
        return switch (operation) {
            case COMMENT, CREATE_ISSUE -> Guarantee.AT_LEAST_ONCE_DEDUPLICATED;
            case ADD_LABEL, REQUEST_REVIEW -> Guarantee.EXACTLY_ONCE;
        };
    }

    @Override
    PreparedRequest prepare(ActionRequest request, Secrets secrets) {
        Args args = new Args(request);
        String[] repo = args.repo("repo");
        ObjectNode body = object();
        return switch (operation) {
            case COMMENT -> {
                body.put("body", args.string("body") + "\n\n" + ActionMarks.marker(request.actionId()));
                yield post(url(null, "/repos", repo[0], repo[1], "issues", Long.toString(args.integer("number")), "comments"), body, secrets);
            }
            case ADD_LABEL -> {
                body.putArray("labels").add(args.string("label"));
                yield post(url(null, "/repos", repo[0], repo[1], "issues", Long.toString(args.integer("number")), "labels"), body, secrets);
            }
            case REQUEST_REVIEW -> {
                body.putArray("reviewers").add(args.string("reviewer"));
                yield post(url(null, "/repos", repo[0], repo[1], "pulls", Long.toString(args.integer("number")), "requested_reviewers"), body, secrets);
            }
            case CREATE_ISSUE -> {
                body.put("title", args.string("title"));
                String text = args.optString("body").orElse("");
                body.put("body", (text.isEmpty() ? "" : text + "\n\n") + ActionMarks.marker(request.actionId()));
                yield post(url(null, "/repos", repo[0], repo[1], "issues"), body, secrets);
            }
        };
    }

    private PreparedRequest post(URI uri, ObjectNode body, Secrets secrets) {
        return json("POST", uri, headers(secrets), body);
    }

    private Map<String, String> headers(Secrets secrets) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/vnd.github+json");
        headers.put("Authorization", "Bearer " + secrets.get("token"));
        headers.put("X-GitHub-Api-Version", "2022-11-28");
        headers.put("User-Agent", "charter-connectors");
        return headers;
    }

    @Override
    AttemptOutcome done(ActionRequest request, Exchange.Answered answer) {
        JsonNode body = read(answer.body());
        Args args = new Args(request);
        String repo = args.string("repo");
        return switch (operation) {
            case COMMENT -> new AttemptOutcome.Done(answer.status(), text(body, "id"), text(body, "html_url"), false);
            case CREATE_ISSUE -> new AttemptOutcome.Done(answer.status(), repo + "#" + text(body, "number"), text(body, "html_url"), false);
            case ADD_LABEL -> new AttemptOutcome.Done(answer.status(), repo + "#" + args.integer("number") + ":" + args.string("label"), null, false);
            case REQUEST_REVIEW -> new AttemptOutcome.Done(answer.status(), repo + "#" + args.integer("number"), text(body, "html_url"), false);
        };
    }

    @Override
    String errorMessage(Exchange.Answered answer) {
        JsonNode body = read(answer.body());
        String message = text(body, "message");
        if (message == null) return snippet(answer.body());
        JsonNode errors = body.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode first = errors.get(0);
            String detail = first.isTextual() ? first.asText() : text(first, "message") != null ? text(first, "message") : text(first, "code");
            if (detail != null) return message + ": " + detail;
        }
        return message;
    }

    @Override
    boolean searches() {
        return operation == Operation.COMMENT || operation == Operation.CREATE_ISSUE;
    }

    /** Reads the issue's comments, or the repository's newest issues, for one whose body ends with the marker. */
    @Override
    Search search(ActionRequest request) throws InterruptedException {
        try {
            return find(request);
        } catch (CannotAsk e) {
            return new Search.CannotAsk(e);
        }
    }

    private Search find(ActionRequest request) throws InterruptedException, CannotAsk {
        Args args = new Args(request);
        String[] repo;
        URI first;
        try {
            repo = args.repo("repo");
            first = operation == Operation.COMMENT
                    ? url("per_page=100", "/repos", repo[0], repo[1], "issues", Long.toString(args.integer("number")), "comments")
                    : url("state=all&sort=created&direction=desc&per_page=100", "/repos", repo[0], repo[1], "issues");
        } catch (InvalidAction e) {
            return new Search.NotFound();
        }
        for (int page = 1; page <= LOOKUP_PAGES; page++) {
            PreparedRequest read = json("GET", URI.create(first + "&page=" + page), headers(secrets()), null);
            Exchange.Answered answer = ask(request, read);
            JsonNode items = read(answer.body());
            if (!items.isArray()) throw cannotLook(request, read, "not a list: " + snippet(answer.body()));
            for (JsonNode item : items) {
                if (ActionMarks.endsWithMarker(text(item, "body"), request.actionId())) {
                    String id = operation == Operation.COMMENT ? text(item, "id") : repo[0] + "/" + repo[1] + "#" + text(item, "number");
                    return new Search.Found(new AttemptOutcome.Done(answer.status(), id, text(item, "html_url"), true));
                }
            }
            if (items.size() < 100) return new Search.NotFound();
        }
        return new Search.NotFound();
    }
}
