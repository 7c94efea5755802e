package charter.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.RawDelivery;
import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index's filters and ranking against a brute-force reference over the same events (seeded
 * random events and queries, the failing query simplified before it is reported), and its layout
 * marker: an index of another layout is rebuilt from the log.
 */
class SearchIndexTest {
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    static final String[] SOURCES = {"github", "vercel", "sentry"};
    static final String[] WORDS = {"checkout", "deploy", "timeout", "invoice"};

    @TempDir
    Path dir;
    EventStore store;
    SearchIndex index;
    SearchService service;
    long sequence;

    /** An event as the reference sees it. */
    record Ev(String id, String source, long millis, int significance, Set<String> words, String entity, long sequence) {}

    @BeforeEach
    void open() {
        store = EventStores.open(dir.resolve("data").toString());
        index = SearchIndex.open("acme", dir.resolve("search"));
        service = new SearchService(t -> index, store);
    }

    @AfterEach
    void close() {
        index.close();
        store.close();
    }

    List<Ev> append(List<Ev> events) {
        List<EventStore.Ingested> batch = new ArrayList<>();
        for (Ev e : events) {
            Instant time = T0.plusMillis(e.millis());
            RawDelivery raw = new RawDelivery(e.source(), Map.of(), "{}".getBytes(StandardCharsets.UTF_8), time);
            List<EntityRef> refs = e.entity() == null ? List.of() : List.of(new EntityRef("service", e.entity()));
            CanonicalEvent event = new CanonicalEvent(e.source() + ":" + e.id(), e.source(), e.source() + ".thing", time,
                    Map.of("title", String.join(" ", e.words())), refs, e.significance());
            batch.add(new EventStore.Ingested(raw, new Normalised(e.id(), event, List.of(), List.of(), List.of())));
        }
        store.append("acme", batch);
        SearchIndexer.catchUp(store, "acme", index);
        List<Ev> out = new ArrayList<>();
        for (Ev e : events) out.add(new Ev(e.id(), e.source(), e.millis(), e.significance(), e.words(), e.entity(), ++sequence));
        return out;
    }

    /** A query the reference understands: one word (or none, with an entity), a source, a time range. */
    record Q(String word, String source, Long since, Long until, String entity) {
        SearchQuery query() {
            return new SearchQuery(word == null ? "" : word, source == null ? Set.of() : Set.of(source), Set.of(),
                    since == null ? null : T0.plusMillis(since), until == null ? null : T0.plusMillis(until),
                    entity == null ? null : "service:" + entity, false, SearchQuery.MAX_LIMIT);
        }

        boolean matches(Ev e) {
            return (word == null || e.words().contains(word)) && (source == null || source.equals(e.source()))
                    && (since == null || e.millis() >= since) && (until == null || e.millis() < until)
                    && (entity == null || entity.equals(e.entity()));
        }

        /** The same query with one part fewer, each way there is; used to report the simplest failing query. */
        List<Q> simpler() {
            List<Q> out = new ArrayList<>();
            if (source != null) out.add(new Q(word, null, since, until, entity));
            if (since != null) out.add(new Q(word, source, null, until, entity));
            if (until != null) out.add(new Q(word, source, since, null, entity));
            if (entity != null && word != null) out.add(new Q(word, source, since, until, null));
            return out;
        }
    }

