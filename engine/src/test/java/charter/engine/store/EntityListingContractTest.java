package charter.engine.store;

import static charter.engine.store.StoreFixtures.at;
import static charter.engine.store.StoreFixtures.delivery;
import static charter.engine.store.StoreFixtures.mention;
import static charter.engine.store.StoreFixtures.relation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import charter.engine.ingest.Normalised.Relation;
import charter.engine.store.EventStore.Edge;
import charter.engine.store.EventStore.EntityQuery;
import charter.engine.store.EventStore.EntitySummary;
import charter.engine.store.EventStore.KeyMatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's entity listing ({@link EventStore#entities}) and bounded relations
 * ({@link EventStore#relations}), on SQLite and PostgreSQL (skipped without CHARTER_TEST_PG_URL),
 * in the style of {@link EventStoreContractTest}.
 */
class EntityListingContractTest extends StoreContract {

    @BeforeEach
    void open() throws Exception {
        // acme: 3 commits, 2 repositories, 1 deployment; globex: one commit of the same key
        store.append("acme", List.of(
                delivery("github", "g-1").time(at(1)).mention(mention("commit", "abc111", "message", "one"))
                        .relation(relation("commit", "abc111", "part_of", "repository", "acme/api")).build(),
                delivery("github", "g-2").time(at(2)).mention(mention("commit", "abc222", "message", "two"))
                        .relation(relation("commit", "abc222", "part_of", "repository", "acme/api")).build(),
                delivery("github", "g-3").time(at(3)).mention(mention("commit", "ABD333", "message", "three"))
                        .relation(relation("commit", "ABD333", "part_of", "repository", "acme/Web_app")).build(),
                delivery("vercel", "v-1").time(at(4)).mention(mention("deployment", "dpl_1", "status", "ready"))
                        .relation(relation("deployment", "dpl_1", "deploys", "commit", "abc111")).build()));
        store.append("globex", List.of(delivery("github", "x-1").time(at(9)).mention(mention("commit", "abc111")).build()));
    }


    private List<String> ids(List<EntitySummary> page) {
        return page.stream().map(e -> e.type() + ":" + e.key()).toList();
    }

    @Test
    void entitiesListInTypeAndKeyOrderWithTheirSeenTimesAndOccurrences() {
        List<EntitySummary> all = store.entities("acme", EntityQuery.all());
        assertEquals(List.of("commit:ABD333", "commit:abc111", "commit:abc222", "deployment:dpl_1",
                "repository:acme/Web_app", "repository:acme/api"), ids(all));
        EntitySummary abc111 = all.get(1);
        assertEquals(at(1), abc111.firstSeen());
        assertEquals(at(4), abc111.lastSeen(), "the deployment's relation names it too");
        assertEquals(2, abc111.occurrences());
        assertEquals(List.of("commit:abc111"), ids(store.entities("globex", EntityQuery.all())), "scoped to the tenant");
        assertEquals(List.of(), store.entities("nobody", EntityQuery.all()));
    }

    @Test
    void entitiesFilterByTypeAndByExactPrefixOrContainedKey() {
        assertEquals(List.of("repository:acme/Web_app", "repository:acme/api"),
                ids(store.entities("acme", new EntityQuery("repository", null, null, null, null, 10))));
        assertEquals(List.of("commit:abc111"),
                ids(store.entities("acme", new EntityQuery(null, "abc111", KeyMatch.EXACT, null, null, 10))));
        assertEquals(List.of("commit:abc111", "commit:abc222"),
                ids(store.entities("acme", new EntityQuery(null, "abc", KeyMatch.PREFIX, null, null, 10))));
        assertEquals(List.of("commit:ABD333", "commit:abc111", "commit:abc222"),
                ids(store.entities("acme", new EntityQuery("commit", "ab", KeyMatch.CONTAINS, null, null, 10))),
                "contains ignores case");
        // LIKE's wildcards are data: `_` matches an underscore only
        assertEquals(List.of("repository:acme/Web_app"),
                ids(store.entities("acme", new EntityQuery(null, "b_a", KeyMatch.CONTAINS, null, null, 10))));
        assertEquals(List.of(), store.entities("acme", new EntityQuery(null, "%", KeyMatch.CONTAINS, null, null, 10)));
        assertEquals(List.of(), store.entities("acme", new EntityQuery("commit", "dpl", KeyMatch.CONTAINS, null, null, 10)));
    }

    @Test
    void pagesFollowTheCursorWithoutGapsOrRepeats() {
        List<String> seen = new ArrayList<>();
        String afterType = null;
        String afterKey = null;
        int pages = 0;
        while (true) {
            List<EntitySummary> page = store.entities("acme", new EntityQuery(null, null, null, afterType, afterKey, 4));
            seen.addAll(ids(page));
            pages++;
            if (page.size() < 4) break;
            afterType = page.getLast().type();
            afterKey = page.getLast().key();
        }
        assertEquals(2, pages);
        assertEquals(ids(store.entities("acme", EntityQuery.all())), seen);
        assertEquals(List.of(), store.entities("acme", new EntityQuery(null, null, null, "repository", "acme/api", 0)));
        assertThrows(IllegalArgumentException.class, () -> new EntityQuery(null, null, null, "commit", null, 1));
    }

    @Test
    void relationsAreBoundedInFirstAssertedOrderWithTheirEvent() {
        List<Edge> edges = store.relations("acme", "commit", "abc111", 10);
        Relation partOf = relation("commit", "abc111", "part_of", "repository", "acme/api");
        Relation deploys = relation("deployment", "dpl_1", "deploys", "commit", "abc111");
        assertEquals(List.of(new Edge(partOf, "github:g-1"), new Edge(deploys, "vercel:v-1")), edges);
        assertEquals(List.of(new Edge(partOf, "github:g-1")), store.relations("acme", "commit", "abc111", 1));
        assertEquals(2, store.relations("acme", "repository", "acme/api", 10).size());
        assertEquals(List.of(), store.relations("globex", "commit", "abc111", 10), "scoped to the tenant");
        assertEquals(List.of(), store.relations("acme", "commit", "abc111", 0));
    }
}
