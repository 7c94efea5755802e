package charter.connect.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends prepared requests on one shared {@link HttpClient} and sorts every network failure into "nothing was
 * sent" or "it may have been applied": the distinction the guarantees rest on. Never throws for the network.
 */
public final class HttpTransport {
    private final HttpClient client;
    private final Duration requestTimeout;

    public HttpTransport(HttpClient client, Duration requestTimeout) {
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    public Exchange send(PreparedRequest request) throws InterruptedException {
        java.net.http.HttpRequest built;
        try {
            built = request.toHttpRequest(requestTimeout);
        } catch (IllegalArgumentException e) {
            return new Exchange.Unsendable("the request cannot be made: " + describe(e));
        }
        try {
            HttpResponse<String> response = client.send(built,
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Exchange.Answered(response.statusCode(), response.headers(), response.body());
        } catch (HttpConnectTimeoutException e) {
            return new Exchange.NotSent("connect timeout to " + request.uri().getHost());
        } catch (HttpTimeoutException e) {
            return new Exchange.Lost("no answer within " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            if (refused(e)) return new Exchange.NotSent("connection refused by " + request.uri().getHost() + ":" + port(request));
            return new Exchange.Lost("connection lost: " + describe(e));
        } catch (IllegalArgumentException e) {
            return new Exchange.NotSent("cannot reach " + request.uri() + ": " + describe(e));
        }
    }

    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException) return true;
        }
        return false;
    }

    private static int port(PreparedRequest request) {
        int port = request.uri().getPort();
        return port >= 0 ? port : request.uri().getScheme().equals("https") ? 443 : 80;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
