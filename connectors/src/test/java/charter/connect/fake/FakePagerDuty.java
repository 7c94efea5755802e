package charter.connect.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * PagerDuty's Events API v2 ({@code POST /v2/enqueue}): validates the event as PagerDuty documents it, answers
 * 202 {@code {status, message, dedup_key}}, and folds a trigger whose {@code dedup_key} names an open incident
 * into that incident, as PagerDuty does: {@link #pages()} counts pages, {@link #incidents()} the open ones, {@link #events()} every event.
 */
public final class FakePagerDuty extends FakeTool {
    private static final Set<String> ACTIONS = Set.of("trigger", "acknowledge", "resolve");
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    /** An incident: the dedup key and every event folded into it. */
    public record Incident(String dedupKey, String summary, String severity, List<JsonNode> events) {}

    private final Set<String> routingKeys;
    private final Map<String, Incident> incidents = new LinkedHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private int pages;

    /** @param routingKeys the integration keys accepted; empty accepts any */
    public FakePagerDuty(int port, Set<String> routingKeys) {
        super(port);
        this.routingKeys = Set.copyOf(routingKeys);
    }

    public FakePagerDuty(Set<String> routingKeys) {
        this(0, routingKeys);
    }

    public synchronized Map<String, Incident> incidents() {
        return Map.copyOf(incidents);
    }

    /** How many times someone was paged: triggers that opened an incident rather than joining an open one. */
    public synchronized int pages() {
        return pages;
    }

    public synchronized List<JsonNode> events() {
        return List.copyOf(events);
    }

    @Override
    protected Reply handle(Received request) {
        if (!request.method().equals("POST") || !request.path().equals("/v2/enqueue")) return Reply.json(404, "{\"status\":\"not found\"}");
        JsonNode event = parse(request.body());
        if (event == null || !event.isObject()) return invalid("Event object is invalid", "body is not a JSON object");
        String routingKey = event.path("routing_key").asText("");
        if (routingKey.isEmpty()) return invalid("Event object is invalid", "'routing_key' is missing or blank");
        if (!routingKeys.isEmpty() && !routingKeys.contains(routingKey)) return invalid("Invalid routing key", "routing_key is not an integration key of this account");
        String action = event.path("event_action").asText("");
        if (!ACTIONS.contains(action)) return invalid("Event object is invalid", "'event_action' is invalid (must be one of trigger, acknowledge, resolve)");
        String dedupKey = event.path("dedup_key").asText("");
        JsonNode payload = event.path("payload");
        if (action.equals("trigger")) {
            if (payload.path("summary").asText("").isEmpty()) return invalid("Event object is invalid", "'payload.summary' is missing or blank");
            if (payload.path("summary").asText().length() > 1024) return invalid("Event object is invalid", "'payload.summary' is longer than 1024 characters");
            if (payload.path("source").asText("").isEmpty()) return invalid("Event object is invalid", "'payload.source' is missing or blank");
            if (!SEVERITIES.contains(payload.path("severity").asText(""))) return invalid("Event object is invalid", "'payload.severity' is invalid");
            if (dedupKey.isEmpty()) dedupKey = UUID.randomUUID().toString().replace("-", "");
        } else if (dedupKey.isEmpty()) {
            return invalid("Event object is invalid", "'dedup_key' is required for " + action);
        }
        events.add(event);
        if (action.equals("trigger")) {
            if (!incidents.containsKey(dedupKey)) pages++;
            incidents.computeIfAbsent(dedupKey, k -> new Incident(k, payload.path("summary").asText(), payload.path("severity").asText(), new ArrayList<>()))
                    .events().add(event);
        } else if (action.equals("resolve")) {
            incidents.remove(dedupKey);
        }
        ObjectNode answer = object().put("status", "success").put("message", "Event processed").put("dedup_key", dedupKey);
        return Reply.json(202, write(answer));
    }

    private static Reply invalid(String message, String error) {
        ObjectNode body = object().put("status", "invalid event").put("message", message);
        body.putArray("errors").add(error);
        return Reply.json(400, write(body));
    }
}
