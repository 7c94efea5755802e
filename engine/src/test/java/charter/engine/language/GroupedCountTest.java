package charter.engine.language;

import static charter.engine.language.Programs.at;
import static charter.engine.language.Programs.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `count(...) by key`: one window, threshold and once-per-crossing latch per group. */
class GroupedCountTest {
    static final long MIN = 60_000;
    static final String PROGRAM = """
            program "t"
            team platform { owns project "api" }
            rule same_issue_errors "Three errors of one issue within 10 minutes" {
              when count(sentry.error.created e where e.level == "error") by e.issue_id >= 3 within 10m
              then pagerduty.page(team: owner(e.project), summary: "issue ${e.issue_id} failed ${e.title}")
            }
            """;
    static final CompiledProgram P = Programs.compile(PROGRAM);

    static CanonicalEvent error(String id, long at, String issue, String project) {
        return event(id, "sentry.error.created", at(at), Map.of("issue_id", issue, "project", project, "level", "error", "title", id));
    }

    static List<TimelineEntry.PlannedAction> run(List<CanonicalEvent> events) {
        SimulationResult r = new Simulator().run(P, events, List.of(), null);
        assertEquals(List.of(), r.errors());
        return r.actions();
    }

    @Test
    void firesOncePerGroupWithTheGroupsKeyAndEvents() {
        List<CanonicalEvent> events = List.of(
                error("a1", 0, "A", "api"), error("b1", MIN, "B", "web"), error("a2", 2 * MIN, "A", "api"),
                error("b2", 3 * MIN, "B", "web"), error("a3", 4 * MIN, "A", "api"), error("a4", 5 * MIN, "A", "api"),
                error("b3", 6 * MIN, "B", "web"));
        List<TimelineEntry.PlannedAction> actions = run(events);
        assertEquals(2, actions.size(), actions::toString);
        assertEquals(Map.of("team", "platform", "summary", "issue A failed a3"), actions.get(0).args());
        assertEquals(List.of("a1", "a2", "a3"), actions.get(0).provenance().eventIds().stream().sorted().toList());
        assertEquals(at(4 * MIN), actions.get(0).time());
        assertEquals(Map.of("team", "nobody", "summary", "issue B failed b3"), actions.get(1).args());
        assertEquals(List.of("b1", "b2", "b3"), actions.get(1).provenance().eventIds().stream().sorted().toList());
    }

    @Test
    void threeErrorsOfDifferentIssuesDoNotFire() {
        assertEquals(List.of(), run(List.of(error("a", 0, "A", "api"), error("b", MIN, "B", "api"), error("c", 2 * MIN, "C", "api"))));
    }

    @Test
    void theWindowIncludesBothEdgesAndFiresAgainOnlyAfterFallingBelow() {
        long w = 10 * MIN;
        // a1 at 0, a2 at w/2, a3 exactly at w: a1 is still in the window (inclusive edges).
        List<CanonicalEvent> events = new ArrayList<>(List.of(error("a1", 0, "A", "api"), error("a2", w / 2, "A", "api"),
                error("a3", w, "A", "api")));
        assertEquals(1, run(events).size());
        // One millisecond later, a1 is out: only two remain.
        events.set(2, error("a3", w + 1, "A", "api"));
        assertEquals(0, run(events).size());
        // Still at or above the threshold: no second firing; after a gap, a new crossing fires again.
        List<CanonicalEvent> crossing = List.of(error("a1", 0, "A", "api"), error("a2", MIN, "A", "api"), error("a3", 2 * MIN, "A", "api"),
                error("a4", 3 * MIN, "A", "api"), error("a5", 60 * MIN, "A", "api"), error("a6", 61 * MIN, "A", "api"),
                error("a7", 62 * MIN, "A", "api"));
        List<TimelineEntry.PlannedAction> twice = run(crossing);
        assertEquals(2, twice.size(), twice::toString);
        assertEquals(List.of("a5", "a6", "a7"), twice.get(1).provenance().eventIds().stream().sorted().toList());
    }

    @Test
    void severalGroupsCrossAtOneInstant() {
        List<CanonicalEvent> events = new ArrayList<>();
        for (String g : List.of("A", "B", "C")) {
            for (int i = 0; i < 3; i++) events.add(error(g + i, MIN * i, g, "api"));
        }
        List<TimelineEntry.PlannedAction> actions = run(events);
        assertEquals(3, actions.size(), actions::toString);
        assertEquals(List.of("A", "B", "C"), actions.stream().map(a -> ((String) a.args().get("summary")).substring(6, 7)).sorted().toList());
        actions.forEach(a -> assertEquals(at(2 * MIN), a.time()));
    }

    @Test
    void severalKeysGroupByTheirCombination() {
        CompiledProgram p = Programs.compile("""
                program "t"
                rule same_issue_same_env {
                  when count(sentry.error.created e) by e.issue_id, e.environment >= 2 within 10m
                  then slack.post(channel: "#x", text: "${e.issue_id} in ${e.environment}")
                }
                """);
        List<CanonicalEvent> events = List.of(
                event("a", "sentry.error.created", at(0), Map.of("issue_id", "1", "environment", "prod")),
                event("b", "sentry.error.created", at(MIN), Map.of("issue_id", "1", "environment", "staging")),
                event("c", "sentry.error.created", at(2 * MIN), Map.of("issue_id", "2", "environment", "prod")),
                event("d", "sentry.error.created", at(3 * MIN), Map.of("issue_id", "1", "environment", "prod")),
                event("e", "sentry.error.created", at(4 * MIN), Map.of("issue_id", "1")));
        SimulationResult r = new Simulator().run(p, events, List.of(), null);
        assertEquals(List.of("1 in prod"), r.actions().stream().map(a -> a.args().get("text")).toList());
        assertEquals(List.of("a", "d"), r.actions().getFirst().provenance().eventIds().stream().sorted().toList());
    }

    @Test
    void anEventWithoutTheKeyIsInNoGroup() {
        List<CanonicalEvent> events = List.of(
                event("x1", "sentry.error.created", at(0), Map.of("level", "error", "project", "api")),
                event("x2", "sentry.error.created", at(MIN), Map.of("level", "error", "project", "api")),
                event("x3", "sentry.error.created", at(2 * MIN), Map.of("level", "error", "project", "api")));
        assertEquals(List.of(), run(events));
    }
}
