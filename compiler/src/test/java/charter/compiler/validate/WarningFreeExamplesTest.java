package charter.compiler.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Diagnostic;
import charter.compiler.load.ProgramFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Programs people copy from must not teach dead code: the example company and every whole
 * Program the documentation shows (but the validator's own page, whose examples warn on purpose)
 * give no validator warning.
 */
class WarningFreeExamplesTest {
    static final Path ROOT = Path.of("..");

    @Test
    void theExampleCompanyHasNoValidatorWarning() throws Exception {
        Compilation c = new ProgramCompiler(Catalog.standard()).check(ProgramFiles.fromDirectory(ROOT.resolve("program-examples/acme")));
        assertTrue(c.ok());
        assertEquals(List.of(), validatorWarnings(c));
    }

    @Test
    void noProgramOfTheDocumentationHasAValidatorWarning() throws IOException {
        List<String> warned = new ArrayList<>();
        int checked = 0;
        List<Path> pages;
        try (Stream<Path> walk = Files.walk(ROOT.resolve("docs"))) {
            pages = new ArrayList<>(walk.filter(p -> p.toString().endsWith(".md") && !p.endsWith("validator.md")).sorted().toList());
        }
        pages.add(ROOT.resolve("README.md"));
        for (Path page : pages) {
            for (DocBlocks block : DocBlocks.parse(Files.readString(page))) {
                if (!block.info().startsWith("charter") || !block.body().strip().startsWith("program")) continue;
                Compilation c = new ProgramCompiler(Catalog.standard()).check(new ProgramFiles("doc", Map.of(
                        "charter.yaml", "name: doc\n".getBytes(StandardCharsets.UTF_8),
                        "main.charter", block.body().getBytes(StandardCharsets.UTF_8))));
                if (!c.ok()) continue;   // fragments and deliberate errors are other tests' business
                checked++;
                for (Diagnostic d : validatorWarnings(c)) warned.add(page + ":" + (block.line() + d.span().line() - 1) + " " + d.message());
            }
        }
        assertTrue(checked >= 20, "only " + checked + " Programs found in the docs");
        assertEquals(List.of(), warned);
    }

    static List<Diagnostic> validatorWarnings(Compilation c) {
        return c.diagnostics().stream().filter(d -> d.code().id().startsWith("CH6")).toList();
    }
}
