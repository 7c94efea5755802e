package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EntityTypeSpec;
import charter.engine.event.EventValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every payload of the corpus normalises into a catalog-valid event with valid mentions and relations. */
class CorpusTest {

    static final Set<String> KINDS = Set.of("deploys", "resolves", "same_commit", "fixes", "references", "tracked_in",
            "triggers", "authored_by", "assigned_to", "belongs_to", "part_of");

    private static final Catalog CATALOG = Catalog.standard();
    private static final EventValidator VALIDATOR = new EventValidator(CATALOG);

    static Stream<Path> payloads() {
        return Corpus.payloads().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void normalisesIntoACatalogValidEvent(Path file) throws DeliveryException {
        RawDelivery d = Corpus.delivery(file);
        Normalised n = Normalisers.forSource(d.source()).normalise(d);
        String where = Corpus.root().relativize(file).toString();
        assertEquals(List.of(), VALIDATOR.validate(n.event()), where);
        assertEquals(d.source(), n.event().source());
        assertFalse(n.event().type().endsWith(".unknown"), where + " became " + n.event().type() + " " + n.warnings());
        assertTrue(n.mentions().size() <= Normalised.MAX_ENTITIES, where);
        assertEquals(n.mentions().size(), n.event().entities().size(), where);
        assertEquals(null, n.event().significance(), "significance is set by the Program, not the normaliser");
        for (Normalised.Mention m : n.mentions()) {
            EntityTypeSpec et = CATALOG.entityType(m.type()).orElseThrow(() -> new AssertionError(where + ": entity type " + m.type()));
            assertFalse(m.key().isBlank(), where);
            for (var c : m.claims().entrySet()) {
                assertTrue(et.attributes().containsKey(c.getKey()), where + ": " + m.type() + " has no attribute " + c.getKey());
            }
            if (m.type().equals("commit")) {
                assertTrue(m.key().matches("[0-9a-f]{40}"), where + ": commit key " + m.key());
            }
        }
        Set<String> mentioned = new java.util.HashSet<>();
        n.mentions().forEach(m -> mentioned.add(m.type() + ":" + m.key()));
        for (Normalised.Relation r : n.relations()) {
            assertTrue(KINDS.contains(r.kind()), where + ": kind " + r.kind());
            assertTrue(mentioned.contains(r.fromType() + ":" + r.fromKey()), where + ": " + r);
            assertTrue(mentioned.contains(r.toType() + ":" + r.toKey()), where + ": " + r);
        }
        // the common GitHub fields
        if (d.source().equals("github") && !Set.of("github_app_authorization", "installation", "marketplace_purchase",
                "sponsorship", "security_advisory", "meta", "org_block", "organization", "membership", "team",
                "installation_repositories", "project", "project_card", "project_column", "projects_v2_item").contains(file.getParent().getFileName().toString())) {
            assertTrue(n.event().data().containsKey("repo") || n.event().data().containsKey("org"), where + " has no repo");
        }
    }

    @Test
    void everyGithubEventOfTheCorpusIsTypedAndDeepOnesPerAction() throws DeliveryException {
        Map<String, Integer> types = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        for (Path p : Corpus.payloads()) {
            RawDelivery d = Corpus.delivery(p);
            Normalised n = Normalisers.forSource(d.source()).normalise(d);
            types.merge(n.event().type(), 1, Integer::sum);
            n.warnings().forEach(w -> warnings.add(p.getFileName() + ": " + w));
            if (d.source().equals("github")) {
                String event = p.getParent().getFileName().toString();
                String name = p.getFileName().toString();
                String action = name.substring(event.length() + 1, name.indexOf('.', event.length() + 1));
                String expected = GithubNormaliser.DEEP.contains(event) && !action.equals("noaction")
                        ? "github." + event + "." + action : "github." + event;
                assertEquals(expected, n.event().type(), name);
                if (!action.equals("noaction")) {
                    assertEquals(action, n.event().data().get("action"), name);
                }
            }
        }
        assertEquals(381, Corpus.payloads().size());
        System.out.println("corpus: " + Corpus.payloads().size() + " payloads, " + types.size() + " event types; "
                + warnings.size() + " warnings");
        warnings.stream().limit(15).forEach(w -> System.out.println("  warning " + w));
    }
}
