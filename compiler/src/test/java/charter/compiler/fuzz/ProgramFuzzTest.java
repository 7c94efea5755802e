package charter.compiler.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Program fuzzer, bounded for the unit suite (a few seconds); `scripts/fuzz-programs`
 * runs the same test for as long as asked through the properties below:
 * `charter.fuzz.seconds`, `charter.fuzz.seed`, `charter.fuzz.max`.
 * Every finding is written to target/fuzz-findings to become a regression test.
 */
class ProgramFuzzTest {
    static final Path ACME = Path.of("../program-examples/acme");

    @Test
    void noProgramEverMakesAnInternalError() throws IOException {
        long seconds = Long.getLong("charter.fuzz.seconds", 6);
        long seed = Long.getLong("charter.fuzz.seed", System.nanoTime());
        long max = Long.getLong("charter.fuzz.max", Long.MAX_VALUE);
        ProgramFuzzer.Report report = new ProgramFuzzer(seed, ACME).run(Duration.ofSeconds(seconds), max);
        System.out.println("program fuzzer: " + report.counts());
        Path out = Path.of("target/fuzz-findings");
        for (ProgramFuzzer.Finding f : report.findings()) {
            Path dir = Files.createDirectories(out.resolve(report.seed() + "-" + f.iteration()));
            Files.writeString(dir.resolve("PROBLEM.txt"), f.problem() + "\n");
            for (var e : f.files().entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
            System.out.println("  finding " + dir + ": " + f.problem().lines().findFirst().orElse(""));
        }
        assertTrue(report.programs() > 0);
        assertEquals(0, report.internalErrors(), () -> report.counts() + "; first: " + report.findings().getFirst().problem()
                + "\n" + new String(report.findings().getFirst().files().values().stream().reduce(new byte[0], (a, b) -> b), StandardCharsets.UTF_8)
                        .lines().limit(5).reduce("", (a, b) -> a + "\n" + b));
    }
}
