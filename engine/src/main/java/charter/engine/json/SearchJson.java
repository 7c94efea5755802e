package charter.engine.json;

import charter.engine.search.SearchResult;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A search result as JSON: the shape of `GET /v1/search`, `charter search --format json` and the MCP `search` tool. */
public final class SearchJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SearchJson() {}

    public static ObjectNode of(SearchResult r) {
        ObjectNode out = NODES.objectNode();
        out.put("query", r.query());
        out.put("total", r.total());
        hits(out.putArray("hits"), r.hits());
        hits(out.putArray("around"), r.around());
        out.put("indexedUpTo", r.indexedUpTo());
        return out;
    }

    private static void hits(ArrayNode out, java.util.List<SearchResult.Hit> hits) {
        for (SearchResult.Hit h : hits) {
            ObjectNode n = out.addObject();
            n.put("eventId", h.eventId());
            n.put("sequence", h.sequence());
            n.put("source", h.source());
            n.put("type", h.type());
            n.put("time", h.time().toString());
            n.put("significance", h.significance());
            n.put("score", h.score());
            if (h.link() == null) n.putNull("link");
            else n.put("link", h.link());
            n.put("matched", h.matched());
            ArrayNode entities = n.putArray("entities");
            h.entities().forEach(entities::add);
            if (h.via() != null) n.put("via", h.via());
        }
    }
}
