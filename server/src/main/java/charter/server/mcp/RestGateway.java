package charter.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The MCP tools' way to Charter: its REST API, asked with the caller's own token. Every tool does
 * exactly what the matching REST call does (same checks, same scopes, same records), whether the
 * MCP server runs inside {@code charter serve} (on loopback) or in front of a remote one.
 */
public final class RestGateway implements Gateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<String> base;

    /** @param base the server's address, such as {@code http://127.0.0.1:8080} (asked each call: a port may be known late) */
    public RestGateway(Supplier<String> base) {
        this.base = base;
    }

    @Override
    public JsonNode get(Caller caller, String path) {
        return send(caller, HttpRequest.newBuilder(uri(path)).GET());
    }

    @Override
    public JsonNode post(Caller caller, String path, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(caller, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private URI uri(String path) {
        return URI.create(base.get() + path);
    }

    private JsonNode send(Caller caller, HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        if (caller.token() != null) request.header("Authorization", "Bearer " + caller.token());
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ApiFailure(503, "server_unreachable", "the Charter server at " + base.get() + " cannot be reached: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiFailure(503, "interrupted", "the call to the Charter server was interrupted", null);
        }
        JsonNode body;
        try {
            body = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ApiFailure(502, "bad_response", "the Charter server answered " + response.statusCode() + " with a body that is not JSON: "
                    + new String(response.body(), 0, Math.min(200, response.body().length), StandardCharsets.UTF_8), null);
        }
        if (response.statusCode() >= 400) {
            JsonNode error = body.path("error");
            throw new ApiFailure(response.statusCode(), error.path("code").asText("http_" + response.statusCode()),
                    error.path("message").asText("the Charter server answered " + response.statusCode()), body);
        }
        return body;
    }
}
