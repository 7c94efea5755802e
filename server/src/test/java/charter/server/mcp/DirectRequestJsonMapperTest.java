package charter.server.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The direct conversions against Jackson's, on messages read from JSON text the way the SDK reads them. */
class DirectRequestJsonMapperTest {
    private static final McpJsonMapper JACKSON = McpJsonDefaults.getMapper();
    private static final McpJsonMapper DIRECT = new DirectRequestJsonMapper(JACKSON);
    private static final TypeRef<HashMap<String, Object>> MAP = new TypeRef<>() {};
    private static final TypeRef<McpSchema.CallToolRequest> CALL = new TypeRef<>() {};

    @Test
    void requestsAndToolCallsComeOutAsJacksonMakesThem() throws Exception {
        Random random = new Random(20261206);
        int direct = 0;
        for (int i = 0; i < 3_000; i++) {
            HashMap<String, Object> message = JACKSON.readValue(message(random), MAP);
            if (!message.containsKey("method") || !message.containsKey("id")) continue;
            McpSchema.JSONRPCRequest expected;
            try {
                expected = JACKSON.convertValue(message, McpSchema.JSONRPCRequest.class);
            } catch (RuntimeException refused) {
                assertThrows(RuntimeException.class, () -> DIRECT.convertValue(message, McpSchema.JSONRPCRequest.class), message.toString());
                continue;
            }
            McpSchema.JSONRPCRequest actual = DIRECT.convertValue(message, McpSchema.JSONRPCRequest.class);
            assertEquals(expected, actual, message.toString());
            if (expected.params() != null) {
                Object params = expected.params();
                McpSchema.CallToolRequest call;
                try {
                    call = JACKSON.convertValue(params, CALL);
                } catch (RuntimeException refused) {
                    assertThrows(RuntimeException.class, () -> DIRECT.convertValue(params, CALL), params.toString());
                    continue;
                }
                assertEquals(call, DIRECT.convertValue(params, CALL), params.toString());
                direct++;
            }
        }
        assertTrue(direct > 300, "enough tool calls were compared: " + direct);
    }

    /** A JSON-RPC message, mostly a well-formed tools/call, sometimes with a key or a value out of the ordinary. */
    private static String message(Random r) {
        StringBuilder b = new StringBuilder("{\"jsonrpc\":\"2.0\"");
        if (r.nextInt(20) > 0) b.append(",\"method\":").append(pick(r, "\"tools/call\"", "\"tools/call\"", "\"ping\"", "5"));
        if (r.nextInt(20) > 0) b.append(",\"id\":").append(pick(r, "1", "\"a-1\"", "12345678901", "1.5", "null", "[1]"));
        if (r.nextInt(10) > 0) b.append(",\"params\":").append(pick(r, params(r), params(r), params(r), "[]", "null", "\"x\""));
        if (r.nextInt(15) == 0) b.append(",\"extra\":true");
        return b.append('}').toString();
    }

    private static String params(Random r) {
        StringBuilder b = new StringBuilder("{");
        List<String> parts = new java.util.ArrayList<>();
        if (r.nextInt(15) > 0) parts.add("\"name\":" + pick(r, "\"triage\"", "\"ship\"", "7", "null"));
        if (r.nextInt(6) > 0) parts.add("\"arguments\":" + pick(r, "{\"issue_id\":\"S-1\",\"count\":2,\"flags\":[true,null],\"deep\":{\"a\":[1.5]}}",
                "{}", "null", "[1]", "\"text\""));
        if (r.nextInt(4) == 0) parts.add("\"_meta\":" + pick(r, "{\"progressToken\":3}", "null", "1"));
        if (r.nextInt(12) == 0) parts.add("\"task\":{}");
        b.append(String.join(",", parts));
        return b.append('}').toString();
    }

    private static String pick(Random r, String... choices) {
        return choices[r.nextInt(choices.length)];
    }
}
