package charter.server;

import static charter.server.CharterServer.reply;

import charter.engine.json.SearchJson;
import charter.engine.search.BadSearchQuery;
import charter.engine.search.SearchQuery;
import charter.engine.search.SearchService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/search}: full-text search over the token's tenant's events, with citations. The
 * parameters become a {@link SearchQuery} for the shared {@link SearchService}; a bad one is a 400
 * with what is wrong, never a 500.
 */
final class SearchApi {
    private final SearchService service;

    SearchApi(SearchService service) {
        this.service = service;
    }

    void routes(RoutesConfig r, Auth auth) {
        r.get("/v1/search", auth.authed(TokenStore.Scope.READ, this::search));
    }

    /** {@code ?q=&source=&type=&since=&until=&entity=type:key&expand=true&limit=}; source and type repeat or take commas. */
    private void search(Context ctx, Tenant t) {
        SearchQuery q = new SearchQuery(ctx.queryParam("q"), list(ctx.queryParams("source")), list(ctx.queryParams("type")),
                instant(ctx, "since"), instant(ctx, "until"), ctx.queryParam("entity"), bool(ctx, "expand"), limit(ctx));
        try {
            reply(ctx, 200, SearchJson.of(service.search(t.name, q)));
        } catch (BadSearchQuery e) {
            throw new CharterServer.ApiError(400, e.code(), e.getMessage());
        }
    }

    private static Set<String> list(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) for (String part : v.split(",")) if (!part.isBlank()) out.add(part.strip());
        return out;
    }

    private static Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        try {
            return Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw new CharterServer.ApiError(400, "bad_parameter", "`" + name + "` is not an ISO-8601 instant such as 2026-03-06T16:00:00Z");
        }
    }

    private static boolean bool(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank() || v.equals("false")) return false;
        if (v.equals("true")) return true;
        throw new CharterServer.ApiError(400, "bad_parameter", "`" + name + "` is true or false, got `" + v + "`");
    }

    private static int limit(Context ctx) {
        String v = ctx.queryParam("limit");
        if (v == null || v.isBlank()) return SearchQuery.DEFAULT_LIMIT;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new CharterServer.ApiError(400, "bad_parameter", "`limit` is a number from 1 to " + SearchQuery.MAX_LIMIT + ", got `" + v + "`");
        }
    }
}
