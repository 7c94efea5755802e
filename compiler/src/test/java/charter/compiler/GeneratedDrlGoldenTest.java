package charter.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of generated DRL: `golden/drl/NAME.charter` must compile to exactly
 * `NAME.drl`, and to the same bytes on every run. `-Dcharter.golden.update=true`
 * rewrites the expected files.
 */
class GeneratedDrlGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/drl");

    static Stream<String> programs() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".charter"))
                    .map(n -> n.substring(0, n.length() - ".charter".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("programs")
    void generatesTheExpectedDrl(String name) throws IOException {
        String source = Files.readString(DIR.resolve(name + ".charter"));
        Compilation first = TestPrograms.compile(source);
        assertTrue(first.ok(), () -> TestPrograms.rendered(first));
        Compilation second = TestPrograms.compile(source);
        assertEquals(first.drl().drl(), second.drl().drl(), "generation must be deterministic");

        Path expected = DIR.resolve(name + ".drl");
        if (Boolean.getBoolean("charter.golden.update") || !Files.exists(expected)) {
            Files.writeString(expected, first.drl().drl(), StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(expected), first.drl().drl());
    }
}
