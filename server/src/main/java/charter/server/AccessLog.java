package charter.server;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per HTTP request, at info level on the logger {@code charter.access}: method, path,
 * status, time taken, and the client's address. Never a header, a query string or a body (tokens,
 * signatures and payloads stay out of the log).
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("charter.access");

    private AccessLog() {}

    static void log(Context ctx, Float millis) {
        if (!LOG.isInfoEnabled()) return;
        LOG.info("{} {} {} {} ms from {}", ctx.method(), ctx.path(), ctx.statusCode(), String.format(java.util.Locale.ROOT, "%.1f", millis),
                ctx.ip());
    }
}
