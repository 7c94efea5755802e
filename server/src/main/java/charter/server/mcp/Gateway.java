package charter.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the MCP tools reach Charter: a REST call made with the caller's own token, answered with the
 * response's JSON or refused with an {@link ApiFailure}. {@link RestGateway} makes it over HTTP; the
 * server's own MCP endpoint answers its hottest call (deciding an intent) in process, with the same
 * checks and the same records.
 */
public interface Gateway {
    JsonNode get(Caller caller, String path);

    JsonNode post(Caller caller, String path, JsonNode body);
}
