package charter.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.fmt.ProgramFormatter;
import charter.compiler.load.ProgramFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline as a whole, and the bad inputs the load and parse passes must turn into diagnostics. */
class ProgramCompilerTest {

    private static List<String> codes(Compilation c) {
        return c.diagnostics().stream().map(d -> d.code().id()).toList();
    }

    private static ProgramFiles raw(Map<String, byte[]> files) {
        return new ProgramFiles("t", files);
    }

    @Test
    void runsTheNamedPassesInOrder() {
        Compilation c = TestPrograms.compile(Files.exists(Path.of("src/test/resources/golden/drl/rules.charter"))
                ? read("src/test/resources/golden/drl/rules.charter") : "");
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        assertEquals(ProgramCompiler.PASSES, c.passesRun());
        Compilation checked = TestPrograms.check(TestPrograms.files(read("src/test/resources/golden/drl/rules.charter")));
        assertEquals(ProgramCompiler.PASSES.subList(0, 7), checked.passesRun());
        assertNull(checked.program(), "check builds no KieBase");
    }

    @Test
    void eachStageStopsAfterItsLastPassAndOnlyBuiltHasAKieBase() {
        ProgramFiles files = TestPrograms.files(read("src/test/resources/golden/drl/rules.charter"));
        ProgramCompiler compiler = new ProgramCompiler(charter.compiler.catalog.Catalog.standard());
        for (ProgramCompiler.Stage stage : ProgramCompiler.Stage.values()) {
            Compilation c = compiler.compile(files, stage);
            assertTrue(c.ok(), () -> TestPrograms.rendered(c));
            assertEquals(ProgramCompiler.PASSES.subList(0, ProgramCompiler.PASSES.indexOf(stage.lastPass()) + 1), c.passesRun(), stage.name());
            assertEquals(stage != ProgramCompiler.Stage.GENERATED, c.program() != null, stage.name());
            if (c.program() != null) {
                assertEquals(stage == ProgramCompiler.Stage.BUILT, c.program().runnable(), stage.name());
                c.program().functions().close();
            }
        }
    }

