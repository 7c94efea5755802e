package charter.engine.store;

import static charter.engine.store.StoreFixtures.at;
import static charter.engine.store.StoreFixtures.delivery;
import static charter.engine.store.StoreFixtures.mention;
import static charter.engine.store.StoreFixtures.relation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.ingest.Normalised.Claim;
import charter.engine.ingest.Normalised.Relation;
import charter.engine.ingest.RawDelivery;
import charter.engine.store.EventStore.EntityView;
import charter.engine.store.EventStore.EventQuery;
import charter.engine.store.EventStore.Ingested;
import charter.engine.store.EventStore.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store's contract, run on SQLite and on PostgreSQL (skipped without CHARTER_TEST_PG_URL). */
class EventStoreContractTest extends StoreContract {

    private static Ingested push(String id, int minute, String sha) {
        return delivery("github", id).type("push").time(at(minute))
                .data("ref", "refs/heads/main").data("forced", false).data("commits", 2.0)
                .ref("repository", "acme/api").ref("commit", sha)
                .mention(mention("repository", "acme/api", "default_branch", "main"))
                .mention(mention("commit", sha, "message", "fix " + id))
                .relation(relation("commit", sha, "part_of", "repository", "acme/api"))
                .build();
    }

    private List<StoredEvent> all(String tenant) {
        return store.events(tenant, EventQuery.all());
    }

    @Test
    void appendedEventsReadBackInLogOrderWithTheirRawDelivery() {
        byte[] body = "{\"zen\":\"Keep it logically awesome.\",\"ünïcode\":true}\n".getBytes(StandardCharsets.UTF_8);
        Ingested a = delivery("github", "d-1").type("push").time(at(0)).significance(40)
                .data("ref", "refs/heads/main").data("forced", true).data("commits", 3.0)
                .data("files", List.of("a.txt", "b.txt")).data("pushed_at", "2026-03-02T08:00:00Z")
                .ref("repository", "acme/api").ref("commit", "abc123").warning("unknown field x").body(body).build();
        Ingested b = delivery("vercel", "d-2").type("deployment.succeeded").time(at(1)).build();

        assertEquals(List.of("d-1", "d-2"), store.append("acme", List.of(a, b)));

        List<StoredEvent> events = all("acme");
        assertEquals(2, events.size());
        assertEquals(1, events.get(0).sequence());
        assertEquals(2, events.get(1).sequence());
        assertEquals("d-1", events.get(0).deliveryId());
        CanonicalEvent e = events.get(0).event();
        assertEquals(a.normalised().event(), e);
        assertEquals(Map.of("ref", "refs/heads/main", "forced", true, "commits", 3.0,
                "files", List.of("a.txt", "b.txt"), "pushed_at", "2026-03-02T08:00:00Z"), e.data());
        assertEquals(List.of(new EntityRef("repository", "acme/api"), new EntityRef("commit", "abc123")), e.entities());
        assertEquals(40, e.significance());
        assertNull(events.get(1).event().significance());
        assertEquals(at(0), e.time());   // microsecond precision survives

        RawDelivery raw = store.delivery("acme", "github", "d-1").orElseThrow();
        assertArrayEquals(body, raw.body());
        assertEquals("d-1", raw.header("x-delivery-id"));
        assertEquals(a.raw().headers(), raw.headers());
        assertTrue(store.delivery("acme", "vercel", "d-1").isEmpty());
    }

