package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charter check` prints the validator's warnings and exits 0; `--strict` makes any warning fail it. */
class CheckStrictTest {
    static Path program(Path dir, String target) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("charter.yaml"), "name: p\n");
        Files.writeString(dir.resolve("main.charter"), """
                program "p"

                rule failed {
                  when vercel.deployment.error d where d.target == "production" and d.target == "%s"
                  then slack.post(channel: "#a", text: "x")
                }
                """.formatted(target));
        return dir;
    }

    @Test
    void warningsAreReportedButOnlyFailUnderStrict(@TempDir Path tmp) throws Exception {
        Path dir = program(tmp.resolve("p"), "preview");
        MainTest.Run lenient = MainTest.run("check", dir.toString());
        assertEquals(0, lenient.code(), lenient.err());
        assertTrue(lenient.err().contains("warning[CH601]: `d.target == \"preview\"` contradicts `d.target == \"production\"`"), lenient.err());
        assertTrue(lenient.err().contains("  --> main.charter:4:69"), lenient.err());
        assertTrue(lenient.out().contains("0 errors, 1 warning"), lenient.out());

        MainTest.Run strict = MainTest.run("check", "--strict", dir.toString());
        assertEquals(1, strict.code());
        assertTrue(strict.out().contains("0 errors, 1 warning (--strict: warnings fail the check)"), strict.out());

        JsonNode json = new ObjectMapper().readTree(MainTest.run("check", "--strict", "--format", "json", dir.toString()).out());
        assertEquals(false, json.get("ok").asBoolean());
        assertEquals(true, json.get("strict").asBoolean());
        assertEquals("CH601", json.get("diagnostics").get(0).get("code").asText());
        assertEquals("warning", json.get("diagnostics").get(0).get("severity").asText());
        assertTrue(json.get("diagnostics").get(0).get("help").asText().startsWith("the conditions contradict"));
    }

    @Test
    void aCleanProgramPassesStrict(@TempDir Path tmp) throws Exception {
        Path dir = program(tmp.resolve("p"), "production");
        MainTest.Run strict = MainTest.run("check", "--strict", dir.toString());
        assertEquals(0, strict.code(), strict.err());
        assertEquals("", strict.err());
    }
}
