package charter.server.mcp;

/**
 * Who calls a tool: the bearer token the REST API is asked with (its scopes decide what the call may
 * do) and the actor an intent is sent by (the token's name over HTTP, {@code --actor} over stdio).
 */
public record Caller(String token, String actor) {}
