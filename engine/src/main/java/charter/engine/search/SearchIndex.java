package charter.engine.search;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.store.EventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
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
    private static final FieldType TEXT = textType();

    private final String tenant;
    private final Directory directory;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private volatile long indexedUpTo;

    private SearchIndex(String tenant, Directory directory, IndexWriter writer, long indexedUpTo) throws IOException {
        this.tenant = tenant;
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        this.indexedUpTo = indexedUpTo;
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

    /** Opens (or creates) the index in {@code folder}; one that cannot be read is replaced by an empty one. */
    public static SearchIndex open(String tenant, Path folder) {
        try {
            Files.createDirectories(folder);
            Directory dir = FSDirectory.open(folder);
            try {
                IndexWriter w = new IndexWriter(dir, config(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
                return new SearchIndex(tenant, dir, w, upTo(w));
            } catch (org.apache.lucene.store.LockObtainFailedException e) {
                dir.close();
                throw new IllegalStateException("the search index of tenant " + tenant + " in " + folder
                        + " is in use by another process (a running server?)", e);
            } catch (IOException | IllegalArgumentException e) {
                // Corrupt, half-written or of another Lucene format: the log has everything, so start afresh.
                LOG.warn("tenant={} the search index in {} cannot be read ({}); it is rebuilt from the log", tenant, folder, e.toString());
                for (String file : dir.listAll()) dir.deleteFile(file);
                IndexWriter w = new IndexWriter(dir, config(IndexWriterConfig.OpenMode.CREATE));
                w.commit();
                return new SearchIndex(tenant, dir, w, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index of tenant " + tenant + " in " + folder, e);
        }
    }

    private static IndexWriterConfig config(IndexWriterConfig.OpenMode mode) {
        IndexWriterConfig c = new IndexWriterConfig(new EnglishAnalyzer());
        c.setOpenMode(mode);
        c.setRAMBufferSizeMB(64);
        return c;
    }

    private static long upTo(IndexWriter w) {
        for (Map.Entry<String, String> e : w.getLiveCommitData() == null ? List.<Map.Entry<String, String>>of() : iterable(w.getLiveCommitData())) {
            if (e.getKey().equals(UP_TO)) return Long.parseLong(e.getValue());
        }
        return 0;
    }

    private static <T> List<T> iterable(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    private static FieldType textType() {
        FieldType t = new FieldType();
        t.setTokenized(true);
        t.setStored(true);
        t.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);   // the highlighter reads offsets, not the analyzer
        t.freeze();
        return t;
    }

    /** The last log sequence whose event is in the index (committed). */
    public long indexedUpTo() {
        return indexedUpTo;
    }

    /**
     * Adds (or replaces, by event id: a replay indexes nothing twice) events of the log, and makes
     * them searchable and durable with the position they reach.
     */
    public void add(List<EventStore.StoredEvent> events) {
        if (events.isEmpty()) return;
        try {
            long upTo = indexedUpTo;
            for (EventStore.StoredEvent s : events) {
                writer.updateDocument(new Term("id", s.event().id()), document(s));
                upTo = Math.max(upTo, s.sequence());
            }
            writer.setLiveCommitData(Map.of(UP_TO, Long.toString(upTo)).entrySet());
            writer.commit();
            searchers.maybeRefresh();
            indexedUpTo = upTo;
        } catch (IOException e) {
            throw new UncheckedIOException("indexing " + events.size() + " events of tenant " + tenant + " failed", e);
        }
    }

    /** Empties the index (the tenant's data was erased). */
    public void clear() {
        try {
            writer.deleteAll();
            writer.setLiveCommitData(Map.of(UP_TO, "0").entrySet());
            writer.commit();
            searchers.maybeRefresh();
            indexedUpTo = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("clearing the search index of tenant " + tenant + " failed", e);
        }
    }

    private static Document document(EventStore.StoredEvent s) {
        CanonicalEvent e = s.event();
        Document d = new Document();
        d.add(new StringField("id", e.id(), Field.Store.YES));
        d.add(new StoredField("seq", s.sequence()));
        d.add(new StringField("source", e.source(), Field.Store.YES));
        d.add(new StringField("type", e.type(), Field.Store.YES));
        long time = e.time().toEpochMilli();
        d.add(new LongPoint("time", time));
        d.add(new NumericDocValuesField("time", time));
        d.add(new StoredField("time", time));
        d.add(new StoredField("significance", e.significance() == null ? 50 : e.significance()));
        for (EntityRef ref : e.entities()) d.add(new StringField("entity", ref.type() + ":" + ref.key(), Field.Store.YES));
        String link = EventText.link(e);
        if (link != null) d.add(new StoredField("link", link));
        d.add(new Field("text", EventText.of(e), TEXT));
        return d;
    }

    /** Events matching the words and filters, ranked; {@code words} is the parsed text, or null for every event. */
    SearchResult.Hit[] search(Query words, SearchQuery q, long[] total) {
        Query query = filtered(words == null ? new MatchAllDocsQuery() : words, q, q.entity() == null ? List.of() : List.of(q.entity()));
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = words == null
                        ? searcher.search(query, Math.max(CANDIDATES, q.limit()), new Sort(new SortField("time", SortField.Type.LONG, true)))
                        : searcher.search(query, Math.max(CANDIDATES, q.limit()));
                total[0] = searcher.count(query);
                List<Ranked> ranked = rank(searcher.storedFields(), top.scoreDocs, words != null);
                List<Ranked> best = ranked.subList(0, Math.min(q.limit(), ranked.size()));
                String[] matched = highlight(searcher, words, best);
                SearchResult.Hit[] hits = new SearchResult.Hit[best.size()];
                for (int i = 0; i < best.size(); i++) hits[i] = hit(best.get(i), matched[i], null);
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
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(query, limit, new Sort(new SortField("time", SortField.Type.LONG, true)));
                StoredFields fields = searcher.storedFields();
                List<SearchResult.Hit> out = new ArrayList<>();
                for (ScoreDoc sd : top.scoreDocs) {
                    Document d = fields.document(sd.doc);
                    String how = null;
                    for (String entity : d.getValues("entity")) if (how == null) how = via.get(entity);
                    out.add(hit(new Ranked(d, 0, sd), excerpt(d.get("text")), how));
                }
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
        if (!q.sources().isEmpty()) b.add(anyOf("source", q.sources()), BooleanClause.Occur.FILTER);
        if (!q.types().isEmpty()) b.add(anyOf("type", q.types()), BooleanClause.Occur.FILTER);
        if (!entities.isEmpty()) b.add(anyOf("entity", entities), BooleanClause.Occur.FILTER);
        if (q.since() != null || q.until() != null) {
            long from = q.since() == null ? Long.MIN_VALUE : q.since().toEpochMilli();
            long to = q.until() == null ? Long.MAX_VALUE : q.until().toEpochMilli() - 1;
            b.add(LongPoint.newRangeQuery("time", from, to), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    private static Query anyOf(String field, Collection<String> values) {
        if (values.size() == 1) return new TermQuery(new Term(field, values.iterator().next()));
        return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
    }

    private record Ranked(Document doc, double score, ScoreDoc scoreDoc) {}

    /**
     * Relevance (BM25, relative to the best candidate), recency (halving every week before the
     * newest candidate) and significance (0–100), weighted 0.6, 0.25 and 0.15: a strong match
     * wins, and among similar matches the recent and the significant come first.
     */
    private static List<Ranked> rank(StoredFields fields, ScoreDoc[] docs, boolean byRelevance) throws IOException {
        List<Ranked> out = new ArrayList<>(docs.length);
        if (docs.length == 0) return out;
        List<Document> loaded = new ArrayList<>(docs.length);
        long newest = Long.MIN_VALUE;
        float best = 0;
        for (ScoreDoc sd : docs) {
            Document d = fields.document(sd.doc);
            loaded.add(d);
            newest = Math.max(newest, d.getField("time").numericValue().longValue());
            if (byRelevance) best = Math.max(best, sd.score);
        }
        for (int i = 0; i < docs.length; i++) {
            Document d = loaded.get(i);
            double relevance = byRelevance && best > 0 ? docs[i].score / best : 1;
            double weeks = (newest - d.getField("time").numericValue().longValue()) / (7 * 86_400_000.0);
            double recency = Math.pow(0.5, weeks);
            double significance = d.getField("significance").numericValue().intValue() / 100.0;
            out.add(new Ranked(d, 0.6 * relevance + 0.25 * recency + 0.15 * significance, docs[i]));
        }
        out.sort(Comparator.comparingDouble(Ranked::score).reversed()
                .thenComparing(r -> -r.doc().getField("seq").numericValue().longValue()));
        return out;
    }

    private String[] highlight(IndexSearcher searcher, Query words, List<Ranked> best) throws IOException {
        String[] out = new String[best.size()];
        if (words != null && !best.isEmpty()) {
            ScoreDoc[] docs = best.stream().map(Ranked::scoreDoc).sorted(Comparator.comparingInt(sd -> sd.doc)).toArray(ScoreDoc[]::new);
            UnifiedHighlighter highlighter = UnifiedHighlighter.builder(searcher, analyzer)
                    .withFormatter(new DefaultPassageFormatter("**", "**", " … ", false))
                    .withMaxLength(10_000)
                    .build();
            String[] marked = highlighter.highlight("text", words, new TopDocs(new TotalHits(docs.length, TotalHits.Relation.EQUAL_TO), docs), 2);
            Map<Integer, String> byDoc = new java.util.HashMap<>();
            for (int i = 0; i < docs.length; i++) byDoc.put(docs[i].doc, marked[i]);
            for (int i = 0; i < best.size(); i++) out[i] = byDoc.get(best.get(i).scoreDoc().doc);
        }
        for (int i = 0; i < out.length; i++) if (out[i] == null) out[i] = excerpt(best.get(i).doc().get("text"));
        return out;
    }

    private static String excerpt(String text) {
        String line = text == null ? "" : text.replace('\n', ' ');
        return line.length() <= 200 ? line : line.substring(0, 200) + " …";
    }

    private static SearchResult.Hit hit(Ranked r, String matched, String via) {
        Document d = r.doc();
        return new SearchResult.Hit(d.get("id"), d.getField("seq").numericValue().longValue(), d.get("source"), d.get("type"),
                Instant.ofEpochMilli(d.getField("time").numericValue().longValue()), d.getField("significance").numericValue().intValue(),
                d.get("link"), matched, Math.round(r.score() * 1000) / 1000.0, List.of(d.getValues("entity")), via);
    }

    Analyzer analyzer() {
        return analyzer;
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            LOG.warn("tenant={} closing the search index failed: {}", tenant, e.toString());
        }
    }
}
