package charter.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/** The REST API refused a call: its status, its error code and message, and the whole error body. */
public final class ApiFailure extends RuntimeException {
    private final int status;
    private final String code;
    private final transient JsonNode body;

    public ApiFailure(int status, String code, String message, JsonNode body) {
        super(message);
        this.status = status;
        this.code = code;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The error body as the API sent it (null when it sent none that parses). */
    public JsonNode body() {
        return body;
    }
}
