package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charter init` makes a Program that passes its own checks; `charter test --coverage` says what no scenario exercised. */
class InitAndCoverageTest {
    @Test
    void anInitialisedProgramPassesCheckFmtAndTestFullyCovered(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("My Company");
        MainTest.Run init = MainTest.run("init", dir.toString());
        assertEquals(0, init.code(), init.err());
        assertTrue(init.out().contains("`my-company`"), "the name comes from the folder: " + init.out());
        assertEquals(0, MainTest.run("check", dir.toString()).code());
        assertEquals(0, MainTest.run("fmt", "--check", dir.toString()).code(), "canonical as created");
        MainTest.Run test = MainTest.run("test", dir.toString(), "--min-coverage", "100");
        assertEquals(0, test.code(), test.out() + test.err());
        assertTrue(test.out().contains("Coverage: 11 of 11 outcomes (100.0%), at least the minimum of 100.0%"), test.out());
    }

    @Test
    void coverageNamesWhatNoScenarioShowedAndTheMinimumFailsTheRun(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("p");
        assertEquals(0, MainTest.run("init", dir.toString(), "--name", "p").code());
        Files.writeString(dir.resolve("main.charter"), Files.readString(dir.resolve("main.charter")) + """

                rule development_failed {
                  when vercel.deployment.error d where d.target == "development"
                  then slack.post(channel: "#deploys", text: "Development failed")
                }
                """);
        MainTest.Run test = MainTest.run("test", dir.toString(), "--coverage");
        assertEquals(0, test.code(), "coverage alone never fails: " + test.out());
        assertTrue(test.out().contains("Coverage: 12 of 14 outcomes (85.7%)"), test.out());
        assertTrue(test.out().contains("  conditions seen true and false: 7 of 8 outcomes"), test.out());
        assertTrue(test.out().contains("  condition `d.target == \"development\"` of development_failed (main.charter:"), test.out());
        assertTrue(test.out().contains("): never true"), test.out());
        assertTrue(test.out().contains("rule development_failed (main.charter:"), test.out());
        assertTrue(test.out().contains("): never fired"), test.out());

        MainTest.Run strict = MainTest.run("test", dir.toString(), "--min-coverage", "90", "--format", "json");
        assertEquals(1, strict.code());
        JsonNode coverage = new ObjectMapper().readTree(strict.out()).get("coverage");
        assertTrue(coverage.get("belowMinimum").asBoolean());
        assertEquals(12, coverage.get("outcomesSeen").asInt());
        JsonNode development = null;
        for (JsonNode cond : coverage.get("conditions")) if (cond.get("text").asText().equals("d.target == \"development\"")) development = cond;
        assertEquals(false, development.get("covered").asBoolean());
        assertEquals(0, development.get("trueIn").size());
        assertEquals("scenarios/failed_deploy_and_ship.yaml", development.get("falseIn").get(0).asText());
        JsonNode rule = null;
        for (JsonNode item : coverage.get("items")) if (item.get("id").asText().equals("development_failed")) rule = item;
        assertEquals(false, rule.get("covered").asBoolean());
        assertEquals(0, rule.get("outcomes").get(0).get("seenIn").size());
        assertEquals(1, MainTest.run("test", dir.toString(), "--min-coverage", "101").code(), "a percentage is 0 to 100");
    }

    @Test
    void initRefusesANonEmptyFolderAndABadName(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "mine");
        MainTest.Run r = MainTest.run("init", tmp.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("is not empty (notes.txt)"), r.err());
        assertEquals("mine", Files.readString(tmp.resolve("notes.txt")));
        MainTest.Run bad = MainTest.run("init", tmp.resolve("x").toString(), "--name", "Bad Name!");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("cannot name a Program"), bad.err());
    }
}
