package charter.engine.search;

import charter.engine.store.EventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The full-text index of one tenant's events, in a folder of that tenant's own: a tenant's words
 * live only in its index, so no query of another tenant can reach them. It is derived data: the
 * log is the truth, the index records how far into the log it has read ({@link #indexedUpTo}), and
 * an index that is missing, unreadable or of another format is started afresh and refilled from the
 * log ({@link SearchIndexer}).
 */
public final class SearchIndex implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SearchIndex.class);
    private static final String UP_TO = "charter.indexedUpTo";
    /** Candidates ranked by relevance before recency and significance re-rank them. */
    private static final int CANDIDATES = 200;
    /** Matches the ranking pass counts exactly before it starts skipping; beyond, a counting pass gives the total. */
    private static final int COUNTED = 1_000;
    private static final String FORMAT = "charter.indexFormat";
    /** The order of hits when there are no words to rank them by. */
    private static final Sort NEWEST_FIRST = new Sort(new SortField(EventDocument.TIME, SortField.Type.LONG, true));

    private final String tenant;
    private final Directory directory;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** The last log sequence added (searchable from the next search on). */
    private volatile long indexedUpTo;
    /** The last log sequence in the last commit: where indexing resumes after a crash. */
    private long committedUpTo;
    private long lastCommitNanos = System.nanoTime();
    /** Documents were added since the searchers were last refreshed. */
    private volatile boolean stale;
    /**
     * How often, at most, added events are committed while they stream in: every 5 seconds. A commit
     * writes and syncs segment files (and so makes merges); one per appended batch cost more than the
     * indexing itself. After a crash, at most these 5 seconds of events are indexed again.
     */
    static final long COMMIT_EVERY_NANOS = 5_000_000_000L;

    private SearchIndex(String tenant, Directory directory, IndexWriter writer, long indexedUpTo) throws IOException {
        this.tenant = tenant;
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        this.indexedUpTo = indexedUpTo;
        this.committedUpTo = indexedUpTo;
    }

    /**
     * Where a tenant's index lives for a store ({@code --data}): {@code search/<tenant>} in the data
     * directory; for a PostgreSQL store, a folder per database in the machine's temporary directory
     * (the index is derived data, rebuilt from the log whenever it is missing).
     */
    public static Path folder(String data, String tenant) {
        String s = data.strip();
        if (!s.startsWith("jdbc:")) return Path.of(s, "search", tenant);
        String database = Integer.toHexString(charter.engine.store.EventStores.redact(s).hashCode());
        return Path.of(System.getProperty("java.io.tmpdir"), "charter-search", database, tenant);
    }

    /**
     * Opens (or creates) the index in {@code folder}; one that cannot be read, or that was written
     * with another layout ({@link EventDocument#FORMAT}), is replaced by an empty one, which the
     * indexer refills from the log.
     */
    public static SearchIndex open(String tenant, Path folder) {
        try {
            Files.createDirectories(folder);
            Directory dir = FSDirectory.open(folder);
            try {
                IndexWriter w = new IndexWriter(dir, config(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
                Map<String, String> committed = commitData(w);
                if (EventDocument.FORMAT.equals(committed.get(FORMAT))) return new SearchIndex(tenant, dir, w, upTo(committed));
                if (!committed.isEmpty() || w.getDocStats().maxDoc > 0) {
                    LOG.warn("tenant={} the search index in {} has layout {}, not {}; it is rebuilt from the log",
                            tenant, folder, committed.getOrDefault(FORMAT, "1"), EventDocument.FORMAT);
                }
                w.close();
                return afresh(tenant, dir);
            } catch (org.apache.lucene.store.LockObtainFailedException e) {
                dir.close();
                throw new IllegalStateException("the search index of tenant " + tenant + " in " + folder
                        + " is in use by another process (a running server?)", e);
            } catch (IOException | IllegalArgumentException e) {
                // Corrupt, half-written or of another Lucene format: the log has everything, so start afresh.
                LOG.warn("tenant={} the search index in {} cannot be read ({}); it is rebuilt from the log", tenant, folder, e.toString());
                return afresh(tenant, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index of tenant " + tenant + " in " + folder, e);
        }
    }

    /** An empty index of this layout in {@code dir}, whatever was there before. */
    private static SearchIndex afresh(String tenant, Directory dir) throws IOException {
        for (String file : dir.listAll()) {
            if (!file.equals(IndexWriter.WRITE_LOCK_NAME)) dir.deleteFile(file);
        }
        IndexWriter w = new IndexWriter(dir, config(IndexWriterConfig.OpenMode.CREATE));
        w.setLiveCommitData(commitData(0).entrySet());
        w.commit();
        return new SearchIndex(tenant, dir, w, 0);
    }

    private static IndexWriterConfig config(IndexWriterConfig.OpenMode mode) {
        IndexWriterConfig c = new IndexWriterConfig(new EnglishAnalyzer());
        c.setOpenMode(mode);
        c.setRAMBufferSizeMB(64);
        return c;
    }

    /** What every commit records: how far into the log the index has read, and its layout. */
    private static Map<String, String> commitData(long upTo) {
        return Map.of(UP_TO, Long.toString(upTo), FORMAT, EventDocument.FORMAT);
    }

    private static Map<String, String> commitData(IndexWriter w) {
        Map<String, String> out = new java.util.HashMap<>();
        if (w.getLiveCommitData() != null) w.getLiveCommitData().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static long upTo(Map<String, String> committed) {
        String upTo = committed.get(UP_TO);
        return upTo == null ? 0 : Long.parseLong(upTo);
    }

    /** The last log sequence whose event is in the index (searchable; committed within {@link #COMMIT_EVERY_NANOS}). */
    public long indexedUpTo() {
        return indexedUpTo;
    }

    /**
     * Adds (or replaces, by event id: a replay indexes nothing twice) events of the log. They are
     * searchable from the next search on, and durable with the position they reach at the next
     * commit ({@link #commitIfDue}); after a crash the indexer reads the log again from the last one.
     */
    public void add(List<EventStore.StoredEvent> events) {
        if (events.isEmpty()) return;
        try {
            long upTo = indexedUpTo;
            for (EventStore.StoredEvent s : events) {
                try {
                    writer.updateDocument(new Term(EventDocument.ID, EventDocument.term(s.event().id())), EventDocument.of(s));
                } catch (IllegalArgumentException refused) {
                    // Lucene refused this one document (and kept the writer): left out of search, never a stop for the rest.
                    LOG.error("tenant={} event at log sequence {} cannot be indexed for search and is left out: {}", tenant, s.sequence(),
                            refused.getMessage());
                }
                upTo = Math.max(upTo, s.sequence());
            }
            indexedUpTo = upTo;
            stale = true;
            commitIfDue();
        } catch (IOException e) {
            throw new UncheckedIOException("indexing " + events.size() + " events of tenant " + tenant + " failed", e);
        }
    }

    /** Commits what was added when the last commit is {@link #COMMIT_EVERY_NANOS} old or more. Called by the one thread that adds. */
    public void commitIfDue() {
        if (committedUpTo != indexedUpTo && System.nanoTime() - lastCommitNanos >= COMMIT_EVERY_NANOS) commit();
    }

    /** Makes what was added durable, with the log position it reaches. Called by the one thread that adds. */
    public void commit() {
        try {
            long upTo = indexedUpTo;
            writer.setLiveCommitData(commitData(upTo).entrySet());
            writer.commit();
            committedUpTo = upTo;
            lastCommitNanos = System.nanoTime();
        } catch (IOException e) {
            throw new UncheckedIOException("committing the search index of tenant " + tenant + " failed", e);
        }
    }

    /**
     * A searcher that sees every event added so far: refreshed here, when asked, rather than after
     * each add, since events arrive far more often than searches. Release it to {@link #searchers}.
     */
    private IndexSearcher searcher() throws IOException {
        if (stale) {
            stale = false;   // before the refresh: an add meanwhile marks it stale again
            searchers.maybeRefreshBlocking();
        }
        return searchers.acquire();
    }

    /** Empties the index (the tenant's data was erased). */
    public void clear() {
        try {
            writer.deleteAll();
            indexedUpTo = 0;
            commit();
            searchers.maybeRefresh();
        } catch (IOException e) {
            throw new UncheckedIOException("clearing the search index of tenant " + tenant + " failed", e);
        }
    }

    /**
     * Events matching the words and filters, ranked; {@code words} is the parsed text, or null for
     * every event (newest first). The collector counts matches up to {@link #COUNTED} and then
     * skips what cannot reach the candidates (Lucene's dynamic pruning); only when there are more
     * is the exact total counted, by a pass that scores nothing (and that Lucene answers from the
     * index's statistics where it can, such as one word and no filter).
     */
    SearchResult.Hit[] search(Query words, SearchQuery q, long[] total) {
        Query query = filtered(words == null ? new MatchAllDocsQuery() : words, q, q.entity() == null ? List.of() : List.of(q.entity()));
        int candidates = Math.max(CANDIDATES, q.limit());
        try {
            IndexSearcher searcher = searcher();
            try {
                TopDocs top = words == null
                        ? searcher.search(query, new TopFieldCollectorManager(NEWEST_FIRST, candidates, null, COUNTED))
                        : searcher.search(query, new TopScoreDocCollectorManager(candidates, null, COUNTED));
                total[0] = top.totalHits.relation() == TotalHits.Relation.EQUAL_TO ? top.totalHits.value() : searcher.count(query);
                List<Ranking.Ranked> ranked = Ranking.rank(searcher.getIndexReader(), top.scoreDocs, words != null);
                List<Ranking.Ranked> best = ranked.subList(0, Math.min(q.limit(), ranked.size()));
                String[] matched = highlight(searcher, words, best);
                StoredFields fields = searcher.storedFields();
                SearchResult.Hit[] hits = new SearchResult.Hit[best.size()];
                for (int i = 0; i < best.size(); i++) hits[i] = EventDocument.hit(fields, best.get(i).doc(), best.get(i).score(), matched[i], Map.of());
                return hits;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("searching the index of tenant " + tenant + " failed", e);
        }
    }

    /** The newest events that mention any of {@code entities}, within the query's filters but whatever their words. */
    List<SearchResult.Hit> mentioning(Collection<String> entities, SearchQuery q, int limit, Map<String, String> via) {
        if (entities.isEmpty()) return List.of();
        Query query = filtered(new MatchAllDocsQuery(), q, entities);
        try {
            IndexSearcher searcher = searcher();
            try {
                TopDocs top = searcher.search(query, limit, NEWEST_FIRST);
                StoredFields fields = searcher.storedFields();
                List<SearchResult.Hit> out = new ArrayList<>();
                for (ScoreDoc sd : top.scoreDocs) out.add(EventDocument.hit(fields, sd.doc, 0, null, via));
                return out;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("searching the index of tenant " + tenant + " failed", e);
        }
    }

    private static Query filtered(Query words, SearchQuery q, Collection<String> entities) {
        BooleanQuery.Builder b = new BooleanQuery.Builder().add(words, BooleanClause.Occur.MUST);
        if (!q.sources().isEmpty()) b.add(anyOf(EventDocument.SOURCE, q.sources()), BooleanClause.Occur.FILTER);
        if (!q.types().isEmpty()) b.add(anyOf(EventDocument.TYPE, q.types()), BooleanClause.Occur.FILTER);
        if (!entities.isEmpty()) b.add(anyOf(EventDocument.ENTITY, entities), BooleanClause.Occur.FILTER);
        if (q.since() != null || q.until() != null) {
            long from = q.since() == null ? Long.MIN_VALUE : q.since().toEpochMilli();
            long to = q.until() == null ? Long.MAX_VALUE : q.until().toEpochMilli() - 1;
            // Points when the range is the selective part, doc values when the words are (checking a few
            // hundred matches' times is cheaper than collecting the range's every document): Lucene picks per segment.
            b.add(new IndexOrDocValuesQuery(LongPoint.newRangeQuery(EventDocument.TIME, from, to),
                    NumericDocValuesField.newSlowRangeQuery(EventDocument.TIME, from, to)), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    private static Query anyOf(String field, Collection<String> values) {
        if (values.size() == 1) return new TermQuery(new Term(field, EventDocument.term(values.iterator().next())));
        return new TermInSetQuery(field, values.stream().map(v -> new BytesRef(EventDocument.term(v))).toList());
    }

    /** The matched words of each of the best hits, marked; null where none is found (the hit shows its text's start). */
    private String[] highlight(IndexSearcher searcher, Query words, List<Ranking.Ranked> best) throws IOException {
        String[] out = new String[best.size()];
        if (words == null || best.isEmpty()) return out;
        ScoreDoc[] docs = best.stream().map(r -> new ScoreDoc(r.doc(), 0)).sorted(Comparator.comparingInt(sd -> sd.doc)).toArray(ScoreDoc[]::new);
        UnifiedHighlighter highlighter = UnifiedHighlighter.builder(searcher, analyzer)
                .withFormatter(new DefaultPassageFormatter("**", "**", " … ", false))
                .withMaxLength(10_000)
                .build();
        String[] marked = highlighter.highlight(EventDocument.TEXT, words, new TopDocs(new TotalHits(docs.length, TotalHits.Relation.EQUAL_TO), docs), 2);
        Map<Integer, String> byDoc = new java.util.HashMap<>();
        for (int i = 0; i < docs.length; i++) byDoc.put(docs[i].doc, marked[i]);
        for (int i = 0; i < best.size(); i++) out[i] = byDoc.get(best.get(i).doc());
        return out;
    }

    Analyzer analyzer() {
        return analyzer;
    }

    @Override
    public void close() {
        try {
            if (committedUpTo != indexedUpTo) commit();
        } catch (RuntimeException e) {   // derived data: what was not committed is indexed again from the log on the next start
            LOG.warn("tenant={} committing the search index on close failed: {}", tenant, e.toString());
        }
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException | RuntimeException e) {   // a writer closed by a failure (AlreadyClosedException) included
            LOG.warn("tenant={} closing the search index failed: {}", tenant, e.toString());
        }
    }
}
