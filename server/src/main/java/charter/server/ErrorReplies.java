package charter.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error body the server sends, and its line in the log. The body is
 * {@code {"error": {"status", "code", "message", "id"}}}; the same id is in the log line, so an
 * operator finds the cause a client reports. A server failure (5xx) is logged with its cause,
 * while its body says only what the client may do: never a server path, an exception class or
 * where the store is.
 */
final class ErrorReplies {
    private static final Logger LOG = LoggerFactory.getLogger("charter.server.errors");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Set on a request by the route that knows whose it is, for the log line. */
    static final String TENANT = "charter.tenant";

    private ErrorReplies() {}

    /** A fresh error id: {@code err-} and 12 hex digits, unique enough to find one line in a day's log. */
    static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "err-" + HexFormat.of().formatHex(b);
    }

    static ObjectNode body(int status, String code, String message) {
        ObjectNode n = CharterServer.JSON.createObjectNode();
        ObjectNode e = n.putObject("error");
        e.put("status", status);
        e.put("code", code);
        e.put("message", message);
        e.put("id", newId());
        return n;
    }

    /** Logs the error body (with {@code cause}, if any) under its id, then sends it. */
    static void send(Context ctx, ObjectNode body, Throwable cause) {
        log(ctx, body, cause);
        CharterServer.reply(ctx, body.path("error").path("status").asInt(500), body);
    }

    /**
     * As {@link #send}, as the request's result: for Javalin's own 404 and 405, whose plain-text
     * result it replaces (writing to the response besides would send both).
     */
    static void replaceResult(Context ctx, ObjectNode body) {
        log(ctx, body, null);
        try {
            ctx.status(body.path("error").path("status").asInt(500)).contentType("application/json")
                    .result(CharterServer.JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void log(Context ctx, ObjectNode body, Throwable cause) {
        ObjectNode e = (ObjectNode) body.get("error");
        int status = e.path("status").asInt(500);
        String tenant = ctx.attribute(TENANT) instanceof String s ? s : "-";
        String line = "{} {} {} tenant={} -> {} {}: {}";
        Object[] args = {e.path("id").asText(), ctx.method(), ctx.path(), tenant, status, e.path("code").asText(), e.path("message").asText()};
        if (status >= 500) {
            if (cause != null) LOG.error(line, append(args, cause));
            else LOG.error(line, args);
        } else {
            LOG.info(line, args);
        }
    }

    private static Object[] append(Object[] args, Throwable cause) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = cause;
        return all;
    }
}
