package charter.server;

import charter.server.mcp.Caller;
import charter.server.mcp.CharterMcp;
import charter.server.mcp.DirectRequestJsonMapper;
import charter.server.mcp.IntentSpec;
import charter.server.mcp.Gateway;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /mcp} on {@code charter serve}: MCP over Streamable HTTP. Every request carries a bearer
 * token of the REST API; the token names the tenant, and each tenant has an MCP server of its own
 * (its own tools, made from its own Program, and its own sessions: a session id of another tenant
 * is unknown here). A tool call is one REST call made with the same token, so the token's scopes
 * decide what it may do. A browser page of a foreign origin is refused (DNS rebinding).
 */
final class McpHttpEndpoint extends HttpServlet {
    static final String PATH = "/mcp";
    private static final String CALLER = "charter.mcp.caller";

    private final TokenStore tokens;
    private final long maxBodyBytes;
    /** The SDK's mapper, with a tool call's request records built without a round trip through Jackson. */
    private final McpJsonMapper jsonMapper = new DirectRequestJsonMapper(McpJsonDefaults.getMapper());
    /** The server listens on loopback alone: then a request must name a loopback host (Host header) too. */
    private final boolean loopbackOnly;
    /** The last Host header that passed the loopback check (a value that passed once always passes). */
    private volatile String lastLoopbackHost;
    private final Map<String, Served> byTenant = new LinkedHashMap<>();

    /** One tenant's MCP server and the transport its sessions live in. */
    private record Served(HttpServletStreamableServerTransportProvider transport, McpSessionRequests requests, CharterMcp mcp) {}

