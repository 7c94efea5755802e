package charter.compiler.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the JavaScript escape and stall corpus (one test per file), then mutated variants
 * for a few seconds. {@code scripts/fuzz-js} runs {@link #fuzz} for as long as asked, with
 * {@code -Dcharter.fuzz.js.seconds} and {@code -Dcharter.fuzz.js.seed}.
 */
class JsCorpusTest {
    @TestFactory
    Stream<DynamicTest> everyCorpusCaseHasItsOutcome() {
        List<JsCorpus.Case> cases = JsCorpus.load();
        assertTrue(cases.size() >= 30, "corpus: " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            JsCorpus.Result r = JsCorpus.judge(c.body());
            List<String> problems = JsCorpus.check(c, r);
            assertEquals(List.of(), problems, c.name());
        }));
    }

    @Test
    void fuzz() {
        long seconds = Long.getLong("charter.fuzz.js.seconds", 5);
        long seed = Long.getLong("charter.fuzz.js.seed", System.nanoTime());
        // Each body is bounded by the oracle; this bounds the run should a bug hang one.
        JsCorpus.Counts counts = assertTimeoutPreemptively(Duration.ofSeconds(seconds + 120), () -> JsCorpus.fuzz(seed, seconds * 1000));
        System.out.println("fuzz-js seed=" + seed + " seconds=" + seconds + " " + counts);
        counts.violations().stream().limit(20).forEach(v -> System.out.println("fuzz-js violation: " + v));
        assertEquals(List.of(), counts.violations(), "seed " + seed);
    }
}
