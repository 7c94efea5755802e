package charter.connect.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A stand-in for one tool's API, on real HTTP on loopback (an ephemeral port unless one is given). It records
 * every request, answers in the tool's shapes (subclasses), and can be told to misbehave: the next requests get
 * the queued {@link Fault}s in order, and {@link #down} refuses connections for a while.
 */
public abstract class FakeTool implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Consumer<Received>> listeners = new CopyOnWriteArrayList<>();
    private volatile Duration latency = Duration.ZERO;
    private HttpServer server;
    private int port;

    protected FakeTool(int port) {
        this.port = port;
        start();
    }

    /** Applies one request to the fake's state and answers it as the tool would. */
    protected abstract Reply handle(Received request);

    /** Where the tool's API root is: its base URL, as the vendor documents it (Slack's /api, Sentry's /api/0). */
    public final synchronized URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port + apiRoot());
    }

    /** Scheme, host and port, without the API root: what a received path is relative to. */
    public final synchronized URI origin() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The path of the API root under the host, empty for most tools. */
    protected String apiRoot() {
        return "";
    }

    public final List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests received with this method and path (the path matched exactly or as a regular expression). */
    public final List<Received> received(String method, String pathPattern) {
        return received.stream().filter(r -> r.method().equals(method) && (r.path().equals(pathPattern) || r.path().matches(pathPattern))).toList();
    }

    public final void clearReceived() {
        received.clear();
    }

    /** Calls {@code listener} for every request, as it arrives. */
    public final void onRequest(Consumer<Received> listener) {
        listeners.add(listener);
    }

    /** Queues faults for the next requests, one request each. */
    public final void fail(Fault... next) {
        synchronized (faults) {
            faults.addAll(List.of(next));
        }
    }

    /** Every answer waits this long first (a tool that answers in 50 ms, say). */
    public final void latency(Duration latency) {
        this.latency = latency;
    }

    /** Stops listening (connections are refused) for {@code duration}, then listens again on the same port. */
    public final void down(Duration duration) {
        stop();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(duration);
                start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public final synchronized void stop() {
        if (server != null) server.stop(0);
        server = null;
    }

    public final synchronized void start() {
        if (server != null) return;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
        port = server.getAddress().getPort();
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            URI uri = exchange.getRequestURI();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received request = new Received(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery() == null ? "" : uri.getRawQuery(), headers, body);
            received.add(request);
            listeners.forEach(l -> l.accept(request));
            Fault fault;
            synchronized (faults) {
                fault = faults.poll();
            }
            if (fault instanceof Fault.Status s) {
                answer(exchange, new Reply(s.status(), s.headers(), s.body()));
                return;
            }
            Reply reply;
            synchronized (this) {
                reply = handle(request);
            }
            switch (fault) {
                case null -> {}
                case Fault.Delay d -> sleep(d.delay());
                // Closing the exchange before any response headers drops the connection unanswered.
                case Fault.ResetAfterApply r -> { return; }
                case Fault.Status s -> throw new IllegalStateException("handled above");
            }
            if (!latency.isZero()) sleep(latency);
            answer(exchange, reply);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, Reply reply) throws IOException {
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    // ---- helpers for subclasses ----

    protected static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    protected static ObjectNode object() {
        return JSON.createObjectNode();
    }

    protected static ArrayNode array() {
        return JSON.createArrayNode();
    }

    protected static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static List<String> groups(java.util.regex.Matcher m) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) out.add(java.net.URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
        return out;
    }
}