    /** @param api how the tools reach the server (its own REST API, the intent decisions in process) */
    McpHttpEndpoint(TokenStore tokens, Map<String, Tenant> tenants, Gateway api, long maxBodyBytes, String listenHost) {
        this.tokens = tokens;
        this.loopbackOnly = loopbackUrl("http://" + HttpExposure.hostForUrl(listenHost)) && !java.util.Set.of("0.0.0.0", "::", "[::]").contains(listenHost);
        this.maxBodyBytes = maxBodyBytes;
        java.util.Set<String> operations;
        try (var in = CharterServer.class.getResourceAsStream("/charter/server/openapi.json")) {
            operations = CharterMcp.operations(CharterServer.JSON.readTree(in));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the server's OpenAPI document cannot be read", e);
        }
        for (Tenant t : tenants.values()) {
            var transport = HttpServletStreamableServerTransportProvider.builder()
                    .jsonMapper(jsonMapper)
                    .mcpEndpoint(PATH)
                    .maxRequestSize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
                    // An open notification stream outlives the server's idle timeout (30 s) only if something is sent on it.
                    .keepAliveInterval(Duration.ofSeconds(15))
                    .contextExtractor(req -> context(req.getAttribute(CALLER)))
                    .build();
            // A tool call runs on the server worker that read it, which waits for its answer anyway, rather than
            // being handed to the SDK's pool and back (a thread switch each way per decision).
            CharterMcp mcp = CharterMcp.start(McpServer.sync(transport).jsonMapper(jsonMapper).immediateExecution(true), api,
                    exchange -> (Caller) exchange.transportContext().get(CALLER), t.program().version(), IntentSpec.of(t.program()), operations);
            t.onProgramSwap(p -> mcp.programChanged(p.version(), IntentSpec.of(p)));
            byTenant.put(t.name, new Served(transport, new McpSessionRequests(transport, jsonMapper), mcp));
        }
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        for (Served s : byTenant.values()) s.transport().init(config);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        String origin = req.getHeader("Origin");
        if (origin != null && !loopbackUrl(origin)) {
            refuse(res, 403, -32600, "origin_refused", "requests from the web origin " + origin + " are refused: /mcp takes requests from "
                    + "programs and from pages on localhost only");
            return;
        }
        String host = req.getHeader("Host");
        if (loopbackOnly && (host == null || !host.equals(lastLoopbackHost) && !loopbackUrl("http://" + host))) {
            refuse(res, 403, -32600, "host_refused", "this server listens on loopback only, and the request names the host " + host
                    + ": a page whose name resolves to this machine cannot reach /mcp (DNS rebinding)");
            return;
        }
        String auth = req.getHeader("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            res.setHeader("WWW-Authenticate", "Bearer");
            refuse(res, 401, -32001, "token_missing", "send an API token: Authorization: Bearer <token> (charter token create)");
            return;
        }
        String token = auth.substring(7).trim();
        TokenStore.Principal p = tokens.authenticate(token).orElse(null);
        if (p == null) {
            res.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            refuse(res, 401, -32001, "token_invalid", "the API token is not known to this server");
            return;
        }
        if (p.expiredAt(Instant.now())) {
            res.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            refuse(res, 401, -32001, "token_expired", "the API token expired at " + p.expires() + "; create another (charter token create)");
            return;
        }
        Served served = byTenant.get(p.tenant());
        if (served == null) {
            refuse(res, 403, -32001, "tenant_not_served", "the token's tenant is not served by this server");
            return;
        }
        if (!p.may(TokenStore.Scope.READ) && !p.may(TokenStore.Scope.INTENTS)) {
            refuse(res, 403, -32001, "scope_missing", "the token lacks the `read` or `intents` scope that MCP needs");
            return;
        }
        if (loopbackOnly) lastLoopbackHost = host;   // clients send the same Host every time: parse it once
        Caller caller = new Caller(token, p.name());
        req.setAttribute(CALLER, caller);
        if (req.getMethod().equals("POST")) {
            // With a Content-Length (which the server holds the body to) one buffer of that size; else up to one byte over the limit.
            long declared = req.getContentLengthLong();
            byte[] body = req.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, declared >= 0 && declared <= maxBodyBytes ? declared : maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                refuse(res, 413, -32600, "too_large", "the message is over the limit of " + maxBodyBytes + " bytes (limits.max_body_bytes)");
                return;
            }
            Object message = null;
            String problem;
            try {
                if (blank(body)) {
                    problem = "not JSON: the body is empty; send one JSON-RPC message";
                } else {
                    message = jsonMapper.readValue(body, Object.class);
                    problem = notJsonRpc(message);
                }
            } catch (IOException e) {
                problem = "not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
            }
            if (problem != null) {
                refuse(res, 400, problem.startsWith("not JSON") ? -32700 : -32600, "malformed_message", problem);
                return;
            }
            if (served.requests().answer(req, res, (Map<?, ?>) message, context(caller))) return;
            req = new ReadBody(req, body);
        }
        served.transport().service(req, res);
    }

    /**
     * Why a POST body is not one JSON-RPC message, or null when it is one. Checked here because the
     * SDK's transport answers such a body with its exception serialised, stack trace and all.
     *
     * @param message the body as read by the SDK's JSON mapper (maps, lists, strings, numbers, null)
     */
    static String notJsonRpc(Object message) {
        if (!(message instanceof Map<?, ?> m)) return "not a JSON-RPC message: send one JSON object (batches are not part of this protocol version)";
        if (!"2.0".equals(m.get("jsonrpc"))) return "not a JSON-RPC message: `jsonrpc` must be \"2.0\"";
        boolean request = m.get("method") instanceof String;
        boolean response = m.containsKey("result") || m.containsKey("error");
        if (!request && !response) return "not a JSON-RPC message: it has no `method` (a request or notification) nor `result` or `error` (a response)";
        if (m.containsKey("id") && !(m.get("id") instanceof String || m.get("id") instanceof Integer || m.get("id") instanceof Long)) {
            return "not a JSON-RPC message: `id` must be a string or an integer";
        }
        if (m.get("params") != null && !(m.get("params") instanceof Map)) return "`params` must be an object";
        return null;
    }

    /** What a tool learns of its caller, on either way a request is answered. */
    private static McpTransportContext context(Object caller) {
        return McpTransportContext.create(Map.of(CALLER, caller));
    }

    private static boolean blank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') return false;
        }
        return true;
    }

    /** The request with its body already read, handed on as if unread. */
    private static final class ReadBody extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest req, byte[] body) {
            super(req);
            this.body = body;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body);
            return new jakarta.servlet.ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(jakarta.servlet.ReadListener listener) {
                    throw new UnsupportedOperationException("the body was read already");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        /** Over the decoded body, with a buffer its size: a reader on the stream took 24 KB of buffers per message. */
        @Override
        public java.io.BufferedReader getReader() {
            String text = new String(body, StandardCharsets.UTF_8);
            return new java.io.BufferedReader(new java.io.StringReader(text), Math.max(1, text.length()));
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }
    }

    /**
     * Whether a URL (an Origin, or http:// and a Host header) names this machine: localhost,
     * 127.0.0.0/8 or [::1]. A page of any other origin could be a site the user visits reaching a
     * server that listens on their machine, also through a name that resolves to 127.0.0.1.
     */
    static boolean loopbackUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        String h = uri.getHost();
        if (h == null) return false;
        h = h.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") && h.chars().allMatch(c -> c == '.' || Character.isDigit(c))
                || h.equals("[::1]") || h.equals("::1");
    }

    /** A JSON-RPC error (id null: the request was not read), with the REST API's error code beside it. */
    private static void refuse(HttpServletResponse res, int status, int rpcCode, String code, String message) throws IOException {
        ObjectNode body = CharterServer.JSON.createObjectNode();
        body.put("jsonrpc", "2.0");
        body.putNull("id");
        ObjectNode error = body.putObject("error");
        error.put("code", rpcCode);
        error.put("message", message);
        error.putObject("data").put("code", code).put("status", status);
        byte[] bytes = CharterServer.JSON.writeValueAsBytes(body);
        res.setStatus(status);
        res.setContentType("application/json");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
    }

    /** For tests: the MCP server of a tenant. */
    CharterMcp mcp(String tenant) {
        return byTenant.get(tenant).mcp();
    }

    @Override
    public void destroy() {
        close();
    }

    void close() {
        for (Served s : byTenant.values()) {
            try {
                s.mcp().close();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(McpHttpEndpoint.class).warn("closing an MCP server failed: {}", e.getMessage());
            }
        }
    }
}
