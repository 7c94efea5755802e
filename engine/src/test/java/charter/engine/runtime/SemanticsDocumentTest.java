package charter.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every example of docs/language/semantics.md runs through the compiled engine and gives the output the document states. */
class SemanticsDocumentTest {
    static final Path DOCUMENT = Path.of("..", "docs", "language", "semantics.md");

    static List<DocExamples.Example> examples() throws IOException {
        return DocExamples.parse(Files.readString(DOCUMENT));
    }

    @Test
    void theDocumentHasExamplesWithDistinctNames() throws IOException {
        List<DocExamples.Example> all = examples();
        assertTrue(all.size() >= 16, "only " + all.size() + " examples");
        assertEquals(all.size(), all.stream().map(DocExamples.Example::name).distinct().count(), "example names repeat");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleGivesTheOutputTheDocumentStates() throws IOException {
        return examples().stream().map(e -> DynamicTest.dynamicTest(e.name() + " (semantics.md:" + e.line() + ")", () ->
                assertEquals(String.join("\n", DocExamples.normalise(e.expect())),
                        String.join("\n", DocExamples.normalise(DocExamples.render(DocExamples.run(e)))),
                        "example " + e.name() + " at docs/language/semantics.md:" + e.line())));
    }
}