    @Test
    void largeAndIncompressibleBodiesComeBackByteForByte() {
        byte[] json = ("{\"commits\":[" + "{\"message\":\"fix the thing\",\"added\":[]},".repeat(2_000) + "{}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] noise = new byte[50_000];
        new java.util.Random(7).nextBytes(noise);
        store.append("acme", List.of(delivery("github", "big").body(json).build(),
                delivery("github", "noise").body(noise).build(), delivery("github", "empty").body(new byte[0]).build()));
        assertArrayEquals(json, store.delivery("acme", "github", "big").orElseThrow().body());
        assertArrayEquals(noise, store.delivery("acme", "github", "noise").orElseThrow().body());
        assertArrayEquals(new byte[0], store.delivery("acme", "github", "empty").orElseThrow().body());
    }

    /** A large batch is compressed on two threads: every body still comes back as its own, byte for byte. */
    @Test
    void everyBodyOfALargeBatchComesBackAsItsOwn() {
        List<Ingested> batch = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 101; i++) {
            byte[] body = i % 10 == 3 ? new byte[300 + i] : ("{\"n\":" + i + ",\"text\":\"" + "webhook ".repeat(40 + i) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            if (i % 10 == 3) random.nextBytes(body);   // incompressible: stored as it is
            bodies.add(body);
            batch.add(delivery("github", "b-" + i).body(body).build());
        }
        assertEquals(101, store.append("acme", batch).size());
        for (int i = 0; i < 101; i++) {
            assertArrayEquals(bodies.get(i), store.delivery("acme", "github", "b-" + i).orElseThrow().body(), "b-" + i);
        }
    }

    @Test
    void theSameBatchTwiceChangesNothing() throws Exception {
        List<Ingested> batch = List.of(push("d-1", 0, "aaa"), push("d-2", 1, "bbb"), push("d-3", 2, "aaa"));
        assertEquals(List.of("d-1", "d-2", "d-3"), store.append("acme", batch));
        List<StoredEvent> before = all("acme");
        EntityView repo = store.entity("acme", "repository", "acme/api").orElseThrow();

        assertEquals(List.of(), store.append("acme", batch));

        assertEquals(before, all("acme"));
        assertEquals(repo, store.entity("acme", "repository", "acme/api").orElseThrow());
        assertEquals(3, repo.occurrences());
        assertEquals(3, target.count("SELECT COUNT(*) FROM deliveries"));
        // the repository's default_branch is claimed three times with the same value by the same source:
        // stored once; each commit message differs from the one before, so all three are kept
        assertEquals(4, target.count("SELECT COUNT(*) FROM claims"));
    }

    @Test
    void onlyTheNewDeliveriesOfABatchAreWrittenAndSequencesStayGapFree() {
        store.append("acme", List.of(push("d-1", 0, "aaa"), push("d-2", 1, "bbb")));
        List<String> added = store.append("acme", List.of(push("d-2", 1, "bbb"), push("d-3", 2, "ccc"), push("d-3", 2, "ccc")));
        assertEquals(List.of("d-3"), added, "a duplicate inside one batch counts once");
        List<StoredEvent> events = all("acme");
        assertEquals(List.of(1L, 2L, 3L), events.stream().map(StoredEvent::sequence).toList());
        assertEquals(List.of("d-1", "d-2", "d-3"), events.stream().map(StoredEvent::deliveryId).toList());
        // the same delivery id from another source is another delivery
        assertEquals(List.of("d-1"), store.append("acme", List.of(delivery("linear", "d-1").build())));
    }

    @Test
    void everyQueryIsScopedToItsTenantAndDeleteTenantErasesOnlyThatTenant() {
        store.append("acme", List.of(push("d-1", 0, "aaa"), push("d-2", 1, "bbb")));
        assertEquals(List.of(), all("globex"));
        assertTrue(store.entity("globex", "commit", "aaa").isEmpty());
        assertEquals(List.of(), store.findEntities("globex", "aaa"));
        assertTrue(store.delivery("globex", "github", "d-1").isEmpty());

        // the same delivery id is new for another tenant, with its own sequence
        assertEquals(List.of("d-1"), store.append("globex", List.of(push("d-1", 5, "aaa"))));
        assertEquals(1, all("globex").getFirst().sequence());
        assertEquals(1, store.entity("globex", "commit", "aaa").orElseThrow().occurrences());
        assertEquals(1, store.entity("acme", "commit", "aaa").orElseThrow().occurrences());

        store.deleteTenant("acme");
        assertEquals(List.of(), all("acme"));
        assertTrue(store.entity("acme", "commit", "aaa").isEmpty());
        assertTrue(store.delivery("acme", "github", "d-1").isEmpty());
        assertEquals(1, all("globex").size());
        EntityView globex = store.entity("globex", "commit", "aaa").orElseThrow();
        assertEquals(1, globex.claims().size());
        assertEquals(1, globex.relations().size());
        assertTrue(store.delivery("globex", "github", "d-1").isPresent());

        // a deleted tenant starts over
        assertEquals(List.of("d-1"), store.append("acme", List.of(push("d-1", 0, "aaa"))));
        assertEquals(1, all("acme").getFirst().sequence());
    }

    @Test
    void entitiesAreUpsertedWithFirstAndLastSeenAndOccurrences() {
        // log order is not time order: the second batch holds the earliest event
        store.append("acme", List.of(push("d-1", 10, "aaa"), push("d-2", 30, "bbb")));
        store.append("acme", List.of(push("d-3", 5, "ccc")));
        // one event naming the repository as mention, reference and relation end counts once
        store.append("acme", List.of(delivery("github", "d-4").time(at(20)).ref("repository", "acme/api")
                .mention(mention("repository", "acme/api")).relation(relation("branch", "acme/api:main", "part_of",
                        "repository", "acme/api")).build()));

        EntityView repo = store.entity("acme", "repository", "acme/api").orElseThrow();
        assertEquals(4, repo.occurrences());
        assertEquals(at(5), repo.firstSeen());
        assertEquals(at(30), repo.lastSeen());
        EntityView branch = store.entity("acme", "branch", "acme/api:main").orElseThrow();
        assertEquals(1, branch.occurrences(), "a relation's end is an entity too");
        assertEquals(at(20), branch.firstSeen());
        assertTrue(store.entity("acme", "repository", "acme/web").isEmpty());
    }

    @Test
    void relationsAreStoredOnceAndSeenFromBothEnds() {
        Relation deploys = relation("deployment", "dpl_1", "deploys", "commit", "aaa");
        store.append("acme", List.of(
                delivery("vercel", "v-1").time(at(1)).relation(deploys).relation(deploys).build(),
                delivery("vercel", "v-2").time(at(2)).relation(deploys)
                        .relation(relation("deployment", "dpl_1", "part_of", "vercel_project", "api")).build()));
        store.append("acme", List.of(delivery("vercel", "v-3").time(at(3)).relation(deploys).build()));

        EntityView deployment = store.entity("acme", "deployment", "dpl_1").orElseThrow();
        assertEquals(List.of(deploys, relation("deployment", "dpl_1", "part_of", "vercel_project", "api")),
                deployment.relations());
        assertEquals(List.of(deploys), store.entity("acme", "commit", "aaa").orElseThrow().relations());
    }

    @Test
    void claimsKeepEveryValueInTimeOrderWithSourceAndEvent() {
        store.append("acme", List.of(
                delivery("github", "g-1").time(at(10)).mention(mention("deployment", "dpl_1", "status", "pending",
                        "environment", "production")).build(),
                delivery("vercel", "v-1").time(at(5)).mention(mention("deployment", "dpl_1", "status", "building")).build()));
        store.append("acme", List.of(
                delivery("vercel", "v-2").time(at(12)).mention(mention("deployment", "dpl_1", "status", "ready",
                        "duration_s", 42.5, "aliases", List.of("api.acme.dev"))).build(),
                delivery("github", "g-2").time(at(12)).mention(mention("deployment", "dpl_1", "status", "success")).build()));

        List<Claim> claims = store.entity("acme", "deployment", "dpl_1").orElseThrow().claims();
        assertEquals(List.of(
                        "building@vercel:v-1", "production@github:g-1", "pending@github:g-1", "[api.acme.dev]@vercel:v-2",
                        "42.5@vercel:v-2", "ready@vercel:v-2", "success@github:g-2"),
                claims.stream().map(c -> c.value() + "@" + c.eventId()).toList());
        Claim ready = claims.get(5);
        assertEquals(new Claim("deployment", "dpl_1", "status", "ready", "vercel", at(12), "vercel:v-2"), ready);

        TruthPolicy policy = TruthPolicy.builder().prefer("deployment", "status", "vercel", "github").build();
        assertEquals("ready", policy.values(claims).get("status"));
        assertEquals("success", TruthPolicy.latestWins().values(claims).get("status"));
    }

    private static Ingested status(String source, String id, int minute, String status) {
        return delivery(source, id).time(at(minute)).mention(mention("deployment", "dpl_1", "status", status)).build();
    }

    /**
     * A claim that says what its attribute's latest claim (by time, then log order) already says — same
     * value, same source — is not stored again; any other claim is. Truth resolves as it would with
     * every repeat stored.
     */
    @Test
    void aClaimRepeatingTheLatestClaimIsNotStoredAgainAndTruthIsUnchanged() {
        List<Ingested> first = List.of(status("vercel", "v-1", 10, "ready"), status("vercel", "v-2", 11, "ready"),
                status("github", "g-1", 12, "success"));
        List<Ingested> second = List.of(status("vercel", "v-3", 13, "ready"), status("vercel", "v-4", 14, "ready"),
                status("vercel", "v-5", 5, "ready"), status("github", "g-2", 9, "success"));
        store.append("acme", first);
        store.append("acme", second);

        EntityView d = store.entity("acme", "deployment", "dpl_1").orElseThrow();
        // v-2 and v-4 repeat the latest claim; v-5 is older than the latest, which says the same; g-2 is
        // older too, but the latest (v-3) is another source's, so it is kept
        assertEquals(List.of("success@github:g-2", "ready@vercel:v-1", "success@github:g-1", "ready@vercel:v-3"),
                d.claims().stream().map(c -> c.value() + "@" + c.eventId()).toList());
        assertEquals(7, d.occurrences(), "every event still counts");
        assertEquals(at(14), d.lastSeen());
        assertEquals(List.of("github:g-2", "vercel:v-1", "github:g-1", "vercel:v-3").stream().sorted().toList(),
                store.citations("acme", "deployment", "dpl_1").stream().map(e -> e.event().id()).sorted().toList());

        // every claim as it was made, as the store would have kept them all
        List<Claim> every = new ArrayList<>();
        for (Ingested in : concat(first, second)) {
            CanonicalEvent e = in.normalised().event();
            every.add(new Claim("deployment", "dpl_1", "status", in.normalised().mentions().getFirst().claims().get("status"),
                    e.source(), e.time(), e.id()));
        }
        for (TruthPolicy policy : List.of(TruthPolicy.latestWins(),
                TruthPolicy.builder().prefer("deployment", "status", "github", "vercel").build(),
                TruthPolicy.builder().prefer("deployment", "status", "vercel", "github").build())) {
            Claim all = policy.resolve(every).get("status");
            Claim kept = policy.resolve(d.claims()).get("status");
            assertEquals(all.value() + "@" + all.source(), kept.value() + "@" + kept.source(), policy.toString());
        }
        // a change of value is always kept, and so is a source's first say
        store.append("acme", List.of(status("vercel", "v-6", 15, "error"), status("sentry", "s-1", 16, "error")));
        assertEquals(List.of("ready@vercel:v-3", "error@vercel:v-6", "error@sentry:s-1"),
                store.entity("acme", "deployment", "dpl_1").orElseThrow().claims().stream().skip(3)
                        .map(c -> c.value() + "@" + c.eventId()).toList());
    }

    private static List<Ingested> concat(List<Ingested> a, List<Ingested> b) {
        List<Ingested> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void eventsFilterByTypeSourceAndTimeAndPageBySequence() {
        List<Ingested> batch = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String source = i % 3 == 0 ? "vercel" : "github";
            batch.add(delivery(source, "d-" + i).type(i % 2 == 0 ? "pull_request" : "push").time(at(i)).build());
        }
        store.append("acme", batch);

        assertEquals(List.of(2L, 4L, 6L, 8L, 10L, 12L), seqs(new EventQuery(null, "pull_request", null, 0, 100)));
        assertEquals(List.of(3L, 6L, 9L, 12L), seqs(new EventQuery(null, null, "vercel", 0, 100)));
        assertEquals(List.of(6L, 12L), seqs(new EventQuery(null, "pull_request", "vercel", 0, 100)));
        assertEquals(List.of(10L, 11L, 12L), seqs(new EventQuery(at(10), null, null, 0, 100)));
        assertEquals(List.of(), seqs(new EventQuery(null, "deployment", null, 0, 100)));
        assertEquals(List.of(), seqs(new EventQuery(null, null, null, 0, 0)));

        List<Long> paged = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Long> page = seqs(new EventQuery(null, null, null, after, 5));
            if (page.isEmpty()) break;
            assertTrue(page.size() <= 5);
            paged.addAll(page);
            after = page.getLast();
        }
        assertEquals(seqs(EventQuery.all()), paged);
        assertEquals(12, paged.size());
        assertEquals(List.of(8L, 10L), seqs(new EventQuery(null, "pull_request", null, 7, 2)));
    }

