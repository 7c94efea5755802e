package charter.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The errors Jetty answers itself, before a request reaches a route (a malformed request line or
 * header, headers too large), in the server's JSON error shape instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger("charter.server.errors");

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause, Callback callback)
            throws IOException {
        String code = switch (status) {
            case 400 -> "bad_request";
            case 408 -> "request_timeout";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal" : "http_" + status;
        };
        // The reason phrase only: Jetty's own message can quote the request back.
        ObjectNode body = ErrorReplies.body(status, code, "the request could not be handled: " + HttpStatus.getMessage(status));
        String id = body.path("error").path("id").asText();
        if (status >= 500) LOG.error("{} {} -> {} {}: {}", id, request.getHttpURI().getPath(), status, code, message, cause);
        else LOG.info("{} {} -> {} {}: {}", id, request.getHttpURI().getPath(), status, code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(CharterServer.JSON.writeValueAsBytes(body)), callback);
    }
}
