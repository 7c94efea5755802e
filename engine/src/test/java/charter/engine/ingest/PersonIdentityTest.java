package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.event.EntityRef;
import charter.engine.store.EventStore;
import charter.engine.store.EventStore.EntityView;
import charter.engine.store.EventStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Person identity stored as same_person links, from real corpus payloads, into a real SQLite store. */
class PersonIdentityTest {

    /** The commit author of github/push/push.noaction.4.json, as GitHub gives it. */
    static final String CODERTOCAT_EMAIL = "21031067+Codertocat@users.noreply.github.com";
    static final String CANONICAL_EMAIL = "21031067+codertocat@users.noreply.github.com";

    @TempDir
    Path data;

    /** linear/ProjectUpdateCreated.json with the update's author carrying the Codertocat email, as Linear user objects do. */
    static RawDelivery linearUpdateByCodertocat() {
        String body = new String(Corpus.read("linear/ProjectUpdateCreated.json"), StandardCharsets.UTF_8)
                .replace("\"name\": \"Rick Astley\"", "\"name\": \"Rick Astley\", \"email\": \"" + CODERTOCAT_EMAIL + "\"");
        return new RawDelivery("linear", Map.of("Linear-Delivery", "ld-identity"), body.getBytes(StandardCharsets.UTF_8), Corpus.RECEIVED);
    }

    static Set<String> incoming(EntityView v, String kind) {
        return v.relations().stream().filter(r -> r.kind().equals(kind) && r.toKey().equals(v.key()))
                .map(r -> r.fromType() + ":" + r.fromKey()).collect(Collectors.toSet());
    }

    Ingestor ingestor(EventStore store, PersonIdentity identity) {
        Ingestor.Builder b = Ingestor.builder(store).clock(Clock.fixed(Corpus.RECEIVED, ZoneOffset.UTC));
        return identity == null ? b.build() : b.identity(identity).build();
    }

    @Test
    void theSameEmailAsAGithubCommitAuthorAndALinearUserIsOnePerson() {
        RawDelivery push = Corpus.delivery("github/push/push.noaction.4.json");
        RawDelivery linear = linearUpdateByCodertocat();
        try (EventStore store = EventStores.open(data.toString())) {
            IngestReport r = ingestor(store, null).ingest("acme", List.of(new LabeledDelivery("push", push),
                    new LabeledDelivery("linear", linear)));
            assertEquals(2, r.accepted().size(), r.rejected().toString());

            EntityView person = store.entity("acme", "person", CANONICAL_EMAIL).orElseThrow();
            assertEquals(Set.of("person:Codertocat", "person:" + CODERTOCAT_EMAIL), incoming(person, PersonIdentity.SAME_PERSON));
            assertEquals(2, person.occurrences(), "mentioned by both deliveries");
            // the GitHub login claims the email it was seen with; the Linear user keeps its own claims
            EntityView login = store.entity("acme", "person", "Codertocat").orElseThrow();
            assertTrue(login.claims().stream().anyMatch(c -> c.attribute().equals("email") && c.value().equals(CODERTOCAT_EMAIL)
                    && c.source().equals("github")), login.claims().toString());
            EntityView linearUser = store.entity("acme", "person", CODERTOCAT_EMAIL).orElseThrow();
            assertTrue(linearUser.claims().stream().anyMatch(c -> c.attribute().equals("linear")
                    && c.value().equals("b552c442-62c9-40da-9932-ed8cb6e15a3f")), linearUser.claims().toString());
        }
    }