    @Test
    void aLinkedProgramRefusesToHandOutAKieBaseItDoesNotHave() {
        ProgramFiles files = TestPrograms.files(read("src/test/resources/golden/drl/rules.charter"));
        ProgramCompiler compiler = new ProgramCompiler(charter.compiler.catalog.Catalog.standard());
        CompiledProgram linked = compiler.compile(files, ProgramCompiler.Stage.LINKED).program();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, linked::kieBase);
        assertTrue(e.getMessage().contains("without its Drools KieBase"), e.getMessage());
        assertTrue(e.getMessage().contains(linked.name()), e.getMessage());
        // A new version of it (as Git sync stamps the commit) is still without one.
        assertThrows(IllegalStateException.class, () -> linked.withVersion("abc").kieBase());
        // Everything but the KieBase is what the full pipeline links.
        CompiledProgram built = compiler.compile(files).program();
        assertEquals(built.rules().stream().map(CompiledProgram.RuleInfo::id).toList(), linked.rules().stream().map(CompiledProgram.RuleInfo::id).toList());
        assertEquals(built.guards().stream().map(CompiledProgram.GuardInfo::id).toList(), linked.guards().stream().map(CompiledProgram.GuardInfo::id).toList());
        assertEquals(built.intents().keySet(), linked.intents().keySet());
        assertEquals(built.drl().drl(), linked.drl().drl());
        assertEquals(built.version(), linked.version());
    }

    @Test
    void stopsAfterThePassThatFailed() {
        Compilation c = TestPrograms.compile("program \"t\"\nrule r { when }\n");
        assertEquals(List.of("load", "parse"), c.passesRun());
        assertFalse(c.ok());
    }

    @Test
    void formattingNeverChangesTheCompiledDrl() {
        String source = read("src/test/resources/golden/drl/rules.charter");
        String ugly = source.replace("\n  ", "\n        ").replace(" where ", "   where   ");
        var parsed = new charter.compiler.parse.ProgramParser().parse("main.charter", ugly);
        String formatted = ProgramFormatter.format(parsed.file());
        assertEquals(TestPrograms.compile(ugly).drl().drl(), TestPrograms.compile(formatted).drl().drl());
    }

    @Test
    void reportsEverySyntaxErrorOfAFile() {
        Compilation c = TestPrograms.compile("""
                program "t"
                rule a { when vercel.deployment.error d where d.target == then slack.post(channel: "x", text: "y") }
                rule b { when vercel.deployment.error d where d.target = "x" then slack.post(channel: "x", text: "y") }
                person p { github }
                """);
        long syntax = c.diagnostics().stream().filter(d -> d.code() == Code.SYNTAX).count();
        assertTrue(syntax >= 3, () -> TestPrograms.rendered(c));
        assertTrue(c.diagnostics().stream().allMatch(d -> d.span() != null && d.span().line() >= 2));
    }

    @Test
    void refusesDeepNestingBeforeParsing() {
        String deep = "(".repeat(1000) + "true" + ")".repeat(1000);
        Compilation c = TestPrograms.compile("program \"t\"\nrule r { when vercel.deployment.error d where " + deep
                + " then slack.post(channel: \"x\", text: \"y\") }\n");
        assertEquals(List.of(Code.NESTING_TOO_DEEP.id()), codes(c));
        assertEquals(2, c.diagnostics().getFirst().span().line());
    }

    @Test
    void missingManifest() {
        Compilation c = TestPrograms.compile(raw(Map.of("main.charter", "program \"t\"".getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(Code.MANIFEST_MISSING.id()), codes(c));
    }

    @Test
    void malformedManifestPointsAtTheLine() {
        Compilation c = TestPrograms.compile(raw(Map.of(
                "charter.yaml", "name: t\nsources: [github\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", "program \"t\"".getBytes(StandardCharsets.UTF_8))));
        Diagnostic d = c.diagnostics().getFirst();
        assertEquals(Code.MANIFEST_INVALID, d.code());
        assertEquals("charter.yaml", d.span().file());
        assertTrue(d.span().line() >= 2, d.toString());
    }

    @Test
    void manifestKeysAreCheckedWithSuggestionsAndSecretsMustBeReferences() {
        Compilation c = TestPrograms.compile(raw(Map.of(
                "charter.yaml", "name: t\ntimezon: UTC\nconnectors:\n  slack:\n    token: xoxb-123\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", "program \"t\"".getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of(Code.MANIFEST_INVALID.id(), Code.MANIFEST_INVALID.id()), codes(c));
        assertEquals("timezone", c.diagnostics().get(0).suggestion());
        assertTrue(c.diagnostics().get(1).message().contains("env:SLACK_TOKEN"), c.diagnostics().get(1).message());
        assertEquals(5, c.diagnostics().get(1).span().line());
    }

    @Test
    void nonUtf8FileNamesTheByteOffset() {
        byte[] bad = "program \"t\"\n// caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        Compilation c = TestPrograms.compile(raw(Map.of(
                "charter.yaml", "name: t\n".getBytes(StandardCharsets.UTF_8), "main.charter", bad)));
        Diagnostic d = c.diagnostics().getFirst();
        assertEquals(Code.FILE_NOT_UTF8, d.code());
        assertEquals(2, d.span().line());
        assertTrue(d.message().contains("offset 18"), d.message());
    }

    @Test
    void tenMegabyteFileIsRefusedWithItsSize(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("charter.yaml"), "name: t\n");
        Files.writeString(dir.resolve("main.charter"), "program \"t\"\n" + "// filler\n".repeat(1_000_000));
        Compilation c = TestPrograms.compile(ProgramFiles.fromDirectory(dir));
        assertEquals(List.of(Code.FILE_TOO_LARGE.id()), codes(c));
        assertTrue(c.diagnostics().getFirst().message().contains("10000012 bytes"), c.diagnostics().getFirst().message());
    }

    @Test
    void missingFolderIsAClearError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(ProgramFiles.NoSuchProgramException.class,
                () -> ProgramFiles.fromDirectory(Path.of("does/not/exist")));
        assertTrue(e.getMessage().contains("does/not/exist"));
    }

    @Test
    void programVersionIsAContentHash() {
        Map<String, String> a = new LinkedHashMap<>(Map.of("main.charter", "program \"t\"\n"));
        String v1 = TestPrograms.compile(TestPrograms.files(a)).program().version();
        String v2 = TestPrograms.compile(TestPrograms.files(a)).program().version();
        a.put("main.charter", "program \"t\"\n// changed\n");
        String v3 = TestPrograms.compile(TestPrograms.files(a)).program().version();
        assertEquals(v1, v2);
        assertFalse(v1.equals(v3));
        assertTrue(v1.startsWith("sha256:"));
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
