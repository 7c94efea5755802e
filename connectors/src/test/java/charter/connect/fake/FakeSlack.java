package charter.connect.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slack's Web API as far as slack.post uses it: {@code chat.postMessage} (JSON body, bearer token, answers
 * {@code {ok, channel, ts, message}} or {@code {ok: false, error}} with status 200), {@code conversations.history}
 * (newest first, cursor pages, message metadata only with {@code include_all_metadata}) and
 * {@code conversations.list}. Channels are made on first use; history wants the channel id, as Slack's does.
 */
public final class FakeSlack extends FakeTool {
    /** A posted message. */
    public record Message(String channelId, String ts, String text, JsonNode metadata) {}

    private final String token;
    private final Map<String, String> channelIds = new LinkedHashMap<>();
    private final List<Message> messages = new ArrayList<>();
    private long clock = 1_700_000_000_000_100L;

    public FakeSlack(int port, String token) {
        super(port);
        this.token = token;
    }

    public FakeSlack(String token) {
        this(0, token);
    }

    /** The channel's id, making the channel if it is new (name with or without '#'). */
    public synchronized String channel(String name) {
        return channelIds.computeIfAbsent(name.startsWith("#") ? name.substring(1) : name,
                n -> "C" + String.format("%08X", channelIds.size() + 1));
    }

    /** The messages posted to a channel (by name or id), oldest first. */
    public synchronized List<Message> messages(String channel) {
        String id = channel.matches("C[0-9A-F]{8}") ? channel : channel(channel);
        return messages.stream().filter(m -> m.channelId().equals(id)).toList();
    }

    public synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    @Override
    protected String apiRoot() {
        return "/api";
    }

    @Override
    protected Reply handle(Received request) {
        if (!("Bearer " + token).equals(request.header("authorization"))) return error(request.header("authorization") == null ? "not_authed" : "invalid_auth");
        return switch (request.path()) {
            case "/api/chat.postMessage" -> post(request);
            case "/api/conversations.history" -> history(request);
            case "/api/conversations.list" -> list();
            default -> Reply.json(404, "{\"ok\":false,\"error\":\"unknown_method\"}");
        };
    }

    private Reply post(Received request) {
        if (!request.method().equals("POST")) return error("invalid_request");
        String type = request.header("content-type");
        if (type == null || !type.startsWith("application/json")) return error("invalid_form_data");
        JsonNode body = parse(request.body());
        if (body == null) return error("invalid_json");
        String channel = body.path("channel").asText("");
        if (channel.isEmpty()) return error("channel_not_found");
        String text = body.path("text").asText("");
        if (text.isEmpty() && !body.has("blocks")) return error("no_text");
        if (text.length() > 40_000) return error("msg_too_long");
        JsonNode metadata = body.path("metadata");
        if (!metadata.isMissingNode() && (!metadata.path("event_type").isTextual() || !metadata.path("event_payload").isObject()))
            return error("invalid_metadata_format");
        String id = channel.matches("C[0-9A-F]{8}") ? channel : channel(channel);
        if (!channelIds.containsValue(id)) return error("channel_not_found");
        clock += 100;
        String ts = (clock / 1_000_000) + "." + String.format("%06d", clock % 1_000_000);
        Message message = new Message(id, ts, text, metadata.isMissingNode() ? null : metadata);
        messages.add(message);
        ObjectNode answer = object().put("ok", true).put("channel", id).put("ts", ts);
        answer.set("message", shape(message, false));
        return Reply.json(200, write(answer));
    }

    private Reply history(Received request) {
        String channel = request.param("channel");
        if (channel == null || !channelIds.containsValue(channel)) return error("channel_not_found");
        boolean metadata = "true".equals(request.param("include_all_metadata"));
        int limit = Math.min(Math.max(parseInt(request.param("limit"), 100), 1), 999);
        int start = parseInt(request.param("cursor"), 0);
        List<Message> newestFirst = new ArrayList<>(messages(channel)).reversed();
        ArrayNode out = array();
        for (int i = start; i < Math.min(newestFirst.size(), start + limit); i++) out.add(shape(newestFirst.get(i), metadata));
        boolean more = start + limit < newestFirst.size();
        ObjectNode answer = object().put("ok", true).put("has_more", more);
        answer.set("messages", out);
        answer.putObject("response_metadata").put("next_cursor", more ? Integer.toString(start + limit) : "");
        return Reply.json(200, write(answer));
    }

    private Reply list() {
        ArrayNode channels = array();
        channelIds.forEach((name, id) -> channels.addObject().put("id", id).put("name", name).put("is_channel", true));
        ObjectNode answer = object().put("ok", true);
        answer.set("channels", channels);
        answer.putObject("response_metadata").put("next_cursor", "");
        return Reply.json(200, write(answer));
    }

    private static ObjectNode shape(Message message, boolean withMetadata) {
        ObjectNode node = object().put("type", "message").put("text", message.text()).put("ts", message.ts());
        if (withMetadata && message.metadata() != null) node.set("metadata", message.metadata());
        return node;
    }

    private static int parseInt(String value, int fallback) {
        try {
            return value == null || value.isEmpty() ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Reply error(String error) {
        return Reply.json(200, write(object().put("ok", false).put("error", error)));
    }
}
