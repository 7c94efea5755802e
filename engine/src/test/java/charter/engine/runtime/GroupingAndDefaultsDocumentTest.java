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

/** Every example of docs/language/semantics-grouping-and-defaults.md gives, through the compiled engine, the output it states. */
class GroupingAndDefaultsDocumentTest {
    static final Path DOCUMENT = Path.of("..", "docs", "language", "semantics-grouping-and-defaults.md");

    static List<DocExamples.Example> examples() throws IOException {
        return DocExamples.parse(Files.readString(DOCUMENT));
    }

    @Test
    void theDocumentHasAnExampleForEachConstruct() throws IOException {
        List<String> names = examples().stream().map(DocExamples.Example::name).toList();
        assertTrue(names.containsAll(List.of("count-by-key", "count-by-key-same-instant", "tied-exists", "coalesce-and-skip")), names::toString);
        assertEquals(names.size(), names.stream().distinct().count(), "example names repeat");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleGivesTheOutputTheDocumentStates() throws IOException {
        return examples().stream().map(e -> DynamicTest.dynamicTest(e.name() + " (semantics-grouping-and-defaults.md:" + e.line() + ")", () ->
                assertEquals(String.join("\n", DocExamples.normalise(e.expect())),
                        String.join("\n", DocExamples.normalise(DocExamples.render(DocExamples.run(e)))),
                        "example " + e.name() + " at docs/language/semantics-grouping-and-defaults.md:" + e.line())));
    }
}
