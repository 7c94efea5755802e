package charter.server.act;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tool on loopback that creates things: {@code POST /things} with an {@code Idempotency-Key}
 * header creates one (or, when it deduplicates, answers the one that key created), {@code GET
 * /things?key=} finds one by its key (the marker a tool without deduplication lets a connector look
 * for). Faults are scripted, one per request, in order: a 429 with Retry-After, a 500, an answer
 * late enough to time out (after applying), or a connection reset after applying.
 */
public final class FakeTool implements AutoCloseable {
    public enum Fault { NONE, TOO_MANY, ERROR_500, SLOW_AFTER_APPLYING, RESET_AFTER_APPLYING, DOWN }

    private final HttpServer server;
    private final boolean deduplicates;
    private final Deque<Fault> script = new ArrayDeque<>();
    /** How many times each key's thing was created (applied), by key. */
    final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    public final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger lookups = new AtomicInteger();
    /** Requests being answered now, and the most there ever were at once. */
    private final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    volatile long delayMillis;
    /** How long a {@link Fault#SLOW_AFTER_APPLYING} answer takes. */
    volatile long slowMillis = 3_000;

    public FakeTool(boolean deduplicates) throws IOException {
        this.deduplicates = deduplicates;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/things", this::handle);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next requests meet these faults, one each, in order; then none. */
    public synchronized void script(Fault... faults) {
        for (Fault f : faults) script.add(f);
    }

    private synchronized Fault next() {
        Fault f = script.poll();
        return f == null ? Fault.NONE : f;
    }

    public int appliedCount(String key) {
        AtomicInteger n = applied.get(key);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            x.getRequestBody().readAllBytes();
            if (x.getRequestMethod().equals("GET")) {
                lookups.incrementAndGet();
                String key = x.getRequestURI().getQuery() == null ? "" : x.getRequestURI().getQuery().replaceFirst("^key=", "");
                if (appliedCount(key) > 0) answer(x, 200, "{\"id\":\"thing-" + key + "\",\"url\":\"http://tool/things/" + key + "\"}");
                else answer(x, 404, "{\"error\":\"not found\"}");
                return;
            }
            requests.incrementAndGet();
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                apply(x);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private void apply(HttpExchange x) throws IOException {
        String key = x.getRequestHeaders().getFirst("Idempotency-Key");
        Fault fault = next();
        if (delayMillis > 0) sleep(delayMillis);
        switch (fault) {
            case DOWN -> {
                return;   // closed without an answer, nothing applied
            }
            case TOO_MANY -> {
                x.getResponseHeaders().add("Retry-After", "1");
                answer(x, 429, "{\"error\":\"slow down\"}");
                return;
            }
            case ERROR_500 -> {
                answer(x, 500, "{\"error\":\"oops\"}");
                return;
            }
            default -> { }
        }
        boolean seen = appliedCount(key) > 0;
        if (!(deduplicates && seen)) applied.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (fault == Fault.SLOW_AFTER_APPLYING) {
            sleep(slowMillis);   // past the connector's timeout
        } else if (fault == Fault.RESET_AFTER_APPLYING) {
            return;   // applied, and the connection closes without an answer
        }
        answer(x, deduplicates && seen ? 200 : 201, "{\"id\":\"thing-" + key + "\",\"url\":\"http://tool/things/" + key + "\"}");
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
