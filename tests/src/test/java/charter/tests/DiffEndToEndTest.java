package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.tests.Charter.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charter diff` through the real launcher: acme copied twice, an invariant tightened in one copy. */
class DiffEndToEndTest {
    @TempDir
    static Path tmp;
    static Path a;
    static Path b;
    static Path intents;
    static Path events;

    @BeforeAll
    static void copies() throws IOException {
        Path acme = Charter.root().resolve("program-examples/acme");
        a = Charter.copy(acme, tmp.resolve("a"));
        b = Charter.copy(acme, tmp.resolve("b"));
        intents = acme.resolve("intents.jsonl");
        events = acme.resolve("events.jsonl");
        Path file = b.resolve("intents.charter");
        String text = Files.readString(file);
        String soft = "invariant ship_by_owning_team \"Production deploys are made by the owning team\" soft";
        assertTrue(text.contains(soft));
        Files.writeString(file, text.replace(soft, soft.replace(" soft", " hard")));
    }

    @Test
    void textShowsTheSemanticChangeAndTheFlippedDecisions() {
        Result r = Charter.run("diff", a.toString(), b.toString(), "--intents", intents.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("invariant ship_by_owning_team changed"), r::toString);
        assertTrue(r.out().contains("level: soft → hard"), r::toString);
        assertTrue(r.out().contains("decisions flipped"), r::toString);
        assertTrue(r.out().contains("intent int-007 ship by erin-s"), r::toString);
        assertTrue(r.out().contains("needs-override → deny"), r::toString);
        assertTrue(r.out().contains("intent int-008 ship by erin-s"), r::toString);
        assertTrue(r.out().contains("allow → deny"), r::toString);
        assertTrue(r.out().contains("vercel.deploy by intent ship (int-008)"), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void markdownIsAPullRequestComment() {
        Result r = Charter.run("diff", a.toString(), b.toString(), "--intents", intents.toString(), "--format", "markdown");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("### Charter diff: `acme` → `acme`"), r::toString);
        assertTrue(r.out().contains("- **invariant `ship_by_owning_team` changed**"), r::toString);
        assertTrue(r.out().contains("  - level: `soft` → `hard`"), r::toString);
        assertTrue(r.out().contains("| decisions flipped (allow → deny: 1, needs-override → deny: 1) | 2 |"), r::toString);
        assertTrue(r.out().contains("<details><summary>Decisions flipped (2)</summary>"), r::toString);
    }

    @Test
    void jsonHasTheChangeAndTheImpact() throws IOException {
        Result r = Charter.run("diff", a.toString(), b.toString(), "--events", events.toString(), "--intents", intents.toString(),
                "--format", "json");
        assertEquals(0, r.code(), r::toString);
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode change = json.get("changes").get(0);
        assertEquals("invariant", change.get("category").asText());
        assertEquals("changed", change.get("op").asText());
        assertEquals("ship_by_owning_team", change.get("id").asText());
        assertEquals("level", change.get("details").get(0).get("aspect").asText());
        assertEquals("hard", change.get("details").get(0).get("to").asText());
        JsonNode impact = json.get("impact");
        assertEquals(307, impact.get("events").asInt());
        assertEquals(2, impact.get("decisionsFlipped").get("count").asInt());
        assertEquals("int-007", impact.get("decisionsFlipped").get("examples").get(0).get("intentId").asText());
        assertEquals("deny", impact.get("decisionsFlipped").get("examples").get(0).get("after").asText());
        assertEquals(2, impact.get("actionsRemoved").get("count").asInt());
    }

    @Test
    void sameFolderTwiceIsNoChangeAndAnUncompilableSideIsAUserError(@TempDir Path broken) throws IOException {
        Result same = Charter.run("diff", a.toString(), a.toString(), "--intents", intents.toString());
        assertEquals(0, same.code(), same::toString);
        assertTrue(same.out().contains("No semantic change"), same::toString);
        assertTrue(same.out().contains("no difference"), same::toString);

        Path bad = Charter.copy(a, broken.resolve("bad"));
        Files.writeString(bad.resolve("deploys.charter"), Files.readString(bad.resolve("deploys.charter")).replace("d.target", "d.targt"));
        Result r = Charter.run("diff", a.toString(), bad.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("CH402"), r::toString);
        assertEquals("", r.out());
    }
}
