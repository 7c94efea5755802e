package charter.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code charter mcp}: one MCP client on stdin/stdout, in front of a Charter server's REST API (a
 * remote one, or one the command runs on loopback for a local Program). The tools are the live
 * Program's intents, re-read every {@code poll}: when the Program changed, the client is told.
 * Nothing but JSON-RPC is written to {@code out}.
 */
public final class McpStdio {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(McpStdio.class);

    private McpStdio() {}

    /** The live Program's version and intents, as {@code GET /v1/program/intents} says them. */
    record Intents(String version, List<IntentSpec> intents) {
        static Intents read(Gateway api, Caller caller) {
            JsonNode n = api.get(caller, "/v1/program/intents");
            List<IntentSpec> list = new ArrayList<>();
            for (JsonNode i : n.path("intents")) list.add(IntentSpec.fromJson(i));
            return new Intents(n.path("version").asText(), list);
        }
    }

    /**
     * Serves until {@code in} ends (the client closed it). The first read of the Program's intents
     * fails here, before any JSON-RPC, with the API's own message (a wrong token, an unreachable server).
     */
    public static void serve(Gateway api, Caller caller, Duration poll, InputStream in, OutputStream out) throws InterruptedException {
        Intents first = Intents.read(api, caller);
        CountDownLatch ended = new CountDownLatch(1);
        InputStream watched = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) ended.countDown();
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n < 0) ended.countDown();
                return n;
            }
        };
        var transport = new StdioServerTransportProvider(McpJsonDefaults.getMapper(), watched, out);
        java.util.Set<String> operations = CharterMcp.operations(api.get(caller, "/v1/openapi.json"));
        CharterMcp mcp = CharterMcp.start(McpServer.sync(transport), api, exchange -> caller, first.version(), first.intents(), operations);
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("charter-mcp-poll").unstarted(r));
        poller.scheduleWithFixedDelay(() -> {
            try {
                Intents now = Intents.read(api, caller);
                if (!now.version().equals(mcp.version())) mcp.programChanged(now.version(), now.intents());
            } catch (RuntimeException e) {
                LOG.warn("reading the live Program's intents failed; the tools stay as they were: {}", e.getMessage());
            }
        }, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ended.await();
        } finally {
            poller.shutdownNow();
            mcp.close();
        }
    }
}
