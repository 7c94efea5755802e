package charter.server;

import static charter.server.CharterServer.JSON;
import static charter.server.CharterServer.MAX_PAGE;
import static charter.server.CharterServer.reply;

import charter.compiler.diag.Suggestions;
import charter.engine.ingest.Normalised;
import charter.engine.json.JsonValues;
import charter.engine.store.EventStore;
import charter.engine.store.EventStore.EntitySummary;
import charter.engine.store.EventStore.KeyMatch;
import charter.engine.store.TruthPolicy;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The entity graph of the token's tenant: entities listed and searched, the neighbourhood of one
 * entity (nodes and edges, bounded), and an entity's claims with the value the Program's
 * {@code truth} declarations make current. Every store call carries the tenant the token names.
 */
final class GraphApi {
    static final int DEFAULT_NODES = 100;
    static final int MAX_NODES = 500;
    static final int DEFAULT_CLAIMS = 100;

    private final EventStore store;

    GraphApi(EventStore store) {
        this.store = store;
    }

    void routes(RoutesConfig r, Auth auth) {
        r.get("/v1/entities", auth.authed(TokenStore.Scope.READ, this::list));
        // `<key>` takes slashes: repository keys are `owner/name`.
        r.get("/v1/entities/{type}/<key>/graph", auth.authed(TokenStore.Scope.READ, this::graph));
        r.get("/v1/entities/{type}/<key>/claims", auth.authed(TokenStore.Scope.READ, this::claims));
    }

    // ---------------------------------------------------------------- list and search

