package charter.server;

import io.javalin.http.Handler;

/**
 * Wraps a handler so it runs only for a bearer token with the scope, and with the token's own
 * tenant ({@code CharterServer::authed}). Every {@code /v1} route of the API classes goes through it,
 * so none takes a tenant from the request.
 */
@FunctionalInterface
interface Auth {
    Handler authed(TokenStore.Scope scope, CharterServer.TenantHandler handler);
}
