package charter.server;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** MCP clients of the official SDK, over Streamable HTTP to a server's /mcp with a bearer token. */
final class McpClients {
    private McpClients() {}

    /**
     * The HTTP limits of a server these clients talk to. Every test client comes from 127.0.0.1,
     * and each SDK client's pooled connections (and its notification stream) outlive it until the
     * idle timeout: a class of tests opens more than the default 32 per address, and the limit
     * closes the next connection unanswered ("header parser received no bytes").
     */
    static final ServerConfig.HttpLimits SERVER_LIMITS =
            new ServerConfig.HttpLimits(ServerConfig.HttpLimits.DEFAULTS.idleTimeout(), ServerConfig.HttpLimits.DEFAULTS.bodyTimeout(), 256);

    static McpSyncClient http(int port, String token) {
        return http(port, token, tools -> { });
    }

    static McpSyncClient http(int port, String token, Consumer<List<McpSchema.Tool>> toolsChanged) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
                .clientInfo(new McpSchema.Implementation("charter-test", "1"))
                .toolsChangeConsumer(toolsChanged).build();
        client.initialize();
        return client;
    }
}
