package charter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * One call of a command to a running server's REST API (`--server URL`): what goes wrong on the way is a one-line
 * error, never a stack trace — an unreachable address or a refusal is the user's to fix (exit 1), a 5xx is the
 * server's ({@link ServerFailure}).
 */
final class ServerCall {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerCall() {}

    /**
     * Sends the request and returns the server's JSON answer.
     *
     * @param base     the server's URL as the user gave it (a trailing slash is dropped)
     * @param body     the JSON body, or null for none
     * @param answered what a successful answer has (such as a `verdict` field); anything else is an error
     * @param refused  how a refusal starts, such as "the server refused the intent"
     */
    static JsonNode send(String base, String method, String path, String token, JsonNode body, Predicate<JsonNode> answered,
                         String refused) throws InterruptedException {
        String root = base.replaceAll("/+$", "");
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token.strip()).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UserError("--server " + base + ": not an http(s) URL");
        }
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // refused, timed out, reset: the address or the network, not Charter
            throw new UserError("cannot reach the server at " + root + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            reply = null;
        }
        if (response.statusCode() == 200 && reply != null && answered.test(reply)) return reply;
        JsonNode error = reply == null ? null : reply.path("error");
        String what = error == null || error.isMissingNode()
                ? "HTTP " + response.statusCode() + " from " + root + " (not a Charter error body)"
                : error.path("code").asText() + ": " + error.path("message").asText().lines().findFirst().orElse("");
        if (response.statusCode() >= 500) throw new ServerFailure("the server failed: " + what);
        throw new UserError(refused + ": " + what);
    }

    /** The server failed (5xx): an internal error for the script, still one line. */
    static final class ServerFailure extends RuntimeException {
        ServerFailure(String message) {
            super(message, null, false, false);
        }
    }
}
