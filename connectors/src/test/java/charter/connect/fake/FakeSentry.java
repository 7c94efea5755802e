package charter.connect.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentry's issue update ({@code PUT /api/0/organizations/{org}/issues/{issue_id}/}): {@code status} and
 * {@code assignedTo}, answered with the issue; 404 {@code {detail}} for an unknown issue or organization.
 */
public final class FakeSentry extends FakeTool {
    private static final Pattern ISSUE = Pattern.compile("/api/0/organizations/([^/]+)/issues/([^/]+)/");

    /** An issue's state. */
    public record Issue(String id, String status, String assignedTo) {}

    private final String token;
    private final String organization;
    private final Map<String, Issue> issues = new LinkedHashMap<>();

    public FakeSentry(int port, String token, String organization) {
        super(port);
        this.token = token;
        this.organization = organization;
    }

    public FakeSentry(String token, String organization) {
        this(0, token, organization);
    }

    public synchronized void seed(String issueId) {
        issues.put(issueId, new Issue(issueId, "unresolved", null));
    }

    public synchronized Issue issue(String id) {
        return issues.get(id);
    }

    @Override
    protected String apiRoot() {
        return "/api/0";
    }

    @Override
    protected Reply handle(Received request) {
        if (!("Bearer " + token).equals(request.header("authorization")))
            return Reply.json(401, "{\"detail\":\"Invalid token\"}");
        Matcher m = ISSUE.matcher(request.path());
        if (!m.matches() || !request.method().equals("PUT") || !groups(m).get(0).equals(organization) || !issues.containsKey(groups(m).get(1)))
            return Reply.json(404, "{\"detail\":\"The requested resource does not exist\"}");
        JsonNode body = parse(request.body());
        if (body == null) return Reply.json(400, "{\"detail\":\"Invalid JSON\"}");
        Issue old = issues.get(groups(m).get(1));
        String status = body.has("status") ? body.path("status").asText() : old.status();
        if (!status.equals("resolved") && !status.equals("unresolved") && !status.equals("ignored"))
            return Reply.json(400, "{\"status\":[\"\\\"" + status + "\\\" is not a valid choice.\"]}");
        Issue updated = new Issue(old.id(), status, body.has("assignedTo") ? body.path("assignedTo").asText() : old.assignedTo());
        issues.put(old.id(), updated);
        ObjectNode answer = object().put("id", updated.id()).put("status", updated.status())
                .put("permalink", "https://" + organization + ".sentry.io/issues/" + updated.id() + "/");
        if (updated.assignedTo() == null) answer.putNull("assignedTo");
        else answer.putObject("assignedTo").put("type", "user").put("name", updated.assignedTo());
        return Reply.json(200, write(answer));
    }
}
