package charter.engine.search;

import charter.engine.ingest.Normalised;
import charter.engine.store.EventStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;

/**
 * Search over what Charter remembers, with citations: the one implementation behind
 * `GET /v1/search`, `charter search` and the MCP `search` tool. Each tenant has its own index
 * ({@code indexes}), so a query is only ever run against the asking tenant's words.
 */
public final class SearchService {
    /** Events the graph expansion lists at most, and edges it follows from each entity. */
    static final int AROUND = 20;
    static final int EDGES = 20;
    /** Entities of the best hits the expansion starts from. */
    static final int SEEDS = 8;

    private final Function<String, SearchIndex> indexes;
    private final EventStore graph;

    /**
     * @param indexes the index of a tenant (the tenant is known: the caller authenticated it)
     * @param graph   the store whose entity graph the expansion walks
     */
    public SearchService(Function<String, SearchIndex> indexes, EventStore graph) {
        this.indexes = indexes;
        this.graph = graph;
    }

    /**
     * Runs a query for one tenant.
     *
     * @throws BadSearchQuery when the query is too long, has no words and no entity, or a bad filter
     */
    public SearchResult search(String tenant, SearchQuery q) {
        String problem = q.problem();
        if (problem != null) throw new BadSearchQuery("invalid_query", problem);
        SearchIndex index = indexes.apply(tenant);
        Query words = q.text().isEmpty() ? null : parse(index, q.text());
        long[] total = new long[1];
        List<SearchResult.Hit> hits = words instanceof MatchNoDocsQuery ? List.of() : Arrays.asList(index.search(words, q, total));
        List<SearchResult.Hit> around = q.expand() ? around(tenant, index, q, hits) : List.of();
        return new SearchResult(q.text(), total[0], hits, around, index.indexedUpTo());
    }

    /**
     * Lucene's simple syntax, which has no syntax errors: quotes, `-`, `*` and `|` mean what they
     * say when they can, and every other character is part of a word or ignored. A query of only
     * such characters (or stop words) matches nothing.
     */
    private static Query parse(SearchIndex index, String text) {
        SimpleQueryParser parser = new SimpleQueryParser(index.analyzer(), "text");
        try {
            Query q = parser.parse(text);
            return q == null ? new MatchNoDocsQuery() : q;
        } catch (IndexSearcher.TooManyClauses e) {
            throw new BadSearchQuery("query_too_complex", "the query has more than " + IndexSearcher.getMaxClauseCount()
                    + " words and operators; search for fewer");
        }
    }

    /**
     * "What happened around this": the entities one edge away in the graph from the query's entity
     * (or from the best hits' entities), and the newest events that mention them, each saying which
     * edge led to it.
     */
    private List<SearchResult.Hit> around(String tenant, SearchIndex index, SearchQuery q, List<SearchResult.Hit> hits) {
        Set<String> seeds = new LinkedHashSet<>();
        if (q.entity() != null) seeds.add(q.entity());
        for (SearchResult.Hit h : hits) {
            for (String e : h.entities()) if (seeds.size() < SEEDS) seeds.add(e);
        }
        Map<String, String> via = new LinkedHashMap<>();
        for (String seed : seeds) {
            int colon = seed.indexOf(':');
            for (EventStore.Edge edge : graph.relations(tenant, seed.substring(0, colon), seed.substring(colon + 1), EDGES)) {
                Normalised.Relation r = edge.relation();
                String from = r.fromType() + ":" + r.fromKey();
                String to = r.toType() + ":" + r.toKey();
                String other = from.equals(seed) ? to : from;
                if (!seeds.contains(other)) via.putIfAbsent(other, from + " -" + r.kind() + "-> " + to);
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        hits.forEach(h -> seen.add(h.eventId()));
        SearchQuery unfiltered = new SearchQuery("", Set.of(), Set.of(), q.since(), q.until(), null, false, AROUND);
        List<SearchResult.Hit> out = new ArrayList<>();
        for (SearchResult.Hit h : index.mentioning(via.keySet(), unfiltered, AROUND + seen.size(), via)) {
            if (seen.add(h.eventId()) && out.size() < AROUND) out.add(h);
        }
        return out;
    }
}
