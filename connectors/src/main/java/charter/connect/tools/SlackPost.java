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
import java.util.Set;

/**
 * slack.post through the Web API's {@code chat.postMessage}. Slack has no idempotency key, so each message
 * carries the action id in its message metadata ({@code event_type: charter_action}); {@link #lookup} reads the
 * channel's recent history with {@code include_all_metadata} for it. The Web API answers most errors with
 * 200 and {@code ok: false}; its transient ones are retried.
 */
final class SlackPost extends HttpConnector {
    static final String EVENT_TYPE = "charter_action";
    private static final Set<String> TRANSIENT = Set.of("ratelimited", "internal_error", "fatal_error", "service_unavailable");
    private static final int LOOKUP_PAGES = 5;

    SlackPost(ToolEndpoint endpoint, ConnectorContext context) {
        super("slack.post", endpoint, context);
    }

    @Override
    public Guarantee guarantee() {
        return Guarantee.AT_LEAST_ONCE_DEDUPLICATED;
    }

    @Override
    PreparedRequest prepare(ActionRequest request, Secrets secrets) {
        Args args = new Args(request);
        ObjectNode body = object();
        body.put("channel", args.string("channel"));
        body.put("text", args.string("text"));
        ObjectNode metadata = body.putObject("metadata");
        metadata.put("event_type", EVENT_TYPE);
        metadata.putObject("event_payload").put("action_id", request.actionId());
        return json("POST", url(null, "/chat.postMessage"), headers(secrets), body);
    }

    private Map<String, String> headers(Secrets secrets) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + secrets.get("token"));
        return headers;
    }

    @Override
    AttemptOutcome outcome(ActionRequest request, Exchange exchange) {
        if (exchange instanceof Exchange.Answered a && a.ok()) {
            JsonNode body = read(a.body());
            if (!body.path("ok").asBoolean(false)) {
                String error = text(body, "error") == null ? snippet(a.body()) : text(body, "error");
                return TRANSIENT.contains(error) ? new AttemptOutcome.Retry(a.status(), error, wait(a)) : new AttemptOutcome.Failed(a.status(), error);
            }
        }
        return super.outcome(request, exchange);
    }

    @Override
    AttemptOutcome done(ActionRequest request, Exchange.Answered answer) {
        JsonNode body = read(answer.body());
        String channel = text(body, "channel");
        String ts = text(body, "ts");
        return new AttemptOutcome.Done(answer.status(), channel + "/" + ts, permalink(channel, ts), false);
    }

    /** A link to the message when the tenant names its workspace URL (setting {@code workspace_url}). */
    private String permalink(String channel, String ts) {
        String workspace = setting("workspace_url", null);
        if (workspace == null || channel == null || ts == null) return null;
        return workspace.replaceAll("/+$", "") + "/archives/" + channel + "/p" + ts.replace(".", "");
    }

    @Override
    String errorMessage(Exchange.Answered answer) {
        String error = text(read(answer.body()), "error");
        return error == null ? snippet(answer.body()) : error;
    }

    /**
     * Reads the channel's history (newest first) for a message whose metadata names this action. A channel given
     * by name (not an id such as C0123ABCD) is first resolved to its id through {@code conversations.list}, as history needs the id.
     */
    @Override
    boolean searches() {
        return true;
    }

    @Override
    Search search(ActionRequest request) throws InterruptedException {
        try {
            return find(request);
        } catch (CannotAsk e) {
            return new Search.CannotAsk(e);
        }
    }

    private Search find(ActionRequest request) throws InterruptedException, CannotAsk {
        String channel;
        try {
            channel = channelId(request, new Args(request).string("channel"));
        } catch (InvalidAction e) {
            return new Search.NotFound();
        }
        if (channel == null) return new Search.NotFound();
        String cursor = "";
        for (int page = 0; page < LOOKUP_PAGES; page++) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("channel", channel);
            params.put("include_all_metadata", "true");
            params.put("limit", "200");
            if (!cursor.isEmpty()) params.put("cursor", cursor);
            JsonNode body = get(request, url(query(params), "/conversations.history"));
            if (body == null) return new Search.NotFound();
            for (JsonNode message : body.path("messages")) {
                JsonNode metadata = message.path("metadata");
                if (EVENT_TYPE.equals(text(metadata, "event_type"))
                        && request.actionId().equals(text(metadata.path("event_payload"), "action_id"))) {
                    String ts = text(message, "ts");
                    return new Search.Found(new AttemptOutcome.Done(200, channel + "/" + ts, permalink(channel, ts), true));
                }
            }
            cursor = body.path("response_metadata").path("next_cursor").asText("");
            if (cursor.isEmpty() || !body.path("has_more").asBoolean(false)) return new Search.NotFound();
        }
        return new Search.NotFound();
    }

    private String channelId(ActionRequest request, String channel) throws InterruptedException, CannotAsk {
        if (channel.matches("[CGD][A-Z0-9]{6,}")) return channel;
        String name = channel.startsWith("#") ? channel.substring(1) : channel;
        String cursor = "";
        for (int page = 0; page < LOOKUP_PAGES; page++) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("types", "public_channel,private_channel");
            params.put("limit", "1000");
            if (!cursor.isEmpty()) params.put("cursor", cursor);
            JsonNode body = get(request, url(query(params), "/conversations.list"));
            if (body == null) return null;
            for (JsonNode c : body.path("channels")) if (name.equals(text(c, "name"))) return text(c, "id");
            cursor = body.path("response_metadata").path("next_cursor").asText("");
            if (cursor.isEmpty()) return null;
        }
        return null;
    }

    /** A Web API read: its body when ok, null for channel_not_found (an answer: nothing was posted there). */
    private JsonNode get(ActionRequest request, URI uri) throws InterruptedException, CannotAsk {
        PreparedRequest read = json("GET", uri, headers(secrets()), null);
        Exchange.Answered a = ask(request, read);
        JsonNode body = read(a.body());
        if (body.path("ok").asBoolean(false)) return body;
        if ("channel_not_found".equals(text(body, "error"))) return null;
        throw cannotLook(request, read, errorMessage(a));
    }
}
