package charter.engine.search;

import java.time.Instant;
import java.util.Set;

/**
 * What to look for in one tenant's events: words (Lucene's simple syntax: `"a phrase"`, `-not`,
 * `prefix*`; any other character is a word character or ignored, never an error) and filters.
 *
 * @param text    the words; may be blank when {@code entity} is given (every event of that entity)
 * @param sources only events of these sources (empty: all)
 * @param types   only events of these types (empty: all)
 * @param since   only events at or after this time, or null
 * @param until   only events before this time, or null
 * @param entity  only events that mention this entity, `type:key`, or null
 * @param expand  also list the events of the entities next to the hits' (or to {@code entity}) in the graph
 * @param limit   at most this many hits, 1 to {@value #MAX_LIMIT}
 */
public record SearchQuery(String text, Set<String> sources, Set<String> types, Instant since, Instant until,
                          String entity, boolean expand, int limit) {
    public static final int MAX_LIMIT = 100;
    public static final int MAX_TEXT = 1000;
    public static final int DEFAULT_LIMIT = 20;

    public SearchQuery {
        text = text == null ? "" : text.strip();
        sources = sources == null ? Set.of() : Set.copyOf(sources);
        types = types == null ? Set.of() : Set.copyOf(types);
        if (entity != null && entity.isBlank()) entity = null;
    }

    /** Just words, no filter. */
    public static SearchQuery of(String text) {
        return new SearchQuery(text, Set.of(), Set.of(), null, null, null, false, DEFAULT_LIMIT);
    }

    /** Why this query cannot be run, or null: the checks every front end (HTTP, CLI, MCP) shares. */
    public String problem() {
        if (text.length() > MAX_TEXT) return "the query is " + text.length() + " characters long; at most " + MAX_TEXT;
        if (text.isEmpty() && entity == null) return "give words to search for (`q`), or an `entity` whose events to list";
        if (limit < 1 || limit > MAX_LIMIT) return "`limit` must be 1 to " + MAX_LIMIT + ", got " + limit;
        if (since != null && until != null && !since.isBefore(until)) return "`since` (" + since + ") must be before `until` (" + until + ")";
        if (entity != null && entity.indexOf(':') <= 0) return "`entity` is `type:key`, such as `deployment:dpl_8f2k`; got `" + entity + "`";
        return null;
    }
}
