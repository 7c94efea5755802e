package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user installs it: `dist/target/charter-VERSION.tar.gz` unpacked into an
 * empty folder, far from the source tree, run with nothing but a JDK 25 installed and a bare
 * environment: `check`, `test` and `simulate` on a copy of the example Program.
 */
class DistributionEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void theUnpackedArchiveRunsCheckTestAndSimulateWithoutTheSourceTree() throws Exception {
        Path archive = Charter.distribution();
        Path install = Files.createDirectories(tmp.resolve("opt"));
        assertEquals(0, run(install, List.of("tar", "xzf", archive.toString())).code());
        Path home;
        try (Stream<Path> dirs = Files.list(install)) {
            home = dirs.findFirst().orElseThrow();
        }
        Path bin = home.resolve("bin/charter");
        assertTrue(Files.isExecutable(bin), "bin/charter is executable");
        try (Stream<Path> all = Files.walk(home)) {
            assertFalse(all.anyMatch(p -> p.toString().endsWith(".java") || p.toString().endsWith("pom.xml")), "no source tree inside");
        }
        Path work = Files.createDirectories(tmp.resolve("work"));
        Charter.copy(Charter.root().resolve("program-examples/acme"), work.resolve("acme"));

        Run check = run(work, List.of(bin.toString(), "check", "acme"));
        assertEquals(0, check.code(), check.output());
        assertTrue(check.output().contains("0 errors"), check.output());
        Run test = run(work, List.of(bin.toString(), "test", "acme"));
        assertEquals(0, test.code(), test.output());
        long scenarios;
        try (Stream<Path> files = Files.list(work.resolve("acme/scenarios"))) {
            scenarios = files.filter(f -> f.toString().endsWith(".yaml")).count();
        }
        assertTrue(test.output().contains(scenarios + " passed, 0 failed"), test.output());
        Run simulate = run(work, List.of(bin.toString(), "simulate", "acme", "--events", "acme/events.jsonl", "--format", "json"));
        assertEquals(0, simulate.code(), simulate.output());
        assertTrue(simulate.output().contains("\"timeline\""), simulate.output());
    }

    private record Run(int code, String output) {}

    /** A bare environment: a PATH with the system's tools only, no JAVA_HOME, no Maven, nothing of the repository. */
    private static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Charter.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(p.exitValue(), out);
    }
}
