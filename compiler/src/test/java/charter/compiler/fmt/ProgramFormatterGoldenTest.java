package charter.compiler.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * `golden/fmt/NAME.charter` formats to `golden/fmt/NAME.formatted`; run with
 * `-Dcharter.golden.update=true` to rewrite the expected files. Every input is also
 * checked for idempotence, unchanged meaning and kept comments.
 */
class ProgramFormatterGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/fmt");
    private static final boolean UPDATE = Boolean.getBoolean("charter.golden.update");

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws IOException {
        List<Path> inputs;
        try (Stream<Path> files = Files.list(DIR)) {
            inputs = files.filter(p -> p.toString().endsWith(".charter")).sorted().toList();
        }
        assertFalse(inputs.isEmpty(), "no golden inputs in " + DIR.toAbsolutePath());
        return inputs.stream().map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), () -> {
            String name = input.getFileName().toString();
            String formatted = FormatProperties.formatAndCheck(name, Files.readString(input, StandardCharsets.UTF_8));
            Path expected = DIR.resolve(name.replaceFirst("\\.charter$", ".formatted"));
            if (UPDATE || !Files.exists(expected)) {
                Files.writeString(expected, formatted, StandardCharsets.UTF_8);
                if (!UPDATE) throw new AssertionError("wrote missing golden file " + expected + "; review it");
                return;
            }
            assertEquals(Files.readString(expected, StandardCharsets.UTF_8), formatted, name);
            // The expected output is itself canonical.
            assertEquals(formatted, FormatProperties.formatAndCheck(name + " (golden)", formatted));
        }));
    }
}
