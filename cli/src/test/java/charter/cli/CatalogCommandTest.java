package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.CatalogSearch;
import charter.compiler.catalog.EventTypeSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `charter catalog`: every entry can be found by its name and by its words, in text and JSON alike. */
class CatalogCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Catalog catalog = Catalog.standard();

    @Test
    void everyEntryIsShownInFullByItsNameWithItsFieldsInJson() throws Exception {
        CatalogSearch search = new CatalogSearch(catalog);
        for (CatalogSearch.Entry entry : search.all()) {
            JsonNode shown = charter.engine.json.CatalogJson.entry(search.lookup(entry.name()).orElseThrow());
            assertEquals(entry.name(), shown.get("name").asText());
            assertEquals(entry.kind(), shown.get("kind").asText());
            if (entry instanceof CatalogSearch.Entry.Event e) {
                List<String> fields = new ArrayList<>();
                shown.get("fields").forEach(f -> fields.add(f.get("name").asText() + ":" + f.get("type").asText()));
                assertEquals(e.spec().fields().values().stream().map(f -> f.name() + ":" + f.type().displayName()).toList(), fields);
            }
        }
        for (String name : List.of("github.pull_request.opened", "deployment", "linear.create_issue")) {
            MainTest.Run r = MainTest.run("catalog", name, "--format", "json");
            assertEquals(0, r.code(), name + ": " + r.err());
            assertEquals(charter.engine.json.CatalogJson.entry(search.lookup(name).orElseThrow()), JSON.readTree(r.out()).get("entries").get(0));
        }
    }

    @Test
    void anEventTypeInTextNamesEveryDataFieldWithItsType() {
        EventTypeSpec spec = catalog.eventType("vercel.deployment.error").orElseThrow();
        MainTest.Run r = MainTest.run("catalog", "vercel.deployment.error");
        assertEquals(0, r.code(), r.err());
        spec.dataFields().values().forEach(f -> assertTrue(
                r.out().lines().anyMatch(l -> l.strip().startsWith(f.name() + " ") && l.contains(f.type().displayName())),
                () -> f.name() + " missing from\n" + r.out()));
    }

    @Test
    void searchingForAnEntrysOwnNameFindsIt() {
        CatalogSearch search = new CatalogSearch(catalog);
        for (CatalogSearch.Entry entry : search.all()) {
            List<String> names = search.search(entry.name()).stream().map(h -> h.entry().name()).toList();
            assertTrue(names.contains(entry.name()), () -> entry.name() + " not found by its name: " + names);
            assertTrue(search.search(entry.name()).getFirst().nameMatched(), entry.name());
        }
    }

    @Test
    void searchMatchesEveryWordInAnyCase() {
        MainTest.Run r = MainTest.run("catalog", "--search", "Deployment FAILED");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("vercel.deployment.error"), r.out());
        assertTrue(r.out().lines().filter(l -> !l.isBlank()).allMatch(l -> l.toLowerCase().contains("deploy") || l.matches("\\d+ match(es)?")), r.out());
    }

    @Test
    void aSearchThatFindsNothingExitsOneAsGrepDoes() {
        MainTest.Run r = MainTest.run("catalog", "--search", "zzqqxx");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("nothing in the catalog matches"), r.out());
    }

    @Test
    void aSourceOrPrefixListsItsEventTypes() throws Exception {
        MainTest.Run r = MainTest.run("catalog", "vercel", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode tree = JSON.readTree(r.out());
        long vercelTools = catalog.tools().stream().filter(tool -> tool.name().startsWith("vercel.")).count();
        assertEquals(catalog.eventTypesOf("vercel").size() + vercelTools, tree.get("count").asInt(), "vercel's events and tools");
        MainTest.Run tools = MainTest.run("catalog", "--kind", "tool");
        assertEquals(0, tools.code());
        assertTrue(tools.out().contains("slack.post(channel, text)"), tools.out());
    }

    @Test
    void aMisspeltNameIsOneLineWithADidYouMean() {
        MainTest.Run r = MainTest.run("catalog", "sentry.isue.created");
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("did you mean `sentry.issue.created`?"), r.err());
        MainTest.Run both = MainTest.run("catalog", "x", "--search", "y");
        assertEquals(1, both.code());
    }
}