    @Test
    void deliveriesPreparedAheadOnManyThreadsAreStoredAsTheyWouldBeOtherwise() throws Exception {
        byte[] big = ("{\"padding\":\"" + "x".repeat(4_000) + "\"}").getBytes(StandardCharsets.UTF_8);   // deflated
        List<Ingested> plain = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            plain.add(delivery(i % 2 == 0 ? "github" : "vercel", "d-" + i).type("pull_request").data("n", (double) i)
                    .ref("repo", "acme/api").mention(mention("repo", "acme/api", "name", "api-" + i))
                    .body(i % 3 == 0 ? big : null).build());
        }
        List<Ingested> ahead;
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<Ingested>> futures = new ArrayList<>();
            for (int i = 0; i < plain.size(); i++) {
                Ingested in = plain.get(i);
                futures.add(threads.submit(() -> in.raw().source().equals("github") ? store.prepare(in) : in));   // half of them
            }
            ahead = new ArrayList<>();
            for (var f : futures) ahead.add(f.get());
        }
        assertTrue(ahead.stream().anyMatch(in -> in.prepared() != null));
        store.append("acme", ahead);
        store.append("other", plain);

        assertEquals(store.events("other", EventQuery.all()).stream().map(e -> e.event()).toList(),
                store.events("acme", EventQuery.all()).stream().map(e -> e.event()).toList());
        for (Ingested in : plain) {
            String source = in.raw().source(), id = in.normalised().deliveryId();
            assertArrayEquals(in.raw().body(), store.delivery("acme", source, id).orElseThrow().body());
            assertEquals(store.delivery("other", source, id).orElseThrow().headers(), store.delivery("acme", source, id).orElseThrow().headers());
        }
        assertEquals(store.entity("other", "repo", "acme/api").orElseThrow().claims().stream().map(c -> c.value()).toList(),
                store.entity("acme", "repo", "acme/api").orElseThrow().claims().stream().map(c -> c.value()).toList());
    }

    @Test
    void entriesNameTheEventsOfTheLogInOrderAndStayInTheirTenant() {
        store.append("acme", List.of(delivery("github", "d-1").build(), delivery("vercel", "d-2").build(),
                delivery("github", "d-1").build()));   // a duplicate takes no place in the log
        store.append("other", List.of(delivery("github", "o-1").build()));
        store.append("acme", List.of(delivery("linear", "d-3").build()));

        List<EventStore.LogEntry> all = store.entries("acme", 0, 100);
        assertEquals(store.events("acme", EventQuery.all()).stream().map(e -> new EventStore.LogEntry(e.sequence(), e.event().id())).toList(), all);
        assertEquals(List.of("github:d-1", "vercel:d-2", "linear:d-3"), all.stream().map(EventStore.LogEntry::eventId).toList());
        assertEquals(all.subList(1, 2), store.entries("acme", all.getFirst().sequence(), 1));
        assertEquals(List.of(), store.entries("acme", all.getLast().sequence(), 100));
        assertEquals(List.of("github:o-1"), store.entries("other", 0, 100).stream().map(EventStore.LogEntry::eventId).toList());
    }

    private List<Long> seqs(EventQuery q) {
        return store.events("acme", q).stream().map(StoredEvent::sequence).toList();
    }

    @Test
    void findEntitiesMatchesAKeyAcrossTypesAndAShortShaByPrefix() {
        String sha = "9f3c2a1b7e5d4c3b2a19f8e7d6c5b4a392817161";
        store.append("acme", List.of(delivery("github", "d-1").mention(mention("commit", sha))
                .mention(mention("release", sha)).mention(mention("commit", "other")).build()));
        assertEquals(List.of("commit", "release"), store.findEntities("acme", sha).stream().map(EntityView::type).toList());
        assertEquals(List.of("commit", "release"),
                store.findEntities("acme", "9f3c2a1").stream().map(EntityView::type).toList());
        assertEquals(List.of(), store.findEntities("acme", "nothing"));
    }

    @Test
    void aFailedBatchLeavesTheLogUnchanged() throws Exception {
        store.append("acme", List.of(push("d-1", 0, "aaa")));
        List<StoredEvent> before = all("acme");
        Ingested good = push("d-2", 1, "bbb");
        // a relation without a kind violates NOT NULL in the middle of the transaction
        Ingested bad = delivery("github", "d-3").relation(new Relation("commit", "ccc", null, "repository", "acme/api")).build();

        StoreException e = assertThrows(StoreException.class, () -> store.append("acme", List.of(good, bad)));
        assertTrue(e.getMessage().contains("append"), e.getMessage());

        assertEquals(before, all("acme"));
        assertTrue(store.delivery("acme", "github", "d-2").isEmpty());
        assertTrue(store.entity("acme", "commit", "bbb").isEmpty());
        assertEquals(1, target.count("SELECT COUNT(*) FROM deliveries"));
        assertEquals(1, target.count("SELECT next_seq FROM tenants WHERE tenant = 'acme'") - 1);
        // the store is still usable and the good delivery is still new
        assertEquals(List.of("d-2"), store.append("acme", List.of(good)));
        assertEquals(List.of(1L, 2L), all("acme").stream().map(StoredEvent::sequence).toList());
    }

    @Test
    void aDeliveryWithoutAnIdIsRefusedBeforeAnythingIsWritten() {
        Ingested noId = delivery("github", "").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.append("acme", List.of(push("d-1", 0, "aaa"), noId)));
        assertTrue(e.getMessage().contains("no delivery id"), e.getMessage());
        assertEquals(List.of(), all("acme"));
        assertThrows(IllegalArgumentException.class, () -> store.events(" ", EventQuery.all()));
    }
}
