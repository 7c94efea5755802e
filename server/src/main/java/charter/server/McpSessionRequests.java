package charter.server;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.transport.HttpServletRequestUtils;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * A request of an established MCP session ({@code tools/call} above all) answered with one
 * {@code application/json} body, which Streamable HTTP allows in place of an SSE stream, by the
 * SDK's own session: the same handlers, tools and argument checks, only written out differently.
 *
 * <p>The SDK's transport answers every request with an SSE stream: it starts an asynchronous
 * request, writes the answer as an event in one chunk, flushes it, and ends the stream in another
 * (two writes and a wake-up of the client each), after reading the body line by line and parsing
 * it a second time. Charter's tools answer at once and never ask the client anything back, so
 * here the answer is collected and written once, with its length. A tool that did send a
 * notification before its answer gets both, as SSE events in one body; one that asked the client
 * something back (sampling, elicitation) could not be answered this way and is told so.
 *
 * <p>The session is the SDK's, looked up in the SDK transport's own table and marked in use as the
 * SDK's transport marks it (else the SDK would sweep it away as idle). Both are private there, so
 * they are found once, when the endpoint starts; an SDK whose transport lacks them stops the server
 * at start with a message saying so (and with it every test that starts one). Everything
 * else (initialize, notifications, responses, GET streams, DELETE, a session the SDK does not
 * know, a request without the Accept or Content-Type the transport asks for) goes to the SDK's
 * transport as before, which answers it as it always did.
 */
final class McpSessionRequests {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(McpSessionRequests.class);
    static final String APPLICATION_JSON = "application/json";
    static final String TEXT_EVENT_STREAM = "text/event-stream";

    private final HttpServletStreamableServerTransportProvider transport;
    /** The SDK transport's sessions by id. */
    private final Map<String, McpStreamableServerSession> sessions;
    /** The SDK transport's {@code markSessionActive(String)}: keeps an active session from its idle sweep. */
    private final MethodHandle markActive;
    private final McpJsonMapper json;

    @SuppressWarnings("unchecked")
    McpSessionRequests(HttpServletStreamableServerTransportProvider transport, McpJsonMapper json) {
        this.transport = transport;
        this.json = json;
        try {
            var lookup = MethodHandles.privateLookupIn(HttpServletStreamableServerTransportProvider.class, MethodHandles.lookup());
            this.sessions = (Map<String, McpStreamableServerSession>) lookup
                    .findGetter(HttpServletStreamableServerTransportProvider.class, "sessions", java.util.concurrent.ConcurrentHashMap.class)
                    .invoke(transport);
            this.markActive = lookup.findVirtual(HttpServletStreamableServerTransportProvider.class, "markSessionActive",
                    MethodType.methodType(void.class, String.class));
        } catch (Throwable e) {
            throw new IllegalStateException("this MCP SDK's Streamable HTTP transport has no session table or markSessionActive;"
                    + " McpSessionRequests is written for io.modelcontextprotocol.sdk 2.2.0", e);
        }
    }

    /**
     * Answers the message if it is a request of a session the SDK knows, and says whether it did;
     * when it did not, nothing was written and the SDK's transport is to answer it.
     */
    boolean answer(HttpServletRequest req, HttpServletResponse res, Map<?, ?> message, McpTransportContext context) throws IOException {
        if (!(message.get("method") instanceof String method) || !message.containsKey("id") || method.equals(McpSchema.METHOD_INITIALIZE)) {
            return false;
        }
        String accept = req.getHeader("Accept");
        if (accept == null || !accept.contains(TEXT_EVENT_STREAM) || !accept.contains(APPLICATION_JSON)
                || !HttpServletRequestUtils.isJsonContentType(req.getContentType())) {
            return false;
        }
        String sessionId = req.getHeader("Mcp-Session-Id");
        McpStreamableServerSession session = sessionId == null ? null : sessions.get(sessionId);
        if (session == null) return false;
        McpSchema.JSONRPCRequest request;
        try {
            request = json.convertValue(message, McpSchema.JSONRPCRequest.class);
        } catch (IllegalArgumentException e) {
            return false;   // the SDK's transport words its own refusal
        }
        try {
            markActive.invoke(transport, sessionId);
        } catch (Throwable e) {
            throw new IllegalStateException("marking an MCP session active failed", e);
        }
        Reply reply = new Reply();
        try {
            session.responseStream(request, reply).contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context)).block();
        } catch (RuntimeException e) {
            // The SDK turns a handler's failure into an error answer itself; what escapes is a failure before the handler ran.
            reply.sent.clear();
            reply.sent.add(McpSchema.JSONRPCResponse.error(request.id(), failure(sessionId, method, e)));
        }
        reply.writeTo(res);
        return true;
    }

    /**
     * The error answer for a request the SDK could not hand to its handler. The SDK converts a
     * request's params before its handler runs, and params of the wrong shape (an array for
     * {@code arguments}, no params where some are needed) throw there: the client's mistake.
     */
    private static McpSchema.JSONRPCResponse.JSONRPCError failure(String sessionId, String method, RuntimeException e) {
        if (e instanceof io.modelcontextprotocol.spec.McpError m && m.getJsonRpcError() != null) return m.getJsonRpcError();
        LOG.info("MCP session {}: the params of {} could not be taken: {}", sessionId, method, e.toString());
        String why = e instanceof IllegalArgumentException ? ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("") : "";
        return new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                "the params of " + method + " are missing or not of its shape" + why, null);
    }

    /** Collects what the session sends for one request, then writes it as one body. */
    private final class Reply implements McpStreamableServerTransport {
        private final List<McpSchema.JSONRPCMessage> sent = java.util.Collections.synchronizedList(new ArrayList<>(1));

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            if (message instanceof McpSchema.JSONRPCRequest r) {
                return Mono.error(new IllegalStateException("a request to the client (" + r.method() + ") cannot be sent on an answer"
                        + " written in one piece; Charter's tools never ask the client back"));
            }
            sent.add(message);
            return Mono.empty();
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public void close() {
        }

        void writeTo(HttpServletResponse res) throws IOException {
            List<McpSchema.JSONRPCMessage> messages;
            synchronized (sent) {
                messages = List.copyOf(sent);
            }
            if (messages.isEmpty()) {   // the session sent nothing, as the SDK's transport would end its stream empty
                res.setStatus(202);
                return;
            }
            Body body = body(messages, json);
            res.setContentType(body.contentType());
            if (body.contentType().equals(TEXT_EVENT_STREAM)) res.setHeader("Cache-Control", "no-cache");
            res.setCharacterEncoding(StandardCharsets.UTF_8.name());
            res.setStatus(200);
            res.setContentLength(body.bytes().length);
            res.getOutputStream().write(body.bytes());
        }
    }

    record Body(String contentType, byte[] bytes) {}

    /** The answer alone as JSON; the answer after notifications as SSE events, in the order sent. */
    static Body body(List<McpSchema.JSONRPCMessage> messages, McpJsonMapper json) throws IOException {
        if (messages.size() == 1) return new Body(APPLICATION_JSON, json.writeValueAsBytes(messages.getFirst()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (McpSchema.JSONRPCMessage m : messages) {
            out.write("event: message\ndata: ".getBytes(StandardCharsets.UTF_8));
            out.write(json.writeValueAsBytes(m));
            out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        }
        return new Body(TEXT_EVENT_STREAM, out.toByteArray());
    }
}