    @Test
    void filtersAgreeWithTheReferenceExactlyAtTheTimeBounds() {
        Random random = new Random(20261205);
        List<Ev> drafts = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            // Few distinct milliseconds, so many events sit exactly on a query's bound.
            long millis = random.nextInt(40) * 1_000L + (random.nextBoolean() ? 0 : 1);
            Set<String> words = new TreeSet<>();
            words.add(WORDS[random.nextInt(WORDS.length)]);
            if (random.nextBoolean()) words.add(WORDS[random.nextInt(WORDS.length)]);
            String entity = random.nextInt(3) == 0 ? null : "s" + random.nextInt(4);
            drafts.add(new Ev("e" + i, SOURCES[random.nextInt(SOURCES.length)], millis, random.nextInt(101), words, entity, 0));
        }
        List<Ev> events = append(drafts);
        List<Long> times = events.stream().map(Ev::millis).toList();
        for (int i = 0; i < 120; i++) {
            String entity = random.nextInt(4) == 0 ? "s" + random.nextInt(4) : null;
            String word = entity != null && random.nextBoolean() ? null : WORDS[random.nextInt(WORDS.length)];
            String source = random.nextInt(3) == 0 ? SOURCES[random.nextInt(SOURCES.length)] : null;
            Long since = random.nextBoolean() ? times.get(random.nextInt(times.size())) + random.nextInt(3) - 1 : null;
            Long until = random.nextBoolean() ? times.get(random.nextInt(times.size())) + random.nextInt(3) - 1 : null;
            if (since != null && until != null && since >= until) until = since + 1 + random.nextInt(2_000);
            Q q = new Q(word, source, since, until, entity);
            String problem = disagreement(q, events);
            if (problem != null) {
                Q simplest = q;
                for (boolean shrunk = true; shrunk; ) {
                    shrunk = false;
                    for (Q smaller : simplest.simpler()) {
                        if (disagreement(smaller, events) != null) {
                            simplest = smaller;
                            shrunk = true;
                            break;
                        }
                    }
                }
                throw new AssertionError("query " + simplest + ": " + disagreement(simplest, events) + " (found as " + q + ")");
            }
        }
    }

    /** What the index answers that the reference does not, or null when they agree. */
    private String disagreement(Q q, List<Ev> events) {
        Set<String> expected = events.stream().filter(q::matches).map(e -> e.source() + ":" + e.id()).collect(Collectors.toCollection(TreeSet::new));
        SearchResult r = service.search("acme", q.query());
        Set<String> got = r.hits().stream().map(SearchResult.Hit::eventId).collect(Collectors.toCollection(TreeSet::new));
        if (r.total() != expected.size()) return "total " + r.total() + ", expected " + expected.size();
        if (expected.size() <= SearchQuery.MAX_LIMIT && !got.equals(expected)) return "hits " + got + ", expected " + expected;
        Predicate<SearchResult.Hit> inRange = h -> (q.since() == null || !h.time().isBefore(T0.plusMillis(q.since())))
                && (q.until() == null || h.time().isBefore(T0.plusMillis(q.until())));
        if (!r.hits().stream().allMatch(inRange)) return "a hit outside the time range: " + got;
        return null;
    }

    @Test
    void amongEqualMatchesRecencyAndSignificanceOrderAsTheFormulaSays() {
        Random random = new Random(11);
        for (int round = 0; round < 3; round++) {
            String word = "quota" + round;
            List<Ev> drafts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                // Three weeks, in whole hours (ties in time happen), and significance in steps (ties happen too).
                long millis = random.nextInt(21 * 24) * 3_600_000L;
                drafts.add(new Ev("r" + round + "-" + i, "sentry", millis, random.nextInt(11) * 10, Set.of(word, "disk"), null, 0));
            }
            List<Ev> events = append(drafts);
            long newest = events.stream().mapToLong(Ev::millis).max().orElseThrow();
            // Equal text, so equal relevance: the order is recency and significance, then the later in the log.
            List<String> expected = events.stream()
                    .sorted(Comparator.comparingDouble((Ev e) -> -referenceScore(e, newest)).thenComparing(e -> -e.sequence()))
                    .map(e -> "sentry:" + e.id()).toList();
            SearchResult r = service.search("acme", new SearchQuery(word, Set.of(), Set.of(), null, null, null, false, SearchQuery.MAX_LIMIT));
            assertEquals(expected, r.hits().stream().map(SearchResult.Hit::eventId).toList(), "round " + round);
            assertEquals(Math.round(referenceScore(events.getFirst(), newest) * 1000) / 1000.0,
                    r.hits().stream().filter(h -> h.eventId().equals("sentry:" + events.getFirst().id())).findFirst().orElseThrow().score());
        }
    }

    private static double referenceScore(Ev e, long newest) {
        double recency = Math.pow(0.5, (newest - e.millis()) / (7 * 86_400_000.0));
        return 0.6 * 1 + 0.25 * recency + 0.15 * (e.significance() / 100.0);
    }

    @Test
    void theTotalCountsEveryMatchNotJustTheCandidatesRanked() {
        List<Ev> drafts = new ArrayList<>();
        // More than the ranking pass counts exactly (1,000): the total comes from a counting pass.
        for (int i = 0; i < 1_200; i++) drafts.add(new Ev("m" + i, "github", i * 1_000L, 50, Set.of("merge", i % 3 == 0 ? "conflict" : "clean"), null, 0));
        append(drafts);
        SearchResult r = service.search("acme", new SearchQuery("merge conflict", Set.of(), Set.of(), null, null, null, false, 5));
        assertEquals(1_200, r.total(), "every event has `merge`");
        assertEquals(5, r.hits().size());
        assertTrue(r.hits().stream().allMatch(h -> h.matched().contains("**conflict**")), "both words rank above one: " + r.hits());
        assertEquals(1_050, service.search("acme", new SearchQuery("merge", Set.of(), Set.of(), T0.plusSeconds(150), null, null, false, 5)).total());
        assertEquals(400, service.search("acme", new SearchQuery("conflict", Set.of(), Set.of(), null, null, null, false, 5)).total());
        assertEquals(1_200, service.search("acme", new SearchQuery("merge", Set.of("github"), Set.of(), null, null, null, false, 5)).total());
    }

    @Test
    void anIndexOfAnotherLayoutIsRebuiltFromTheLogOnce() throws Exception {
        append(List.of(new Ev("a", "sentry", 0, 90, Set.of("payment", "gateway"), null, 0),
                new Ev("b", "sentry", 60_000, 10, Set.of("payment", "gateway"), null, 0)));
        index.close();
        // The layout before the marker: stored fields only, no doc values; and a word no event of the log has.
        Path folder = dir.resolve("search");
        try (var directory = FSDirectory.open(folder);
             IndexWriter old = new IndexWriter(directory, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
            Document d = new Document();
            d.add(new StringField("id", "sentry:ghost", Field.Store.YES));
            d.add(new StoredField("seq", 1L));
            d.add(new TextField("text", "title: phantom", Field.Store.YES));
            old.addDocument(d);
            old.setLiveCommitData(Map.of("charter.indexedUpTo", "2").entrySet());
            old.commit();
        }
        index = SearchIndex.open("acme", folder);
        assertEquals(0, index.indexedUpTo(), "an index of the old layout starts afresh");
        assertEquals(0, service.search("acme", SearchQuery.of("phantom")).total(), "nothing of the old index is left");
        SearchIndexer.catchUp(store, "acme", index);
        assertEquals(List.of("sentry:a", "sentry:b"), service.search("acme", SearchQuery.of("gateway")).hits().stream().map(SearchResult.Hit::eventId).toList());
        index.close();
        index = SearchIndex.open("acme", folder);
        assertEquals(2, index.indexedUpTo(), "an index of this layout is kept");
        assertEquals(2, service.search("acme", SearchQuery.of("gateway")).total());
    }
    /** The position of the index's last commit, read from its files as a restarted server would. */
    long committedUpTo(Path folder) throws Exception {
        try (var directory = FSDirectory.open(folder); var reader = org.apache.lucene.index.DirectoryReader.open(directory)) {
            return Long.parseLong(reader.getIndexCommit().getUserData().getOrDefault("charter.indexedUpTo", "0"));
        }
    }

    @Test
    void addedEventsAreSearchableAtOnceAndCommittedAtMostOncePerInterval() throws Exception {
        Path folder = dir.resolve("search");
        append(List.of(new Ev("a", "sentry", 0, 10, Set.of("gateway"), null, 0)));
        SearchIndexer.catchUp(store, "acme", index);
        index.commit();
        assertEquals(1, committedUpTo(folder));
        append(List.of(new Ev("b", "sentry", 1, 10, Set.of("gateway"), null, 0)));
        SearchIndexer.catchUp(store, "acme", index);
        assertEquals(2, index.indexedUpTo());
        assertEquals(2, service.search("acme", SearchQuery.of("gateway")).total(), "searchable before any commit");
        index.commitIfDue();
        assertEquals(1, committedUpTo(folder), "no second commit within the commit interval");
        Thread.sleep(SearchIndex.COMMIT_EVERY_NANOS / 1_000_000 + 50);
        index.commitIfDue();
        assertEquals(2, committedUpTo(folder), "committed once the interval is over");
        append(List.of(new Ev("c", "sentry", 2, 10, Set.of("gateway"), null, 0)));
        SearchIndexer.catchUp(store, "acme", index);
        index.close();
        assertEquals(3, committedUpTo(folder), "closing commits what was added");
        index = SearchIndex.open("acme", folder);
        assertEquals(3, index.indexedUpTo());
    }
    /**
     * Found by the webhook fuzzer (seed 20261206): a Vercel delivery whose id was 194,150 bytes was
     * accepted, and its event could never be indexed (Lucene takes terms of at most 32,766 bytes), so
     * the tenant's search stopped at it for good. Such ids and entity keys are indexed by their digest.
     */
    @Test
    void anEventWithAHugeIdOrEntityKeyIsIndexedAndTheEventsAfterItToo() {
        String hugeId = "a".repeat(194_150);
        String hugeKey = "k".repeat(40_000);
        append(List.of(new Ev(hugeId, "vercel", 0, 10, Set.of("gateway"), hugeKey, 0)));
        append(List.of(new Ev("after", "vercel", 1, 10, Set.of("gateway"), "api", 0)));
        SearchIndexer.catchUp(store, "acme", index);
        assertEquals(2, index.indexedUpTo(), "the search goes on past the event");
        SearchResult r = service.search("acme", SearchQuery.of("gateway"));
        assertEquals(java.util.Set.of("vercel:" + hugeId, "vercel:after"), r.hits().stream().map(SearchResult.Hit::eventId).collect(java.util.stream.Collectors.toSet()));
        SearchResult byEntity = service.search("acme", new SearchQuery("", Set.of(), Set.of(), null, null, "service:" + hugeKey, false, 20));
        assertEquals(List.of("vercel:" + hugeId), byEntity.hits().stream().map(SearchResult.Hit::eventId).toList());
        SearchIndexer.catchUp(store, "acme", index);   // a replay replaces the document, by the same (digested) id
        assertEquals(2, service.search("acme", SearchQuery.of("gateway")).total());
    }
}
