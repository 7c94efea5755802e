package charter.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.result.SimulationResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 3: a regular expression that backtracks catastrophically under
 * java.util.regex (and overflowed its stack inside Drools) must neither drop the
 * event for the other rules nor stop the run.
 */
class HostileRegexTest {
    static final String PROGRAM = """
            program "t"
            rule conventional_title {
              when github.pull_request.opened p where not (p.title matches "^(feat|fix|chore|docs)(\\\\([a-z]+\\\\))?: (\\\\w|\\\\s)*$")
              then slack.post(channel: "#prs", text: "not conventional: ${p.title}")
            }
            rule every_pr {
              when github.pull_request.opened p
              then slack.post(channel: "#prs", text: "opened ${p.number}")
            }
            """;

    @Test
    void aPathologicalSubjectIsMatchedInLinearTimeAndEveryRuleSeesTheEvent() {
        CompiledProgram program = SimulatorTest.compile(PROGRAM);
        String title = "feat: " + "a".repeat(2000);
        String bad = "feat: " + "a".repeat(10_000) + "!";
        List<CanonicalEvent> events = List.of(
                SimulatorTest.event("e1", "github.pull_request.opened", "2026-03-06T10:00:00Z", Map.of("title", title, "number", 1.0)),
                SimulatorTest.event("e2", "github.pull_request.opened", "2026-03-06T10:01:00Z", Map.of("title", bad, "number", 2.0)));
        SimulationResult r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new Simulator().run(program, events, List.of(), null));
        assertEquals(List.of(), r.errors());
        List<Object> texts = r.actions().stream().map(a -> a.args().get("text")).toList();
        assertTrue(texts.contains("opened 1") && texts.contains("opened 2"), texts::toString);
        assertEquals(1, texts.stream().filter(t -> String.valueOf(t).startsWith("not conventional")).count(), texts::toString);
    }
}
