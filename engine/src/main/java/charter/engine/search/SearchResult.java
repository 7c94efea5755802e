package charter.engine.search;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a {@link SearchQuery}, as the HTTP API, the CLI and the MCP tool render it.
 *
 * @param total    how many events match (before {@code limit})
 * @param hits     the best matches, best first
 * @param around   with {@code expand}: events of the entities next to the hits' in the graph, newest first
 * @param indexedUpTo the log sequence the index has reached (events after it are not searched yet)
 */
public record SearchResult(String query, long total, List<Hit> hits, List<Hit> around, long indexedUpTo) {
    public SearchResult {
        hits = List.copyOf(hits);
        around = List.copyOf(around);
    }

    /**
     * One event found, with what to cite.
     *
     * @param link     the page of the thing in its tool (the PR, the Sentry issue, the Linear issue,
     *                 the Vercel deployment), from the event's own fields; null when it has none
     * @param matched  the event's text around the matched words, each marked `**word**`
     * @param score    the ranking: relevance, recency and significance combined (0 to 1)
     * @param via      for an event found through the graph: how (`deployment:dpl_1 -deployed-> commit:abc`); else null
     */
    public record Hit(String eventId, long sequence, String source, String type, Instant time, int significance,
                      String link, String matched, double score, List<String> entities, String via) {
        public Hit {
            entities = List.copyOf(entities);
        }
    }
}
