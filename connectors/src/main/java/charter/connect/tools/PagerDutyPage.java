package charter.connect.tools;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.http.Exchange;
import charter.connect.http.PreparedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * pagerduty.page through the Events API v2 ({@code POST /v2/enqueue}). The action id is the {@code dedup_key}:
 * PagerDuty folds every trigger with an open incident's key into that incident, so repeating an attempt never
 * pages twice.
 *
 * <p>The routing key is the credential {@code routing_key:<team>} for the action's team, else {@code routing_key}.
 */
final class PagerDutyPage extends HttpConnector {
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    PagerDutyPage(ToolEndpoint endpoint, ConnectorContext context) {
        super("pagerduty.page", endpoint, context);
    }

    @Override
    public Guarantee guarantee() {
        return Guarantee.EXACTLY_ONCE;
    }

    @Override
    PreparedRequest prepare(ActionRequest request, Secrets secrets) {
        Args args = new Args(request);
        String team = args.string("team");
        String routingKey = secrets.get("routing_key:" + team, "routing_key");
        String severity = args.optString("severity").map(s -> s.toLowerCase(Locale.ROOT)).orElse("error");
        if (!SEVERITIES.contains(severity))
            throw new InvalidAction(tool + ": severity must be one of critical, error, warning, info, not '" + severity + "'");
        ObjectNode body = object();
        body.put("routing_key", routingKey);
        body.put("event_action", "trigger");
        body.put("dedup_key", request.actionId());
        ObjectNode payload = body.putObject("payload");
        // PagerDuty refuses summaries over 1024 characters.
        String summary = args.string("summary");
        payload.put("summary", summary.length() > 1024 ? summary.substring(0, 1023) + "…" : summary);
        payload.put("source", setting("source", "charter"));
        payload.put("severity", severity);
        payload.putObject("custom_details").put("team", team).put("charter_action", request.actionId());
        return json("POST", url(null, "/v2/enqueue"), Map.of(), body);
    }

    @Override
    AttemptOutcome done(ActionRequest request, Exchange.Answered answer) {
        JsonNode body = read(answer.body());
        String key = text(body, "dedup_key");
        return new AttemptOutcome.Done(answer.status(), key == null ? request.actionId() : key, null, false);
    }

    @Override
    String errorMessage(Exchange.Answered answer) {
        JsonNode body = read(answer.body());
        String message = text(body, "message");
        if (message == null) return snippet(answer.body());
        JsonNode errors = body.path("errors");
        return errors.isArray() && !errors.isEmpty() ? message + ": " + errors.get(0).asText() : message;
    }
}