    /** {@code ?type=&key=&match=exact|prefix|contains&after=type:key&limit=}. */
    private void list(Context ctx, Tenant t) {
        int limit = CharterServer.pageLimit(ctx, 100, MAX_PAGE);
        String type = blankToNull(ctx.queryParam("type"));
        String key = blankToNull(ctx.queryParam("key"));
        String matchParam = ctx.queryParam("match");
        KeyMatch match = KeyMatch.CONTAINS;
        if (matchParam != null) {
            try {
                match = KeyMatch.valueOf(matchParam.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CharterServer.ApiError(400, "bad_parameter", "`match` must be exact, prefix or contains, got `" + matchParam + "`");
            }
            if (key == null) throw new CharterServer.ApiError(400, "bad_parameter", "`match` goes with `key`");
        }
        String afterType = null;
        String afterKey = null;
        String after = blankToNull(ctx.queryParam("after"));
        if (after != null) {
            // Types never hold a colon; keys may (a branch is `owner/repo:main`).
            int colon = after.indexOf(':');
            if (colon <= 0) throw new CharterServer.ApiError(400, "bad_parameter", "`after` is a cursor `type:key` (the `next` link of the previous page), got `" + after + "`");
            afterType = after.substring(0, colon);
            afterKey = after.substring(colon + 1);
        }
        List<EntitySummary> page = store.entities(t.name, new EventStore.EntityQuery(type, key, match, afterType, afterKey, limit));
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        ArrayNode list = n.putArray("entities");
        for (EntitySummary e : page) {
            ObjectNode o = summary(e);
            o.put("href", "/v1/entities/" + encode(e.type()) + "/" + encode(e.key()));
            list.add(o);
        }
        if (page.size() == limit) {
            EntitySummary last = page.getLast();
            n.put("next", "/v1/entities?after=" + encode(last.type() + ":" + last.key()) + "&limit=" + limit
                    + (type != null ? "&type=" + encode(type) : "") + (key != null ? "&key=" + encode(key) : "")
                    + (matchParam != null ? "&match=" + match.name().toLowerCase(Locale.ROOT) : ""));
        } else {
            n.putNull("next");
        }
        reply(ctx, 200, n);
    }

    // ---------------------------------------------------------------- neighbourhood

    private record NodeId(String type, String key) {
        String id() {
            return type + ":" + key;
        }
    }

    /**
     * {@code ?depth=1|2&limit=} (nodes, the entity included). Breadth first from the entity; an
     * edge is shown when both of its ends are; when the node cap stops the walk (or one entity has
     * more edges than the cap) the answer says {@code truncated}.
     */
    private void graph(Context ctx, Tenant t) {
        String type = ctx.pathParam("type");
        String key = ctx.pathParam("key");
        long depth = CharterServer.longParam(ctx, "depth", 1);
        if (depth < 1 || depth > 2) throw new CharterServer.ApiError(400, "bad_parameter", "`depth` must be 1 or 2, got " + depth);
        int cap = CharterServer.pageLimit(ctx, DEFAULT_NODES, MAX_NODES);
        EntitySummary root = summaryOf(t, new NodeId(type, key));

        Map<NodeId, Integer> depthOf = new LinkedHashMap<>();
        depthOf.put(new NodeId(type, key), 0);
        Set<EventStore.Edge> edges = new LinkedHashSet<>();
        List<String> truncated = new ArrayList<>();
        List<NodeId> frontier = List.of(new NodeId(type, key));
        for (int d = 1; d <= depth && !frontier.isEmpty(); d++) {
            List<NodeId> next = new ArrayList<>();
            for (NodeId node : frontier) {
                // One more than the cap tells "more edges than can be shown" from "exactly the cap".
                List<EventStore.Edge> around = store.relations(t.name, node.type(), node.key(), cap + 1);
                if (around.size() > cap) {
                    around = around.subList(0, cap);
                    truncated.add(node.id() + " has more than " + cap + " relations");
                }
                for (EventStore.Edge e : around) {
                    Normalised.Relation rel = e.relation();
                    NodeId from = new NodeId(rel.fromType(), rel.fromKey());
                    NodeId other = from.equals(node) ? new NodeId(rel.toType(), rel.toKey()) : from;
                    if (!depthOf.containsKey(other)) {
                        if (depthOf.size() >= cap) {
                            if (truncated.stream().noneMatch(s -> s.startsWith("node cap"))) truncated.add("node cap of " + cap + " reached");
                            continue;
                        }
                        depthOf.put(other, d);
                        next.add(other);
                    }
                    edges.add(e);
                }
            }
            frontier = next;
        }

        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("root", root.type() + ":" + root.key());
        n.put("depth", depth);
        n.put("limit", cap);
        ArrayNode nodes = n.putArray("nodes");
        for (Map.Entry<NodeId, Integer> e : depthOf.entrySet()) {
            EntitySummary s = e.getValue() == 0 ? root : summaryOf(t, e.getKey());
            ObjectNode o = summary(s);
            o.put("id", e.getKey().id());
            o.put("depth", e.getValue());
            nodes.add(o);
        }
        ArrayNode edgeList = n.putArray("edges");
        for (EventStore.Edge e : edges) {
            Normalised.Relation rel = e.relation();
            ObjectNode o = edgeList.addObject();
            o.put("kind", rel.kind());
            o.put("from", rel.fromType() + ":" + rel.fromKey());
            o.put("to", rel.toType() + ":" + rel.toKey());
            o.put("eventId", e.eventId());
        }
        n.put("truncated", !truncated.isEmpty());
        ArrayNode why = n.putArray("truncatedBecause");
        truncated.forEach(why::add);
        reply(ctx, 200, n);
    }

    // ---------------------------------------------------------------- claims

    /**
     * {@code ?attribute=&limit=}: per attribute, the current value under the Program's {@code truth}
     * declarations (resolved over every claim), then the latest {@code limit} claims in log order.
     */
    private void claims(Context ctx, Tenant t) {
        String type = ctx.pathParam("type");
        String key = ctx.pathParam("key");
        int limit = CharterServer.pageLimit(ctx, DEFAULT_CLAIMS, MAX_PAGE);
        String attribute = blankToNull(ctx.queryParam("attribute"));
        EventStore.EntityView view = store.entity(t.name, type, key)
                .orElseThrow(() -> unknownEntity(type, key));
        TruthPolicy truth = TruthPolicy.of(t.program());
        Map<String, Normalised.Claim> current = truth.resolve(view.claims());
        Map<String, List<Normalised.Claim>> byAttribute = new TreeMap<>();
        for (Normalised.Claim c : view.claims()) byAttribute.computeIfAbsent(c.attribute(), a -> new ArrayList<>()).add(c);
        if (attribute != null && !byAttribute.containsKey(attribute)) {
            String hint = Suggestions.closest(attribute, List.copyOf(byAttribute.keySet())).map(s -> "; did you mean `" + s + "`?")
                    .orElse(byAttribute.isEmpty() ? "; it has no claims" : " (claimed: " + String.join(", ", byAttribute.keySet()) + ")");
            throw new CharterServer.ApiError(404, "unknown_attribute", "nothing claims `" + attribute + "` of " + type + ":" + key + hint);
        }

        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("type", view.type());
        n.put("key", view.key());
        n.put("programVersion", t.program().version());
        ArrayNode attributes = n.putArray("attributes");
        for (Map.Entry<String, List<Normalised.Claim>> e : byAttribute.entrySet()) {
            if (attribute != null && !attribute.equals(e.getKey())) continue;
            List<Normalised.Claim> all = e.getValue();
            Normalised.Claim winner = current.get(e.getKey());
            List<String> preference = truth.preference(view.type(), e.getKey());
            ObjectNode a = attributes.addObject();
            a.put("attribute", e.getKey());
            a.put("truth", preference.isEmpty() ? "latest claim wins"
                    : "truth " + view.type() + "." + e.getKey() + " prefer " + String.join(" over ", preference));
            ArrayNode pref = a.putArray("preference");
            preference.forEach(pref::add);
            a.set("current", claim(winner));
            a.put("total", all.size());
            a.put("truncated", all.size() > limit);
            ArrayNode list = a.putArray("claims");
            for (Normalised.Claim c : all.subList(Math.max(0, all.size() - limit), all.size())) {
                list.add(claim(c).put("current", c.equals(winner)));
            }
        }
        reply(ctx, 200, n);
    }

    // ---------------------------------------------------------------- helpers

    private EntitySummary summaryOf(Tenant t, NodeId id) {
        List<EntitySummary> one = store.entities(t.name, new EventStore.EntityQuery(id.type(), id.key(), KeyMatch.EXACT, null, null, 1));
        if (one.isEmpty()) throw unknownEntity(id.type(), id.key());
        return one.getFirst();
    }

    private static CharterServer.ApiError unknownEntity(String type, String key) {
        return new CharterServer.ApiError(404, "unknown_entity", "no entity " + type + ":" + key + " (GET /v1/entities?key=… searches)");
    }

    private static ObjectNode summary(EntitySummary e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", e.type());
        o.put("key", e.key());
        o.put("firstSeen", JsonValues.time(e.firstSeen()));
        o.put("lastSeen", JsonValues.time(e.lastSeen()));
        o.put("occurrences", e.occurrences());
        return o;
    }

    private static ObjectNode claim(Normalised.Claim c) {
        ObjectNode o = JSON.createObjectNode();
        o.set("value", JsonValues.value(c.value()));
        o.put("source", c.source());
        o.put("time", JsonValues.time(c.time()));
        o.put("eventId", c.eventId());
        return o;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
