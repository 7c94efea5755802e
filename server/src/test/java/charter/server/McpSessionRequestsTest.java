package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the answer of a session's request is written: alone as JSON, after notifications as SSE events. */
class McpSessionRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAnswerAloneIsOneJsonObject() throws Exception {
        var answer = McpSchema.JSONRPCResponse.result(7, Map.of("tools", List.of()));
        McpSessionRequests.Body body = McpSessionRequests.body(List.of(answer), McpJsonDefaults.getMapper());
        assertEquals("application/json", body.contentType());
        assertEquals(JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"tools\":[]}}"), JSON.readTree(body.bytes()));
    }

    @Test
    void notificationsBeforeTheAnswerAreSseEventsInTheOrderSent() throws Exception {
        var log = new McpSchema.JSONRPCNotification("2.0", "notifications/message", Map.of("level", "info", "data", "a\nb"));
        var answer = McpSchema.JSONRPCResponse.result("x", Map.of());
        McpSessionRequests.Body body = McpSessionRequests.body(List.of(log, answer), McpJsonDefaults.getMapper());
        assertEquals("text/event-stream", body.contentType());
        String[] events = new String(body.bytes(), StandardCharsets.UTF_8).split("\n\n");
        assertEquals(2, events.length);
        assertEquals("notifications/message", JSON.readTree(events[0].substring(events[0].indexOf("data: ") + 6)).get("method").asText());
        assertEquals("x", JSON.readTree(events[1].substring(events[1].indexOf("data: ") + 6)).get("id").asText());
        for (String e : events) assertEquals(2, e.lines().count(), "an event is its type and one data line: " + e);
    }
}
