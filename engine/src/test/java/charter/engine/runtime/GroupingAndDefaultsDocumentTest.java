package charter.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every example of docs/language/semantics-grouping-and-defaults.md gives, through the compiled engine, the output it states. */
class GroupingAndDefaultsDocumentTest {
    static final String DOCUMENT = "semantics-grouping-and-defaults.md";

    @Test
    void theDocumentHasAnExampleForEachConstruct() throws IOException {
        List<String> names = DocExamples.of(DOCUMENT).stream().map(DocExamples.Example::name).toList();
        assertTrue(names.containsAll(List.of("count-by-key", "count-by-key-same-instant", "tied-exists", "coalesce-and-skip")), names::toString);
        assertEquals(names.size(), names.stream().distinct().count(), "example names repeat");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleGivesTheOutputTheDocumentStates() throws IOException {
        return DocExamples.checks(DOCUMENT);
    }
}
