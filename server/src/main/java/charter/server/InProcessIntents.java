package charter.server;

import charter.server.mcp.ApiFailure;
import charter.server.mcp.Caller;
import charter.server.mcp.Gateway;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The gateway of this server's own MCP endpoint: {@code POST /v1/intents}, which an agent calls for
 * every decision, is answered in process by the very method behind the route (same token check,
 * same scope, same decision, recorded the same way), without a second HTTP request over loopback;
 * every other call goes through the REST API as it would from afar.
 */
final class InProcessIntents implements Gateway {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InProcessIntents.class);
    static final String INTENTS = "/v1/intents";

    private final CharterServer server;
    private final Gateway rest;

    InProcessIntents(CharterServer server, Gateway rest) {
        this.server = server;
        this.rest = rest;
    }

    @Override
    public JsonNode get(Caller caller, String path) {
        return rest.get(caller, path);
    }

    @Override
    public JsonNode post(Caller caller, String path, JsonNode body) {
        if (!path.equals(INTENTS)) return rest.post(caller, path, body);
        String[] tenant = {null};
        try {
            if (caller.token() == null) throw new CharterServer.ApiError(401, "token_missing", CharterServer.TOKEN_MISSING);
            Tenant t = server.authorize(caller.token(), TokenStore.Scope.INTENTS, name -> tenant[0] = name);
            CharterServer.IntentReply reply = server.intent(t, body.deepCopy());
            if (reply.status() != 200) {
                JsonNode error = reply.body().path("error");
                throw new ApiFailure(reply.status(), error.path("code").asText(), error.path("message").asText(), reply.body());
            }
            return reply.body();
        } catch (CharterServer.ApiError e) {
            throw new ApiFailure(e.status, e.code, e.getMessage(), CharterServer.errorNode(e.status, e.code, e.getMessage()));
        } catch (ApiFailure e) {
            throw e;
        } catch (Exception e) {
            LOG.error("tenant={} deciding an intent for MCP failed", tenant[0], e);
            throw new ApiFailure(500, "internal_error", "the server failed while deciding the intent; its log has the cause", null);
        }
    }
}
