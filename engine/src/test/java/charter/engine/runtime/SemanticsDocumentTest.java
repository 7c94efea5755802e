package charter.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every example of docs/language/semantics.md runs through the compiled engine and gives the output the document states. */
class SemanticsDocumentTest {
    static final String DOCUMENT = "semantics.md";

    @Test
    void theDocumentHasExamplesWithDistinctNames() throws IOException {
        List<DocExamples.Example> all = DocExamples.of(DOCUMENT);
        assertTrue(all.size() >= 16, "only " + all.size() + " examples");
        assertEquals(all.size(), all.stream().map(DocExamples.Example::name).distinct().count(), "example names repeat");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleGivesTheOutputTheDocumentStates() throws IOException {
        return DocExamples.checks(DOCUMENT);
    }
}
