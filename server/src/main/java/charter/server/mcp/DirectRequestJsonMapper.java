package charter.server.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The SDK's JSON mapper, with the two conversions every tool call makes done directly: the message
 * read into a map becomes a {@link McpSchema.JSONRPCRequest}, and its params a
 * {@link McpSchema.CallToolRequest}. Jackson's {@code convertValue} writes the map out to tokens and
 * binds them again, a tenth of an MCP call's CPU for two records built from values already read. A
 * map with any other key or an unexpected value type goes to Jackson as before, and
 * {@code DirectRequestJsonMapperTest} holds both ways to the same records.
 */
public final class DirectRequestJsonMapper implements McpJsonMapper {
    private static final Set<String> REQUEST_KEYS = Set.of("jsonrpc", "method", "id", "params");
    private static final Set<String> CALL_KEYS = Set.of("name", "arguments", "_meta");

    private final McpJsonMapper jackson;

    public DirectRequestJsonMapper(McpJsonMapper jackson) {
        this.jackson = jackson;
    }

    @Override
    public <T> T convertValue(Object from, Class<T> type) {
        if (type == McpSchema.JSONRPCRequest.class && from instanceof Map<?, ?> m && REQUEST_KEYS.containsAll(m.keySet())
                && m.get("jsonrpc") instanceof String jsonrpc && m.get("method") instanceof String method
                && (m.get("id") instanceof String || m.get("id") instanceof Integer || m.get("id") instanceof Long)
                && (m.get("params") == null || m.get("params") instanceof Map)) {
            return type.cast(new McpSchema.JSONRPCRequest(jsonrpc, method, m.get("id"), m.get("params")));
        }
        return jackson.convertValue(from, type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T convertValue(Object from, TypeRef<T> type) {
        if (type.getType() == McpSchema.CallToolRequest.class && from instanceof Map<?, ?> m && CALL_KEYS.containsAll(m.keySet())
                && m.get("name") instanceof String name && stringKeyedOrNull(m.get("arguments")) && stringKeyedOrNull(m.get("_meta"))) {
            return (T) new McpSchema.CallToolRequest(name, (Map<String, Object>) m.get("arguments"), (Map<String, Object>) m.get("_meta"));
        }
        return jackson.convertValue(from, type);
    }

    private static boolean stringKeyedOrNull(Object value) {
        if (value == null) return true;
        if (!(value instanceof Map<?, ?> map)) return false;
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) return false;
        }
        return true;
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return jackson.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return jackson.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return jackson.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return jackson.readValue(content, type);
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return jackson.writeValueAsString(value);
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return jackson.writeValueAsBytes(value);
    }
}
