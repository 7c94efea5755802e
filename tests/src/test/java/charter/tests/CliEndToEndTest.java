package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import charter.tests.Charter.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command of the real `./charter` launcher, as a user runs it: exit codes, output, JSON. */
class CliEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path tiny() {
        return Charter.resource("programs/tiny");
    }

    static Path events() {
        return Charter.resource("inputs/tiny-events.jsonl");
    }

    static Path intents() {
        return Charter.resource("inputs/tiny-intents.jsonl");
    }

    static JsonNode json(Result r) throws IOException {
        return JSON.readTree(r.out());
    }

    // ---- help and version

    @Test
    void versionAndHelp() {
        Result version = Charter.run("--version");
        assertEquals(0, version.code(), version::toString);
        assertTrue(version.out().startsWith("charter "), version::toString);
        Result help = Charter.run("--help");
        assertEquals(0, help.code(), help::toString);
        for (String command : List.of("check", "fmt", "compile", "simulate", "test", "demo", "ingest", "events", "graph")) {
            assertTrue(help.out().contains("  " + command + " "), () -> command + " missing from\n" + help.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"check", "fmt", "compile", "simulate", "test", "demo", "ingest", "events", "graph"})
    void everyCommandHasHelp(String command) {
        Result r = Charter.run(command, "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("Usage: charter " + command), r::toString);
        assertTrue(r.out().contains("Exit codes: 0 success, 1 user error"), r::toString);
        assertTrue(r.out().contains("--format"), r::toString);
    }

    @Test
    void unknownCommandAndMissingArgumentAreUserErrors() {
        Result unknown = Charter.run("frobnicate");
        assertEquals(1, unknown.code(), unknown::toString);
        unknown.assertNoTrace();
        Result missing = Charter.run("check");
        assertEquals(1, missing.code(), missing::toString);
        // DIR is optional on the command line (--repo may stand for it), so the command says what it needs.
        assertTrue(missing.err().contains("give the Program folder (DIR) or a repository with --repo PATH"), missing::toString);
        assertEquals(1, missing.err().lines().count(), missing::toString);
    }

    // ---- check

    @Test
    void checkCleanProgram() throws IOException {
        Result r = Charter.run("check", tiny().toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals("0 errors, 0 warnings\n", r.out());
        Result j = Charter.run("check", tiny().toString(), "--format", "json");
        assertEquals(0, j.code(), j::toString);
        JsonNode node = json(j);
        assertTrue(node.get("ok").asBoolean());
        assertEquals(0, node.get("errors").asInt());
        assertEquals(0, node.get("diagnostics").size());
    }

    @Test
    void checkShowsATypeErrorWithLineCaretAndSuggestion(@TempDir Path tmp) throws IOException {
        Path dir = Charter.copy(tiny(), tmp.resolve("typo"));
        Path main = dir.resolve("main.charter");
        Files.writeString(main, Files.readString(main).replace("where d.target == \"production\"", "where d.targt == \"production\""));
        Result r = Charter.run("check", dir.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(Pattern.compile("main\\.charter:8:\\d+").matcher(r.err()).find(), r::toString);
        assertTrue(r.err().contains("d.targt"), "quotes the source line\n" + r);
        assertTrue(r.err().lines().anyMatch(l -> l.matches("\\s+\\|\\s+\\^+.*")), "has a caret line\n" + r);
        assertTrue(r.err().contains("did you mean `target`"), r::toString);
        assertTrue(r.out().matches("1 error, \\d+ warnings?\n"), r::toString);
        r.assertNoTrace();

        JsonNode node = json(Charter.run("check", dir.toString(), "--format", "json"));
        JsonNode d = node.get("diagnostics").get(0);
        assertEquals("error", d.get("severity").asText());
        assertEquals("main.charter", d.get("file").asText());
        assertEquals(8, d.get("line").asInt());
        assertEquals("target", d.get("suggestion").asText());
    }

    @Test
    void checkStrictFailsOnTheValidatorsWarningsOnly(@TempDir Path tmp) throws IOException {
        assertEquals(0, Charter.run("check", "--strict", tiny().toString()).code(), "a clean Program passes --strict");
        Path dir = Charter.copy(tiny(), tmp.resolve("dead"));
        Path main = dir.resolve("main.charter");
        Files.writeString(main, Files.readString(main).replace("where d.target == \"production\"",
                "where d.target == \"production\" and d.target == \"preview\""));
        Result lenient = Charter.run("check", dir.toString());
        assertEquals(0, lenient.code(), lenient::toString);
        assertTrue(lenient.err().contains("warning[CH601]"), lenient::toString);
        assertTrue(Pattern.compile("--> main\\.charter:8:\\d+").matcher(lenient.err()).find(), lenient::toString);
        Result strict = Charter.run("check", "--strict", dir.toString());
        assertEquals(1, strict.code(), strict::toString);
        assertTrue(strict.out().contains("(--strict: warnings fail the check)"), strict::toString);
        strict.assertNoTrace();
    }

    // ---- fmt

    @Test
    void fmtCheckThenFormatThenCheckAgain(@TempDir Path tmp) throws IOException {
        Path dir = Charter.copy(tiny(), tmp.resolve("fmt"));
        String before = Files.readString(dir.resolve("main.charter"));

        Result check = Charter.run("fmt", "--check", dir.toString());
        assertEquals(1, check.code(), check::toString);
        assertTrue(check.out().contains("main.charter"), check::toString);
        assertEquals(before, Files.readString(dir.resolve("main.charter")), "--check changes nothing");

        Result format = Charter.run("fmt", dir.toString());
        assertEquals(0, format.code(), format::toString);
        assertTrue(format.out().contains("main.charter"), format::toString);
        assertNotEquals(before, Files.readString(dir.resolve("main.charter")));

        Result again = Charter.run("fmt", "--check", dir.toString());
        assertEquals(0, again.code(), again::toString);
        assertEquals("", again.out());
        JsonNode node = json(Charter.run("fmt", "--check", dir.toString(), "--format", "json"));
        assertTrue(node.get("ok").asBoolean());
        assertEquals("canonical", node.at("/files/0/status").asText());

        Result stillChecks = Charter.run("check", dir.toString());
        assertEquals(0, stillChecks.code(), "formatting keeps the Program valid\n" + stillChecks);
    }

    @Test
    void fmtNeverRewritesAFileWithSyntaxErrors(@TempDir Path tmp) throws IOException {
        Path dir = Charter.copy(tiny(), tmp.resolve("fmt"));
        String broken = "rule broken {\n  when\n";
        Files.writeString(dir.resolve("broken.charter"), broken);
        for (String[] args : List.of(new String[] {"fmt", dir.toString()}, new String[] {"fmt", "--check", dir.toString()})) {
            Result r = Charter.run(args);
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.err().contains("broken.charter:"), r::toString);
            assertTrue(r.err().contains("error["), r::toString);
            r.assertNoTrace();
            assertEquals(broken, Files.readString(dir.resolve("broken.charter")));
        }
    }

    // ---- compile

    @Test
    void compilePrintsDrlOrJson() throws IOException {
        Result r = Charter.run("compile", tiny().toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("package "), r::toString);
        assertTrue(r.out().contains("rule \""), r::toString);
        Result j = Charter.run("compile", tiny().toString(), "--format", "json");
        assertEquals(0, j.code(), j::toString);
        JsonNode node = json(j);
        assertEquals(List.of("program", "version", "drl", "sourceMap"), names(node).subList(0, 4));
        assertEquals("tiny", node.get("program").asText());
        assertTrue(node.get("version").asText().startsWith("sha256:"));
        assertEquals(r.out(), node.get("drl").asText().endsWith("\n") ? node.get("drl").asText() : node.get("drl").asText() + "\n");
        assertTrue(node.get("sourceMap").size() > 0);
        assertEquals("main.charter", node.at("/sourceMap/0/file").asText());
    }

    @Test
    void compileFailureShowsDiagnostics(@TempDir Path tmp) throws IOException {
        Path dir = Charter.copy(tiny(), tmp.resolve("bad"));
        Files.writeString(dir.resolve("main.charter"), Files.readString(dir.resolve("main.charter")).replace("vercel.deployment.error d", "vercel.deploymnt.error d"));
        Result r = Charter.run("compile", dir.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals("", r.out(), "no DRL on stdout");
        assertTrue(r.err().contains("error[CH401]"), r::toString);
        JsonNode node = json(Charter.run("compile", dir.toString(), "--format", "json"));
        assertFalse(node.get("ok").asBoolean());
        assertEquals("CH401", node.at("/diagnostics/0/code").asText());
    }

    // ---- simulate

    @Test
    void simulateIsByteIdenticalAndTracesEveryEntry() throws IOException {
        String[] args = {"simulate", tiny().toString(), "--events", events().toString(), "--intents", intents().toString()};
        Result first = Charter.run(args);
        Result second = Charter.run(args);
        assertEquals(0, first.code(), first::toString);
        assertEquals(first.out(), second.out(), "byte-identical on repeated runs");
        String out = first.out();
        assertTrue(out.contains("slack.post(channel: \"#incidents\", text: \"Deploy of api failed for platform\")"), out);
        assertTrue(out.contains("from rule page_on_failed_prod_deploy at main.charter:7:1; event e1; version sha256:"), out);
        assertTrue(out.contains("ship i1 by bob-gh: DENY"), out);
        assertTrue(out.contains("denied by no_friday (hard)"), out);
        assertTrue(out.contains("from invariant no_friday at main.charter:18:1; intent i1; version sha256:"), out);
        assertTrue(out.contains("violation  fatal_assigned (soft)"), out);
        assertTrue(out.contains("Summary: 4 actions planned, 2 intents decided (1 denied), 1 violation, 0 rule errors"), out);

        String[] jsonArgs = Arrays.copyOf(args, args.length + 2);
        jsonArgs[args.length] = "--format";
        jsonArgs[args.length + 1] = "json";
        Result j1 = Charter.run(jsonArgs);
        Result j2 = Charter.run(jsonArgs);
        assertEquals(j1.out(), j2.out());
        JsonNode node = json(j1);
        assertEquals("tiny", node.get("program").asText());
        assertEquals(3, node.get("events").asInt());
        assertEquals(2, node.get("intents").asInt());
        JsonNode timeline = node.get("timeline");
        assertEquals(out.lines().filter(l -> l.startsWith("2026-")).count(), timeline.size(), "one timeline, two renderings");
        for (JsonNode entry : timeline) {
            assertTrue(entry.get("time").asText().endsWith("Z"));
            JsonNode provenance = entry.has("provenance") ? entry.get("provenance") : entry.at("/denials/0/provenance");
            if (!provenance.isMissingNode()) assertTrue(provenance.get("programVersion").asText().startsWith("sha256:"), entry::toString);
        }
        assertEquals(2, node.at("/summary/countsByRule/page_on_failed_prod_deploy").asInt());
    }

    @Test
    void simulateAtStopsTheClock() throws IOException {
        Result r = Charter.run("simulate", tiny().toString(), "--events", events().toString(), "--at", "2026-03-06T10:05:00Z", "--format", "json");
        assertEquals(0, r.code(), r::toString);
        JsonNode node = json(r);
        assertEquals(2, node.get("events").asInt());
        assertEquals("2026-03-06T10:05:00Z", node.get("until").asText());
        assertEquals(1, node.at("/summary/actions").asInt());
    }

    @Test
    void simulateReportsEveryMalformedInputLine(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, Files.readString(events()) + "{\"id\":\"x\"\n"
                + "{\"id\":\"y\",\"source\":\"vercel\",\"type\":\"vercel.deploymnt.error\",\"time\":\"2026-03-06T12:00:00Z\",\"data\":{}}\n");
        Result r = Charter.run("simulate", tiny().toString(), "--events", bad.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().contains(bad + ":4:"), r::toString);
        assertTrue(r.err().contains(bad + ":5:"), r::toString);
        assertTrue(r.err().contains("did you mean"), r::toString);
        List<String> located = r.err().lines().filter(l -> l.matches(Pattern.quote(bad.toString()) + ":\\d+:\\d+: .+")).toList();
        assertTrue(located.size() >= 2, r::toString);
        r.assertNoTrace();

        Path badIntents = tmp.resolve("intents.jsonl");
        Files.writeString(badIntents, "{\"id\":\"i1\",\"intent\":\"shp\",\"actor\":\"bob\",\"time\":\"2026-03-06T11:00:00Z\"}\n");
        Result i = Charter.run("simulate", tiny().toString(), "--events", events().toString(), "--intents", badIntents.toString(), "--format", "json");
        assertEquals(1, i.code(), i::toString);
        JsonNode node = json(i);
        assertEquals(1, node.at("/inputErrors/0/line").asInt());
        assertTrue(node.at("/inputErrors/0/message").asText().contains("unknown intent `shp`"), node::toString);
    }

    // ---- bad input: exit 1, a clear message, never a trace

    @Test
    void missingFolder(@TempDir Path tmp) {
        Result r = Charter.run("check", tmp.resolve("nope").toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().contains("no such directory"), r::toString);
        r.assertNoTrace();
    }

    @Test
    void missingManifest(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("main.charter"), "program \"x\"\n");
        for (String command : List.of("check", "compile", "fmt")) {
            Result r = Charter.run(command, tmp.toString());
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.err().contains("no charter.yaml in"), r::toString);
            r.assertNoTrace();
        }
    }

    @Test
    void nonUtf8File(@TempDir Path tmp) throws IOException {
        Path dir = Charter.copy(tiny(), tmp.resolve("latin1"));
        Files.write(dir.resolve("extra.charter"), "# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Result r = Charter.run("check", dir.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("extra.charter is not valid UTF-8"), r::toString);
        r.assertNoTrace();
    }

    @Test
    void tenMegabyteFile(@TempDir Path tmp) throws IOException {
        Path dir = Charter.copy(tiny(), tmp.resolve("big"));
        try (OutputStream out = Files.newOutputStream(dir.resolve("big.charter"))) {
            byte[] line = "# a comment line that goes on and on and on and on and on and on and on\n".getBytes(StandardCharsets.UTF_8);
            for (long written = 0; written < 10L * 1024 * 1024; written += line.length) out.write(line);
        }
        Result r = Charter.run("check", dir.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("big.charter is "), r::toString);
        assertTrue(r.err().contains("may be at most"), r::toString);
        r.assertNoTrace();
    }

    @Test
    void thousandDeepNesting(@TempDir Path tmp) throws IOException {
        Path dir = Charter.copy(tiny(), tmp.resolve("deep"));
        String deep = "(".repeat(1000) + "d.target == \"production\"" + ")".repeat(1000);
        Files.writeString(dir.resolve("main.charter"), Files.readString(dir.resolve("main.charter"))
                .replace("where d.target == \"production\"", "where " + deep));
        for (String command : List.of("check", "fmt", "compile")) {
            Result r = Charter.run(command, dir.toString());
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.err().contains("error["), r::toString);
            r.assertNoTrace();
        }
    }

    @Test
    void badAtAndMissingEventsFile(@TempDir Path tmp) {
        Result at = Charter.run("simulate", tiny().toString(), "--events", events().toString(), "--at", "next friday");
        assertEquals(1, at.code(), at::toString);
        assertEquals(1, at.err().lines().count(), at::toString);
        assertTrue(at.err().contains("ISO-8601"), at::toString);
        at.assertNoTrace();

        Result missing = Charter.run("simulate", tiny().toString(), "--events", tmp.resolve("none.jsonl").toString());
        assertEquals(1, missing.code(), missing::toString);
        assertEquals(1, missing.err().lines().count(), missing::toString);
        assertTrue(missing.err().contains("events file not found"), missing::toString);
        missing.assertNoTrace();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
