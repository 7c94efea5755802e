package charter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests of what a user sees: each `golden/diagnostics/NAME.charter` is compiled
 * as the `main.charter` of a one-file Program (through resolve and typecheck, with the
 * test catalog), and every diagnostic, rendered, must equal `NAME.expected`.
 * Run with `-Dcharter.golden.update=true` to rewrite the expected files after a
 * deliberate change, then review the diff.
 */
class GoldenDiagnosticsTest {
    private static final Path DIR = Path.of("src", "test", "resources", "golden", "diagnostics");
    private static final boolean UPDATE = Boolean.getBoolean("charter.golden.update");

    @TestFactory
    Stream<DynamicTest> renderedDiagnosticsMatchTheExpectedFiles() throws IOException {
        List<Path> inputs;
        try (Stream<Path> files = Files.list(DIR)) {
            inputs = files.filter(p -> p.toString().endsWith(".charter")).sorted().toList();
        }
        assertFalse(inputs.isEmpty(), "no golden inputs in " + DIR.toAbsolutePath());
        return inputs.stream().map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), () -> check(input)));
    }

    private static void check(Path input) throws IOException {
        String source = Files.readString(input, StandardCharsets.UTF_8);
        String actual = Compile.files(Map.of("main.charter", source)).rendered();
        String name = input.getFileName().toString();
        Path expectedFile = input.resolveSibling(name.substring(0, name.length() - ".charter".length()) + ".expected");
        if (UPDATE) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(expectedFile)) {
            throw new AssertionError(expectedFile + " is missing; run with -Dcharter.golden.update=true to create it. Actual:\n" + actual);
        }
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual, () -> "rendered diagnostics of " + name);
    }
}
