package charter.compiler.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.TestPrograms;
import charter.compiler.diag.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 11: a Program folder's symbolic links are followed only while they stay in
 * the folder. `env.charter -> /proc/self/environ` printed the environment in a diagnostic's snippet.
 */
class ProgramFilesLinkTest {
    @TempDir
    Path tmp;

    @Test
    void aLinkLeavingTheFolderIsADiagnosticAndItsTargetIsNeverRead() throws Exception {
        Path secret = Files.writeString(tmp.resolve("environ"), "AWS_SECRET_ACCESS_KEY=hunter2\n");
        Path dir = Files.createDirectories(tmp.resolve("program"));
        Files.writeString(dir.resolve("charter.yaml"), "name: t\n");
        Files.writeString(dir.resolve("main.charter"), "program \"t\"\nimport \"env.charter\"\nimport \"sub/up.charter\"\n");
        Files.createSymbolicLink(dir.resolve("env.charter"), secret);
        Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("sub/up.charter"), Path.of("../../environ"));
        Files.createSymbolicLink(dir.resolve("dangling.charter"), tmp.resolve("nothing-here"));
        if (Files.isReadable(Path.of("/proc/self/environ"))) Files.createSymbolicLink(dir.resolve("proc.charter"), Path.of("/proc/self/environ"));

        ProgramFiles files = ProgramFiles.fromDirectory(dir);
        assertTrue(files.outside().containsAll(List.of("env.charter", "sub/up.charter", "dangling.charter")), files.outside()::toString);
        assertFalse(files.files().containsKey("env.charter"));
        Compilation c = TestPrograms.check(files);
        assertFalse(c.ok());
        for (String link : files.outside()) {
            assertEquals(1, c.diagnostics().stream().filter(d -> d.code() == Code.LINK_OUTSIDE && d.span().file().equals(link)).count(),
                    () -> link + ": " + TestPrograms.rendered(c));
        }
        String rendered = TestPrograms.rendered(c);
        assertFalse(rendered.contains("hunter2"), rendered);
        assertFalse(rendered.contains("PATH="), rendered);
    }

    @Test
    void aLinkInsideTheFolderIsRead() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("program"));
        Files.writeString(dir.resolve("charter.yaml"), "name: t\n");
        Files.createDirectories(dir.resolve("shared"));
        Files.writeString(dir.resolve("shared/people.charter"), "person alice { github \"alice\" }\n");
        Files.writeString(dir.resolve("main.charter"), "program \"t\"\nimport \"people.charter\"\n");
        Files.createSymbolicLink(dir.resolve("people.charter"), Path.of("shared/people.charter"));
        ProgramFiles files = ProgramFiles.fromDirectory(dir);
        assertEquals(List.of(), List.copyOf(files.outside()));
        Compilation c = TestPrograms.check(files);
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
    }

    @Test
    void aManifestLinkedFromOutsideIsNotReportedAsMissing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("program"));
        Files.createSymbolicLink(dir.resolve("charter.yaml"), Files.writeString(tmp.resolve("passwd"), "root:x:0:0\n"));
        Files.writeString(dir.resolve("main.charter"), "program \"t\"\n");
        Compilation c = TestPrograms.check(ProgramFiles.fromDirectory(dir));
        assertEquals(List.of(Code.LINK_OUTSIDE), c.diagnostics().stream().map(d -> d.code()).toList(), () -> TestPrograms.rendered(c));
        assertFalse(TestPrograms.rendered(c).contains("root:x"));
    }
}
