package charter.connect.http;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends prepared requests on one shared {@link HttpClient} and sorts every network failure into "nothing was
 * sent" or "it may have been applied": the distinction the guarantees rest on. Never throws for the network.
 *
 * <p>A tool's answer is read whole within the request timeout (headers and body: a body trickling in byte by
 * byte cannot hold an attempt open) and at most {@link #MAX_BODY} bytes of it are kept (a receiver answering
 * gigabytes cannot exhaust the server's memory).
 */
public final class HttpTransport {
    /** Error messages and ids sit at the start of an answer; the rest is dropped as it arrives. */
    public static final int MAX_BODY = 1 << 20;

    private final HttpClient client;
    private final Duration requestTimeout;

    public HttpTransport(HttpClient client, Duration requestTimeout) {
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    public Exchange send(PreparedRequest request) throws InterruptedException {
        HttpRequest built;
        try {
            built = request.toHttpRequest(requestTimeout);
        } catch (IllegalArgumentException e) {
            return new Exchange.Unsendable("the request cannot be made: " + describe(e));
        }
        CompletableFuture<HttpResponse<String>> future;
        try {
            future = client.sendAsync(built, info -> limited(MAX_BODY));
        } catch (IllegalArgumentException e) {
            return new Exchange.Unsendable("the request cannot be made: " + describe(e));
        }
        try {
            // The client's own timeout ends the wait for headers; this one bounds the body too.
            HttpResponse<String> response = future.get(requestTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return new Exchange.Answered(response.statusCode(), response.headers(), response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Exchange.Lost("the answer did not arrive whole within " + requestTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (CancellationException e) {
            return new Exchange.Lost("the exchange was cancelled");
        } catch (ExecutionException e) {
            return failure(request, e.getCause() == null ? e : e.getCause());
        }
    }

    private Exchange failure(PreparedRequest request, Throwable e) {
        if (e instanceof HttpConnectTimeoutException) return new Exchange.NotSent("connect timeout to " + request.uri().getHost());
        if (e instanceof HttpTimeoutException) return new Exchange.Lost("no answer within " + requestTimeout.toMillis() + " ms");
        if (refused(e)) return new Exchange.NotSent("connection refused by " + request.uri().getHost() + ":" + port(request));
        if (e instanceof IllegalArgumentException) return new Exchange.Unsendable("the request cannot be made: " + describe(e));
        return new Exchange.Lost("connection lost: " + describe(e));
    }

    /** The body as text, keeping at most {@code max} bytes and discarding the rest as it arrives. */
    private static HttpResponse.BodySubscriber<String> limited(int max) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        return HttpResponse.BodySubscribers.mapping(
                HttpResponse.BodySubscribers.ofByteArrayConsumer(chunk -> chunk.ifPresent(bytes -> {
                    int room = max - kept.size();
                    if (room > 0) kept.write(bytes, 0, Math.min(room, bytes.length));
                })),
                done -> kept.toString(StandardCharsets.UTF_8));
    }

    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof HttpConnectTimeoutException)) return true;
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return true;
        }
        return false;
    }

    private static int port(PreparedRequest request) {
        int port = request.uri().getPort();
        return port >= 0 ? port : "https".equals(request.uri().getScheme()) ? 443 : 80;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
