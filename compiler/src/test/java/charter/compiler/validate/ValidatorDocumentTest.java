package charter.compiler.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Diagnostic;
import charter.compiler.fmt.ProgramFormatter;
import charter.compiler.load.ProgramFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/language/validator.md tells the truth: each ```charter warns=CODE@LINE[,CODE@LINE] block
 * gives exactly those validator warnings at those lines of the block, is in canonical format, and
 * a ```text warning block after it is the first line of its first warning as `charter check` prints it.
 */
class ValidatorDocumentTest {
    static final Path PAGE = Path.of("..", "docs", "language", "validator.md");

    @Test
    void everyExampleOfThePageGivesTheWarningsItSays() throws IOException {
        List<DocBlocks> blocks = DocBlocks.parse(Files.readString(PAGE));
        List<String> wrong = new ArrayList<>();
        int examples = 0;
        Compilation last = null;
        for (DocBlocks block : blocks) {
            if (block.info().startsWith("charter")) {
                String where = "validator.md:" + block.line();
                assertTrue(block.info().startsWith("charter warns="), where + ": say which warnings the example gives");
                examples++;
                var fmt = ProgramFormatter.check(where, block.body());
                if (!fmt.canonical()) wrong.add(where + ": not in canonical format:\n" + fmt.formatted());
                last = new ProgramCompiler(Catalog.standard()).check(new ProgramFiles("ex", Map.of(
                        "charter.yaml", "name: ex\n".getBytes(StandardCharsets.UTF_8),
                        "main.charter", block.body().getBytes(StandardCharsets.UTF_8))));
                if (!last.ok()) {
                    wrong.add(where + ": does not compile");
                    continue;
                }
                String expected = block.info().substring("charter warns=".length()).strip();
                String actual = WarningFreeExamplesTest.validatorWarnings(last).stream()
                        .map(d -> d.code().id() + "@" + d.span().line()).collect(Collectors.joining(","));
                if (!expected.equals(actual)) wrong.add(where + ": says " + expected + ", gives " + actual);
            } else if (block.info().equals("text warning") && last != null) {
                Diagnostic first = WarningFreeExamplesTest.validatorWarnings(last).getFirst();
                String printed = first.severity().label() + "[" + first.code().id() + "]: " + first.message();
                if (!block.body().lines().findFirst().orElse("").equals(printed)) wrong.add("validator.md:" + block.line() + ": prints\n" + printed);
            }
        }
        assertTrue(examples >= 6, "the page shows every check");
        assertEquals(List.of(), wrong);
    }
}
