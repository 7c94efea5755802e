package charter.bench;

import charter.bench.serve.HttpConnection;
import charter.bench.serve.LoadGenerator;
import charter.server.CharterServer;
import charter.server.ServerConfig;
import charter.server.TokenStore;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bench/run mcp [CLIENTS] [REQUESTS_PER_CLIENT] [WARM_UP_PER_CLIENT]}: the same intent decided (and recorded)
 * through MCP over Streamable HTTP at /mcp and through {@code POST /v1/intents}, by CLIENTS
 * concurrent clients on loopback against a server in this process on the acme Program; prints
 * p50, p99, max and mean of each, side by side. Target: MCP p99 at most 10 ms at 8 clients.
 * Then, beside those closed loops (every client always waiting: their latency is the queue for the
 * cores), MCP calls from CLIENTS sessions on a schedule, {@value #OPEN_LOOP_PER_SESSION} a second each.
 */
public final class McpBenchmark {
    /** Calls each measured client makes before it is timed: its connection's and session's first ones. */
    static final int FRESH_CONNECTION_WARM_UP = 20;
    /** Tool calls per second each session makes in the open loop: more than an agent that thinks between calls. */
    static final int OPEN_LOOP_PER_SESSION = 50;

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        // A server runs for days: what it answers then is measured, with every per-decision method compiled by the
        // optimising JIT, which takes it after some ten thousand calls. 500 calls per client to warm up measured
        // the interpreter and the first JIT tier too (8 x 500: MCP mean 8.0 ms; after 8 x 1,500: 3.5 ms).
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 2_500;
        Path tmp = Files.createTempDirectory("charter-mcp-bench-");
        Path tokens = tmp.resolve("tokens.jsonl");
        String token = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.ADMIN), "bench", null);
        var tenant = new ServerConfig.TenantConfig("acme", Path.of("program-examples/acme").toAbsolutePath(), null, null, null, Map.of());
        // Every client, its notification stream and the MCP tools' own REST calls come from 127.0.0.1: more than the default 32 connections per address.
        ServerConfig config = new ServerConfig(0, tmp.resolve("data").toString(), tokens, 1 << 20, Map.of("acme", tenant))
                .withHttp(new ServerConfig.HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), 512));
        try (CharterServer server = CharterServer.start(config)) {
            int port = server.port();
            System.out.printf("MCP vs REST: intent `triage` decided and recorded, %d clients x %d requests (after %d warm-up each), loopback, server in process%n",
                    clients, perClient, warmUp);
            // Every way is warmed up before any is measured, so that none is measured while the JIT compiles another's code.
            List<ClientFactory> ways = List.of(() -> restClient(port, token), () -> mcpClient(port, token), () -> sdkClient(port, token));
            for (ClientFactory way : ways) run(clients, warmUp, 0, way);
            long[] rest = run(clients, FRESH_CONNECTION_WARM_UP, perClient, ways.get(0));
            long[] mcp = run(clients, FRESH_CONNECTION_WARM_UP, perClient, ways.get(1));
            long[] sdk = run(clients, FRESH_CONNECTION_WARM_UP, perClient, ways.get(2));
            print("REST POST /v1/intents", rest, clients * perClient);
            print("MCP tools/call over /mcp", mcp, clients * perClient);
            print("MCP, the SDK's own client", sdk, clients * perClient);
            double p99 = percentile(mcp, 0.99) / 1e6;
            System.out.printf("target MCP p99 <= 10 ms at 8 clients: %s (%.2f ms)%n", p99 <= 10 ? "met" : "NOT met", p99);
            openLoop(port, token, clients, perClient, clients * OPEN_LOOP_PER_SESSION);
        }
        System.exit(0);   // the MCP SDK's session sweeper thread is not a daemon and outlives the server
    }

    interface Client extends AutoCloseable {
        void decide(int i) throws Exception;

        @Override
        default void close() {}
    }

    /** An MCP client, with the session its initialize was given. */
    interface McpSession extends Client {
        String session();
    }

    interface ClientFactory {
        Client open() throws Exception;
    }

    /** POST /v1/intents over one keep-alive connection of the lean client {@code bench/run serve} uses. */
    static Client restClient(int port, String token) {
        HttpConnection conn = new HttpConnection(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
        Map<String, String> headers = Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
        return new Client() {
            @Override
            public void decide(int i) throws Exception {
                byte[] body = ("{\"intent\":\"triage\",\"actor\":\"bench\",\"params\":{\"issue_id\":\"S-" + i + "\",\"assignee\":\"bob\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                HttpConnection.Response r = conn.send("POST", "/v1/intents", headers, body);
                if (r.status() != 200 || !r.text().contains("\"allow\"")) throw new IllegalStateException("REST: " + r.status() + " " + r.text());
            }

            @Override
            public void close() {
                conn.close();
            }
        };
    }

    /**
     * MCP over Streamable HTTP, spoken by the lean client: initialize (which names the session),
     * notifications/initialized, then one tools/call per decision, each answered (JSON or one SSE
     * event) before the next. The same JSON-RPC messages the SDK's client sends, without its cost.
     */
    static Client mcpClient(int port, String token) throws Exception {
        HttpConnection conn = new HttpConnection(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
        Map<String, String> base = Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream");
        HttpConnection.Response init = conn.send("POST", "/mcp", base, ("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}")
                .getBytes(StandardCharsets.UTF_8));
        String session = init.headers().get("mcp-session-id");
        if (init.status() != 200 || session == null) throw new IllegalStateException("MCP initialize: " + init.status() + " " + init.text());
        Map<String, String> headers = new java.util.HashMap<>(base);
        headers.put("Mcp-Session-Id", session);
        headers.put("MCP-Protocol-Version", "2025-06-18");
        conn.send("POST", "/mcp", headers, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}".getBytes(StandardCharsets.UTF_8));
        return new McpSession() {
            @Override
            public String session() {
                return session;
            }

            @Override
            public void decide(int i) throws Exception {
                byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + (i + 1) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"triage\","
                        + "\"arguments\":{\"issue_id\":\"S-" + i + "\",\"assignee\":\"bob\"}}}").getBytes(StandardCharsets.UTF_8);
                HttpConnection.Response r = conn.send("POST", "/mcp", headers, body);
                String text = r.text();
                if (r.status() != 200 || !text.contains("\"verdict\":\"allow\"") || text.contains("\"isError\":true")) {
                    throw new IllegalStateException("MCP: " + r.status() + " " + text);
                }
            }

            @Override
            public void close() {
                conn.close();
            }
        };
    }

    /** The official SDK's client over its JDK-HttpClient transport, for reference: what an agent in Java would run. */
    static Client sdkClient(int port, String token) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port).endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build();
        McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        c.initialize();
        return new Client() {
            @Override
            public void decide(int i) {
                var r = c.callTool(new McpSchema.CallToolRequest("triage", Map.of("issue_id", "S-" + i, "assignee", "bob")));
                if (Boolean.TRUE.equals(r.isError()) || !"allow".equals(((Map<?, ?>) r.structuredContent()).get("verdict"))) {
                    throw new IllegalStateException("MCP: " + r);
                }
            }

            @Override
            public void close() {
                c.closeGracefully();
            }
        };
    }

    /** Each client warms up, then times its requests one after another; every latency, in nanoseconds. */
    static long[] run(int clients, int warmUp, int perClient, ClientFactory factory) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int base = c * 1_000_000;
                futures.add(pool.submit((Callable<long[]>) () -> {
                    try (Client client = factory.open()) {
                        for (int i = 0; i < warmUp; i++) client.decide(base + i);
                        long[] times = new long[perClient];
                        for (int i = 0; i < perClient; i++) {
                            long t0 = System.nanoTime();
                            client.decide(base + warmUp + i);
                            times[i] = System.nanoTime() - t0;
                        }
                        return times;
                    }
                }));
            }
            long[] all = new long[0];
            for (Future<long[]> f : futures) {
                long[] t = f.get();
                long[] merged = Arrays.copyOf(all, all.length + t.length);
                System.arraycopy(t, 0, merged, all.length, t.length);
                all = merged;
            }
            Arrays.sort(all);
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The closed loops above measure the most the server decides with CLIENTS requests always
     * waiting (their latency is the queue for the two cores). Agents call a tool and then think:
     * here the same CLIENTS sessions send MCP tool calls on a schedule, at {@code rate} per second
     * in all ({@value #OPEN_LOOP_PER_SESSION} per session), and each latency counts from when the call
     * was due, so a call that had to wait for the one before it carries the wait.
     */
    static void openLoop(int port, String token, int clients, int perClient, double rate) throws Exception {
        List<String> sessions = new ArrayList<>();
        List<Client> opened = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Client client = mcpClient(port, token);
            opened.add(client);
            sessions.add(((McpSession) client).session());
        }
        LoadGenerator generator = new LoadGenerator(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null, Duration.ofSeconds(30));
        int count = clients * perClient;
        java.util.function.IntFunction<LoadGenerator.Request> calls = i -> {
            Map<String, String> headers = Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json",
                    "Accept", "application/json, text/event-stream", "Mcp-Session-Id", sessions.get(i % clients), "MCP-Protocol-Version", "2025-06-18");
            byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + (i + 1) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"triage\","
                    + "\"arguments\":{\"issue_id\":\"O-" + i + "\",\"assignee\":\"bob\"}}}").getBytes(StandardCharsets.UTF_8);
            return new LoadGenerator.Request("/mcp", headers, body, "O-" + i);
        };
        generator.openLoop("mcp-warm", clients, rate, count / 2, Duration.ofMinutes(2), i -> calls.apply(count + i), st -> st == 200, null);
        LoadGenerator.Classifier allowed = (status, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            return text.contains("\"verdict\":\"allow\"") && !text.contains("\"isError\":true") ? "allowed" : "other";
        };
        LoadGenerator.RunStats st = generator.openLoop("mcp", clients, rate, count, Duration.ofMinutes(2), calls, status -> status == 200, allowed).stats();
        for (Client c : opened) c.close();
        System.out.printf("  MCP tools/call, open loop  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d calls at %.0f/s from %d sessions, %d decided allow;"
                + " from when each was due)%n", st.latency().p50(), st.latency().p99(), st.latency().max(), count, rate, clients,
                st.notes().getOrDefault("allowed", 0L));
    }

    static long total(long[] nanos) {
        long t = 0;
        for (long n : nanos) t += n;
        return t;
    }

    static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static void print(String what, long[] sorted, int n) {
        long total = total(sorted);
        System.out.printf("  %-26s p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d decisions, mean %.2f ms)%n", what,
                percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6, n, total / 1e6 / n);
    }
}
