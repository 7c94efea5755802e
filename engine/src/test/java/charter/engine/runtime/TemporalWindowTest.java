package charter.engine.runtime;

import static charter.engine.runtime.SimulatorTest.compile;
import static charter.engine.runtime.SimulatorTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.result.SimulationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Windows of compiled Programs on the pseudo clock, one second inside and one second outside. */
class TemporalWindowTest {
    private static final CompiledProgram PROGRAM = compile(SimulatorTest.PROGRAM);

    private static SimulationResult run(List<CanonicalEvent> events, String until) {
        return new Simulator().run(PROGRAM, events, List.of(), until == null ? null : Instant.parse(until));
    }

    private static List<CanonicalEvent> fatalThenAssigned(String assignedAt) {
        return List.of(
                event("i1", "sentry.issue.created", "2026-03-02T10:00:00Z", Map.of("issue_id", "7", "level", "fatal", "project", "api", "title", "x")),
                event("a1", "sentry.issue.assigned", assignedAt, Map.of("issue_id", "7", "assignee", "alice@acme.dev")));
    }

    private static long pages(SimulationResult r) {
        return r.actions().stream().filter(a -> a.tool().equals("pagerduty.page")).count();
    }

    @Test
    void assignmentOneSecondInsideTheWindowPreventsTheEscalation() {
        SimulationResult r = run(fatalThenAssigned("2026-03-02T10:14:59Z"), "2026-03-02T12:00:00Z");
        assertEquals(0, pages(r));
        assertEquals(0, r.violations().size());
    }

    @Test
    void assignmentExactlyAtTheDeadlineStillCounts() {
        SimulationResult r = run(fatalThenAssigned("2026-03-02T10:15:00Z"), "2026-03-02T12:00:00Z");
        assertEquals(0, pages(r));
    }

    @Test
    void assignmentOneSecondOutsideTheWindowIsTooLate() {
        SimulationResult r = run(fatalThenAssigned("2026-03-02T10:15:01Z"), "2026-03-02T12:00:00Z");
        assertEquals(1, pages(r));
        assertEquals(Instant.parse("2026-03-02T10:15:00Z"), r.actions().getFirst().time(), "reported at the deadline, not later");
        assertEquals(List.of("i1"), r.violations().getFirst().provenance().eventIds());
    }

    @Test
    void twoEventsMissingTheJoinedFieldDoNotJoin() {
        var events = List.of(
                event("i1", "sentry.issue.created", "2026-03-02T10:00:00Z", Map.of("level", "fatal", "project", "api", "title", "x")),
                event("a1", "sentry.issue.assigned", "2026-03-02T10:05:00Z", Map.of("assignee", "alice@acme.dev")));
        assertEquals(1, pages(run(events, "2026-03-02T12:00:00Z")), "a missing issue_id equals nothing, not another missing one");
    }

    @Test
    void anOpenWindowIsNotReportedBeforeItCloses() {
        var events = List.of(fatalThenAssigned("2026-03-02T10:15:01Z").getFirst());
        assertEquals(0, pages(run(events, "2026-03-02T10:14:59Z")));
        assertEquals(1, pages(run(events, "2026-03-02T10:15:00Z")));
    }

    @Test
    void countFiresOncePerCrossingAndAgainAfterTheWindowEmpties() {
        List<CanonicalEvent> events = new ArrayList<>();
        String[] times = {"10:00:00", "10:20:00", "10:40:00", "10:50:00", "10:55:00", "13:00:00", "13:10:00", "13:20:00"};
        for (int i = 0; i < times.length; i++) {
            events.add(event("d" + i, "vercel.deployment.error", "2026-03-02T" + times[i] + "Z", Map.of("target", "production", "project", "web")));
        }
        SimulationResult r = run(events, null);
        var bursts = r.actions().stream().filter(a -> "burst".equals(a.args().get("text"))).toList();
        assertEquals(2, bursts.size(), r.timeline().toString());
        assertEquals(Instant.parse("2026-03-02T10:40:00Z"), bursts.get(0).time());
        assertEquals(Instant.parse("2026-03-02T13:20:00Z"), bursts.get(1).time());
    }

    @Test
    void anEventOneSecondOutsideTheCountWindowDoesNotCount() {
        List<CanonicalEvent> events = List.of(
                event("d1", "vercel.deployment.error", "2026-03-02T10:00:00Z", Map.of("target", "production")),
                event("d2", "vercel.deployment.error", "2026-03-02T10:30:00Z", Map.of("target", "production")),
                event("d3", "vercel.deployment.error", "2026-03-02T11:00:01Z", Map.of("target", "production")));
        assertTrue(run(events, null).actions().stream().noneMatch(a -> "burst".equals(a.args().get("text"))));
    }

    @Test
    void replayingTheSameEventsNeverPlansAnActionTwice() {
        var once = fatalThenAssigned("2026-03-02T10:20:00Z");
        List<CanonicalEvent> twice = new ArrayList<>(once);
        twice.addAll(once);
        SimulationResult r = run(twice, "2026-03-02T12:00:00Z");
        assertEquals(1, pages(r));
        assertTrue(r.duplicateActionsSkipped() >= 1);
    }

    @Test
    void memoryDoesNotGrowWithHistory() {
        List<CanonicalEvent> events = new ArrayList<>();
        Instant t = Instant.parse("2026-03-02T00:00:00Z");
        for (int i = 0; i < 5_000; i++) {
            events.add(event("p" + i, "vercel.deployment.error", t.plusSeconds(60L * i).toString(), Map.of("target", "preview")));
        }
        List<Long> counts = new ArrayList<>();
        try (ProgramSession session = ProgramSession.simulation(PROGRAM, t.toEpochMilli(), e -> { })) {
            for (CanonicalEvent e : events) {
                session.advanceTo(e.time().toEpochMilli());
                session.onEvent(e);
                if (counts.size() < 5 && e.id().endsWith("000")) counts.add(session.factCount());
            }
        }
        // One event a minute and a 1h horizon: about 60 live facts whatever the history.
        assertTrue(counts.stream().allMatch(c -> c <= 62), counts.toString());
    }

    @Test
    void aFailingConditionIsRecordedAndTheOtherRulesStillFire() {
        CompiledProgram p = compile("""
                program "t"
                rule fragile { when vercel.deployment.error d where lower(d.target) == "production"
                  then slack.post(channel: "#a", text: "fragile") }
                rule sturdy { when vercel.deployment.error d then slack.post(channel: "#b", text: "sturdy") }
                """);
        Map<String, Object> wrongType = Map.of("target", 42.0);
        SimulationResult r = new Simulator().run(p, List.of(event("e1", "vercel.deployment.error", "2026-03-02T10:00:00Z", wrongType)), List.of(), null);
        assertEquals(1, r.errors().size());
        assertEquals("fragile", r.errors().getFirst().provenance().id());
        assertEquals(List.of("e1"), r.errors().getFirst().provenance().eventIds());
        assertEquals(List.of("sturdy"), r.actions().stream().map(a -> a.args().get("text")).toList());
    }
}
