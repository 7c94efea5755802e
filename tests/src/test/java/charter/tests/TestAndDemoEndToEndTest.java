package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import charter.tests.Charter.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charter test` and `charter demo` through the real launcher, on the acme example Program. */
class TestAndDemoEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");

    static Path acme() {
        return Charter.root().resolve("program-examples/acme");
    }

    /** The acme Program and its scenarios are written on their own branch; these tests wait for them. */
    static void assumeAcmeScenarios() throws IOException {
        Path scenarios = acme().resolve("scenarios");
        assumeTrue(Files.exists(acme().resolve("charter.yaml")) && Files.isDirectory(scenarios), "acme Program not merged yet");
        try (Stream<Path> files = Files.list(scenarios)) {
            assumeTrue(files.anyMatch(p -> p.toString().endsWith(".yaml")), "acme scenarios not merged yet");
        }
    }

    @Test
    void acmeScenariosPass() throws IOException {
        assumeAcmeScenarios();
        Result r = Charter.run("test", acme().toString());
        assertEquals(0, r.code(), r::toString);
        var m = SUMMARY.matcher(r.out());
        assertTrue(m.find(), r::toString);
        assertTrue(Integer.parseInt(m.group(1)) > 0, r::toString);
        assertEquals("0", m.group(2), r::toString);
        assertTrue(r.out().contains("PASS  "), r::toString);

        Result j = Charter.run("test", acme().toString(), "--format", "json");
        assertEquals(0, j.code(), j::toString);
        JsonNode node = JSON.readTree(j.out());
        assertEquals(Integer.parseInt(m.group(1)), node.get("passed").asInt());
        assertEquals(0, node.get("failed").asInt());
        assertTrue(node.get("ok").asBoolean());
    }

    @Test
    void malformedScenarioIsReportedWithItsLine(@TempDir Path tmp) throws IOException {
        assumeAcmeScenarios();
        Path dir = Charter.copy(acme(), tmp.resolve("acme"));
        Files.writeString(dir.resolve("scenarios/zz_malformed.yaml"), "name: broken\ngiven: [unclosed\n");
        Result r = Charter.run("test", dir.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(Pattern.compile("zz_malformed\\.yaml:\\d+").matcher(r.out()).find(), r::toString);
        assertTrue(SUMMARY.matcher(r.out()).find(), r::toString);
        r.assertNoTrace();
    }

    @Test
    void testOnAProgramThatDoesNotCompile(@TempDir Path tmp) throws IOException {
        Path dir = Charter.copy(CliEndToEndTest.tiny(), tmp.resolve("bad"));
        Files.writeString(dir.resolve("main.charter"), Files.readString(dir.resolve("main.charter")).replace("vercel.deployment.error d", "vercel.deploymnt.error d"));
        Files.createDirectories(dir.resolve("scenarios"));
        Result r = Charter.run("test", dir.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("error[CH401]"), r::toString);
        r.assertNoTrace();
    }

    @Test
    void testWithoutScenariosFolder(@TempDir Path tmp) throws IOException {
        Path dir = Charter.copy(CliEndToEndTest.tiny(), tmp.resolve("none"));
        Result r = Charter.run("test", dir.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().contains("no scenarios folder"), r::toString);
        r.assertNoTrace();
    }

    @Test
    void demoWorksFromAnyFolder(@TempDir Path tmp) throws IOException {
        assumeTrue(Files.exists(acme().resolve("charter.yaml")), "acme Program not merged yet");
        Result r = Charter.runIn(tmp, "demo");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("Charter demo:"), r::toString);
        assertTrue(r.out().contains("  program  acme"), r::toString);
        assertTrue(r.out().contains("  version  sha256:"), r::toString);
        assertTrue(Pattern.compile("events   \\d+ replayed from events.jsonl").matcher(r.out()).find(), r::toString);
        assertTrue(r.out().contains("\nTimeline\n"), r::toString);
        assertTrue(r.out().contains("\nSummary: "), r::toString);
        assertEquals(r.out(), Charter.runIn(tmp, "demo").out(), "byte-identical on repeated runs");

        Result j = Charter.runIn(tmp, "demo", "--format", "json");
        assertEquals(0, j.code(), j::toString);
        JsonNode node = JSON.readTree(j.out());
        assertEquals("acme", node.at("/demo/example").asText());
        assertEquals("acme", node.get("program").asText());
        assertTrue(node.get("events").asInt() > 0);
        assertTrue(node.get("timeline").size() > 0);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "demo writes nothing in the working folder");
        }
    }
}
