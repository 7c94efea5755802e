package charter.connect.tools;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.http.Exchange;
import charter.connect.http.PreparedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Sentry API tools: {@code PUT /organizations/{org}/issues/{issue_id}/} under the API root
 * ({@code https://sentry.io/api/0}) setting the assignee or the
 * status. Both set state, so repeating one changes nothing. The setting {@code organization} names the org.
 */
final class Sentry extends HttpConnector {
    enum Operation { ASSIGN, RESOLVE }

    private final Operation operation;

    Sentry(String tool, Operation operation, ToolEndpoint endpoint, ConnectorContext context) {
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
        String organization = secrets.setting(endpoint.settings(), "organization");
        ObjectNode body = object();
        switch (operation) {
            case ASSIGN -> body.put("assignedTo", setting("person:" + args.string("assignee"), args.string("assignee")));
            case RESOLVE -> body.put("status", "resolved");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + secrets.get("token"));
        return json("PUT", url(null, "/organizations", organization, "issues", args.string("issue_id"), "/"), headers, body);
    }

    @Override
    AttemptOutcome done(ActionRequest request, Exchange.Answered answer) {
        JsonNode body = read(answer.body());
        String id = text(body, "id");
        return new AttemptOutcome.Done(answer.status(), id == null ? new Args(request).string("issue_id") : id, text(body, "permalink"), false);
    }

    @Override
    String errorMessage(Exchange.Answered answer) {
        String detail = text(read(answer.body()), "detail");
        return detail == null ? snippet(answer.body()) : detail;
    }
}