    @Test
    void withAProgramPeopleAreLinkedToItsPersonBlocks() throws DeliveryException {
        CompiledProgram program = IngestorTest.compile("""
                program "t"
                person coder { github "codertocat"  sentry "person@example.com" }
                """);
        PersonIdentity identity = PersonIdentity.of(program);
        // a login, matched case-insensitively as person() matches it
        Normalised push = identity.link(NormaliserMappingTest.norm("github/push/push.noaction.4.json"));
        assertTrue(LinkingTest.rel(push, "person:Codertocat", PersonIdentity.SAME_PERSON, "person:coder"), push.relations().toString());
        assertTrue(LinkingTest.rel(push, "person:Codertocat", PersonIdentity.SAME_PERSON, "person:" + CANONICAL_EMAIL));
        assertTrue(push.event().entities().contains(new EntityRef("person", "coder")), "the canonical person is mentioned");
        // a Sentry assignee by email
        Normalised assigned = identity.link(new SentryNormaliser().normalise(Corpus.delivery("sentry/example-app/issue.assigned.json")));
        assertTrue(LinkingTest.rel(assigned, "person:person@example.com", PersonIdentity.SAME_PERSON, "person:coder"),
                assigned.relations().toString());

        try (EventStore store = EventStores.open(data.toString())) {
            ingestor(store, identity).ingest("acme", List.of(
                    new LabeledDelivery("push", Corpus.delivery("github/push/push.noaction.4.json")),
                    new LabeledDelivery("sentry", Corpus.delivery("sentry/example-app/issue.assigned.json"))));
            EntityView coder = store.entity("acme", "person", "coder").orElseThrow();
            assertEquals(Set.of("person:Codertocat", "person:person@example.com"), incoming(coder, PersonIdentity.SAME_PERSON));
            assertEquals(2, store.citations("acme", "person", "coder").size(), "both events back the links");
        }
        // without the Program, the login has only its email to go by
        Normalised plain = PersonIdentity.byEmail().link(NormaliserMappingTest.norm("github/push/push.noaction.4.json"));
        assertTrue(plain.relations().stream().noneMatch(r -> r.toKey().equals("coder")));
    }

    @Test
    void aCommitAuthorWithoutAGithubLoginIsKeyedByEmail() throws DeliveryException {
        String body = new String(Corpus.read("github/push/push.noaction.4.json"), StandardCharsets.UTF_8)
                .replace(",\n        \"username\": \"Codertocat\"", "").replace(",\n      \"username\": \"Codertocat\"", "");
        Normalised n = PersonIdentity.byEmail().link(new GithubNormaliser().normalise(Corpus.github("push", body)));
        String sha = n.event().getString("sha");
        assertTrue(LinkingTest.rel(n, "commit:" + sha, "authored_by", "person:" + CODERTOCAT_EMAIL), n.relations().toString());
        assertTrue(LinkingTest.rel(n, "person:" + CODERTOCAT_EMAIL, PersonIdentity.SAME_PERSON, "person:" + CANONICAL_EMAIL));
        Normalised.Mention author = n.mentions().stream().filter(m -> m.key().equals(CODERTOCAT_EMAIL)).findFirst().orElseThrow();
        assertEquals(Map.of("email", CODERTOCAT_EMAIL, "name", "Codertocat"), author.claims(), "no GitHub login is claimed for it");
    }

    @Test
    void nothingIsAddedWhenNoPersonHasAnEmailOrAProgramEntry() throws DeliveryException {
        Normalised pr = NormaliserMappingTest.norm("github/pull_request/pull_request.opened.0.json");
        assertSame(pr, PersonIdentity.byEmail().link(pr));
        CompiledProgram program = IngestorTest.compile("""
                program "t"
                person alice { github "alice-gh" }
                """);
        assertSame(pr, PersonIdentity.of(program).link(pr));
    }

    @Test
    void linksCountTowardTheFiftyEntitiesOfAnEvent() {
        List<Normalised.Mention> mentions = new java.util.ArrayList<>();
        for (int i = 0; i < Normalised.MAX_ENTITIES; i++) {
            mentions.add(new Normalised.Mention("person", "u" + i, Map.of("email", "u" + i + "@acme.dev")));
        }
        List<EntityRef> refs = mentions.stream().map(m -> new EntityRef(m.type(), m.key())).toList();
        Normalised full = new Normalised("d", new charter.engine.event.CanonicalEvent("github:d", "github", "github.push",
                Corpus.RECEIVED, Map.of(), refs, null), mentions, List.of(), List.of());
        Normalised linked = PersonIdentity.byEmail().link(full);
        assertEquals(Normalised.MAX_ENTITIES, linked.mentions().size());
        assertEquals(Normalised.MAX_ENTITIES, linked.event().entities().size());
        assertTrue(linked.relations().isEmpty());
        assertEquals(List.of("50 identity links left out: at most 50 entities per event"), linked.warnings());
    }
}
