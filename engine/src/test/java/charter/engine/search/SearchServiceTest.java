package charter.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.RawDelivery;
import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search over a real SQLite log, each tenant with its own Lucene index folder. */
class SearchServiceTest {
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path dir;
    EventStore store;
    final Map<String, SearchIndex> indexes = new HashMap<>();
    SearchService service;

    @BeforeEach
    void open() {
        store = EventStores.open(dir.resolve("data").toString());
        service = new SearchService(this::index, store);
    }

    @AfterEach
    void close() {
        indexes.values().forEach(SearchIndex::close);
        store.close();
    }

    SearchIndex index(String tenant) {
        SearchIndex index = indexes.computeIfAbsent(tenant, t -> SearchIndex.open(t, dir.resolve("search").resolve(t)));
        SearchIndexer.catchUp(store, tenant, index);
        return index;
    }

    record Ev(String id, String source, String type, int minute, Integer significance, Map<String, Object> data,
              List<EntityRef> refs, List<Normalised.Relation> relations) {}

    static Ev ev(String id, String source, String type, int minute, Object... fields) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) data.put((String) fields[i], fields[i + 1]);
        return new Ev(id, source, type, minute, null, data, new ArrayList<>(), new ArrayList<>());
    }

    static Ev withRef(Ev e, String type, String key) {
        e.refs().add(new EntityRef(type, key));
        return e;
    }

    void append(String tenant, Ev... events) {
        List<EventStore.Ingested> batch = new ArrayList<>();
        for (Ev e : events) {
            Instant time = T0.plusSeconds(60L * e.minute());
            RawDelivery raw = new RawDelivery(e.source(), Map.of("X-Delivery-Id", e.id()), "{}".getBytes(StandardCharsets.UTF_8), time);
            CanonicalEvent event = new CanonicalEvent(e.source() + ":" + e.id(), e.source(), e.type(), time, e.data(), e.refs(), e.significance());
            batch.add(new EventStore.Ingested(raw, new Normalised(e.id(), event, List.of(), e.relations(), List.of())));
        }
        store.append(tenant, batch);
    }

    void company() {
        Ev deploy = withRef(ev("dep-1", "vercel", "vercel.deployment.error", 10, "project", "api", "target", "production",
                "message", "Build failed: checkout timeout", "url", "https://api-8f2k.vercel.app",
                "inspector_url", "https://vercel.com/acme/api/dpl_8f2k"), "deployment", "dpl_8f2k");
        deploy.relations().add(new Normalised.Relation("deployment", "dpl_8f2k", "built_from", "commit", "4f1c9e2"));
        Ev push = withRef(ev("push-1", "github", "github.push", 5, "repo", "acme/api", "head_commit_message",
                "Fix checkout flow for invoices", "pusher", "alice-chen"), "commit", "4f1c9e2");
        Ev fatal = ev("iss-1", "sentry", "sentry.issue.created", 20, "title", "TypeError: checkout total is undefined",
                "level", "fatal", "project", "api", "url", "https://acme.sentry.io/issues/42/");
        Ev linear = ev("lin-1", "linear", "linear.issue.created", 30, "title", "Customers cannot pay invoices",
                "url", "https://linear.app/acme/issue/ENG-7");
        append("acme", push, deploy, fatal, linear);
    }

    @Test
    void aHitCitesTheEventItsLinkAndTheMatchedText() {
        company();
        SearchResult r = service.search("acme", SearchQuery.of("checkout timeout"));
        assertEquals("vercel:dep-1", r.hits().getFirst().eventId());
        SearchResult.Hit hit = r.hits().getFirst();
        assertEquals("https://vercel.com/acme/api/dpl_8f2k", hit.link(), "a deployment cites its dashboard page");
        assertTrue(hit.matched().contains("**checkout**") && hit.matched().contains("**timeout**"), hit.matched());
        assertEquals(List.of("deployment:dpl_8f2k"), hit.entities());
        assertEquals(3, r.total(), "every event with `checkout` matches; the one with both words ranks first");
        assertEquals("https://acme.sentry.io/issues/42/", service.search("acme", SearchQuery.of("TypeError")).hits().getFirst().link());
        assertEquals("https://linear.app/acme/issue/ENG-7", service.search("acme", SearchQuery.of("pay")).hits().getFirst().link());
        // Stemmed: "invoice" finds "invoices"; people and keys are words too.
        assertEquals(2, service.search("acme", SearchQuery.of("invoice")).total());
        assertEquals("github:push-1", service.search("acme", SearchQuery.of("alice-chen")).hits().getFirst().eventId());
        assertEquals("github:push-1", service.search("acme", SearchQuery.of("4f1c9e2")).hits().getFirst().eventId());
    }

    @Test
    void filtersBySourceTypeTimeAndEntity() {
        company();
        assertEquals(List.of("sentry:iss-1"), ids(new SearchQuery("checkout", Set.of("sentry"), Set.of(), null, null, null, false, 10)));
        assertEquals(List.of("github:push-1"), ids(new SearchQuery("checkout", Set.of(), Set.of("github.push"), null, null, null, false, 10)));
        assertEquals(List.of("vercel:dep-1"), ids(new SearchQuery("checkout", Set.of(), Set.of(), T0.plusSeconds(600), T0.plusSeconds(1200), null, false, 10)));
        assertEquals(List.of("github:push-1"), ids(new SearchQuery("checkout", Set.of(), Set.of(), null, null, "commit:4f1c9e2", false, 10)));
        assertEquals(List.of("github:push-1"), ids(new SearchQuery("", Set.of(), Set.of(), null, null, "commit:4f1c9e2", false, 10)));
    }

    private List<String> ids(SearchQuery q) {
        return service.search("acme", q).hits().stream().map(SearchResult.Hit::eventId).toList();
    }

    @Test
    void amongEqualMatchesTheRecentAndTheSignificantComeFirst() {
        Ev old = ev("a", "sentry", "sentry.issue.created", 0, "title", "payment gateway down");
        Ev recent = ev("b", "sentry", "sentry.issue.created", 60 * 24 * 14, "title", "payment gateway down");
        append("acme", old, recent);
        assertEquals(List.of("sentry:b", "sentry:a"), ids(SearchQuery.of("gateway")));
        Ev loud = new Ev("c", "sentry", "sentry.issue.created", 0, 100, Map.of("title", "disk quota full"), List.of(), List.of());
        Ev quiet = new Ev("d", "sentry", "sentry.issue.created", 0, 0, Map.of("title", "disk quota full"), List.of(), List.of());
        append("acme", quiet, loud);
        assertEquals(List.of("sentry:c", "sentry:d"), ids(SearchQuery.of("quota")));
    }

    @Test
    void expandingFollowsTheGraphAroundADeployment() {
        company();
        SearchResult r = service.search("acme", new SearchQuery("", Set.of(), Set.of(), null, null, "deployment:dpl_8f2k", true, 10));
        assertEquals(List.of("vercel:dep-1"), r.hits().stream().map(SearchResult.Hit::eventId).toList());
        assertEquals(List.of("github:push-1"), r.around().stream().map(SearchResult.Hit::eventId).toList());
        assertEquals("deployment:dpl_8f2k -built_from-> commit:4f1c9e2", r.around().getFirst().via());
        assertTrue(service.search("acme", SearchQuery.of("checkout")).around().isEmpty(), "no expansion unless asked");
    }

    @Test
    void theIndexIsRebuiltFromTheLogWhenMissingOrCorrupt() throws IOException {
        company();
        List<String> before = ids(SearchQuery.of("checkout"));
        indexes.remove("acme").close();
        Path folder = dir.resolve("search").resolve("acme");
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) if (f.getFileName().toString().startsWith("segments")) Files.write(f, new byte[]{1, 2, 3});
        }
        assertEquals(before, ids(SearchQuery.of("checkout")), "a corrupt index is replaced and refilled");
        indexes.remove("acme").close();
        deleteTree(folder);
        assertEquals(before, ids(SearchQuery.of("checkout")), "a missing index is refilled");
        assertEquals(store.entries("acme", 0, 100).getLast().sequence(), index("acme").indexedUpTo());
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    @Test
    void noTenantFindsAnotherTenantsWords() {
        Random random = new Random(2);
        List<String> acmeWords = new ArrayList<>();
        List<String> globexWords = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String a = word(random);
            String g = word(random);
            acmeWords.add(a);
            globexWords.add(g);
            append("acme", ev("a" + i, "linear", "linear.issue.created", i, "title", a));
            append("globex", ev("g" + i, "linear", "linear.issue.created", i, "title", g));
        }
        for (String w : acmeWords) {
            assertEquals(1, service.search("acme", SearchQuery.of(w)).total(), w);
            assertEquals(globexWords.contains(w) ? 1 : 0, service.search("globex", SearchQuery.of(w)).total(), w);
            for (SearchResult.Hit h : service.search("globex", SearchQuery.of(w)).hits()) assertTrue(h.eventId().startsWith("linear:g"));
        }
    }

    private static String word(Random random) {
        StringBuilder s = new StringBuilder("w");
        for (int i = 0; i < 8; i++) s.append((char) ('a' + random.nextInt(26)));
        return s.toString();
    }

    @Test
    void anyQueryTextIsAnsweredOrRefusedInWordsNeverAnError() {
        company();
        String alphabet = "ab \"*-+|~()[]{}:\\/^!?&'@#$%.,;<>=\u0000\u00e9\u4e2d\ud83d\ude00 AND OR NOT checkout";
        Random random = new Random(7);
        for (int i = 0; i < 400; i++) {
            StringBuilder q = new StringBuilder();
            int n = 1 + random.nextInt(40);
            for (int j = 0; j < n; j++) q.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String text = q.toString();
            try {
                SearchResult r = service.search("acme", SearchQuery.of(text));
                assertTrue(r.total() >= 0);
            } catch (BadSearchQuery e) {
                assertEquals("invalid_query", e.code(), text);   // only a query of nothing but blanks
                assertTrue(text.isBlank(), text);
            }
        }
        BadSearchQuery tooLong = assertThrows(BadSearchQuery.class, () -> service.search("acme", SearchQuery.of("a ".repeat(600))));
        assertTrue(tooLong.getMessage().contains("at most 1000"), tooLong.getMessage());
        assertTrue(service.search("acme", SearchQuery.of("w| ".repeat(333))).hits().isEmpty(), "the longest query allowed is answered");
        assertNull(SearchQuery.of("checkout").problem());
        assertThrows(BadSearchQuery.class, () -> service.search("acme", new SearchQuery("x", Set.of(), Set.of(), null, null, "nocolon", false, 10)));
        assertThrows(BadSearchQuery.class, () -> service.search("acme", new SearchQuery("x", Set.of(), Set.of(), null, null, null, false, 0)));
    }
}
