package charter.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The three wrong answers of issue 11, through the real compiler and engine: a `not exists`
 * guard that never denied, two patterns of one type binding one event, and `owner()` / missing
 * fields turning into null or empty text in actions.
 */
class SemanticsRegressionTest {

    private static CanonicalEvent event(String id, String type, String time, Map<String, Object> data) {
        return SimulatorTest.event(id, type, time, data);
    }

    private static SimulationResult run(String program, List<CanonicalEvent> events, List<IntentRequest> intents, String until) {
        CompiledProgram p = SimulatorTest.compile(program);
        return new Simulator().run(p, events, intents, until == null ? null : Instant.parse(until));
    }

    // ---- 1. `not exists(...)` in a deny guard

    static final String NOT_EXISTS_GUARD = """
            program "b1"
            intent ship(repo: string) { resolve vercel.deploy(project: intent.repo, sha: "x", target: "production") }
            invariant no_recent_resolve "deny unless something was resolved in the last 2h" hard {
              deny ship where not exists(sentry.issue.resolved r within 2h before intent)
              because "nothing was resolved recently"
            }
            """;

    private static IntentRequest ship(String id, String time) {
        return new IntentRequest(id, "ship", "fay", null, Instant.parse(time), Map.of("repo", "northwind/etl"), null);
    }

    @Test
    void notExistsGuardDeniesWhenNothingMatched() {
        SimulationResult r = run(NOT_EXISTS_GUARD,
                List.of(event("e1", "sentry.issue.created", "2026-04-09T08:00:00Z", Map.of("issue_id", "1", "project", "etl"))),
                List.of(ship("i1", "2026-04-09T09:00:00Z")), null);
        assertEquals(List.of(TimelineEntry.Verdict.DENY), r.decisions().stream().map(TimelineEntry.Decision::verdict).toList());
        assertEquals(List.of("no_recent_resolve"), r.decisions().getFirst().denials().stream().map(TimelineEntry.Denial::invariant).toList());
        assertEquals(List.of(), r.decisions().getFirst().actions(), "a denied intent plans nothing");
    }

    @Test
    void notExistsGuardAllowsWhenTheWindowHoldsAMatchAndDeniesOnceItIsOlder() {
        var resolved = event("e1", "sentry.issue.resolved", "2026-04-09T07:00:00Z", Map.of("issue_id", "1", "project", "etl"));
        SimulationResult r = run(NOT_EXISTS_GUARD, List.of(resolved), List.of(
                ship("i1", "2026-04-09T09:00:00Z"),          // exactly 2h after: inside (inclusive)
                ship("i2", "2026-04-09T09:00:00.001Z")),     // 1 ms past the window
                null);
        assertEquals(List.of(TimelineEntry.Verdict.ALLOW, TimelineEntry.Verdict.DENY),
                r.decisions().stream().map(TimelineEntry.Decision::verdict).toList());
    }

    // ---- 2. two patterns of one type never bind the same event

    @Test
    void twoPatternsOfOneTypeNeedTwoEvents() {
        String program = """
                program "b2"
                rule twice {
                  when sentry.error.created a and sentry.error.created b where b.issue_id == a.issue_id within 10m after a
                  then slack.post(channel: "#e", text: "${a.id} then ${b.id}")
                }
                """;
        SimulationResult one = run(program,
                List.of(event("e1", "sentry.error.created", "2026-04-09T09:00:00Z", Map.of("issue_id", "7"))), List.of(), null);
        assertEquals(List.of(), one.actions(), "one error is not two");
        SimulationResult two = run(program, List.of(
                event("e1", "sentry.error.created", "2026-04-09T09:00:00Z", Map.of("issue_id", "7")),
                event("e2", "sentry.error.created", "2026-04-09T09:00:00Z", Map.of("issue_id", "7"))), List.of(), null);
        // At one instant both orders lie within 0..10m after the other: two distinct pairs.
        assertEquals(List.of("e1 then e2", "e2 then e1"),
                two.actions().stream().map(a -> (String) a.args().get("text")).sorted().toList());
    }

    @Test
    void anAnchorNeverFillsItsOwnAbsence() {
        String program = """
                program "b2"
                rule lonely_error {
                  when sentry.error.created a
                   and not sentry.error.created x where x.issue_id == a.issue_id within 10m after a
                  then slack.post(channel: "#e", text: "lonely ${a.id}")
                }
                """;
        SimulationResult r = run(program, List.of(
                event("e1", "sentry.error.created", "2026-04-09T09:00:00Z", Map.of("issue_id", "7")),
                event("e2", "sentry.error.created", "2026-04-09T09:03:00Z", Map.of("issue_id", "7")),
                event("e3", "sentry.error.created", "2026-04-09T10:00:00Z", Map.of("issue_id", "7"))), List.of(),
                "2026-04-09T12:00:00Z");
        assertEquals(List.of("2026-04-09T09:13:00Z lonely e2", "2026-04-09T10:10:00Z lonely e3"),
                r.actions().stream().map(a -> a.time() + " " + a.args().get("text")).toList());
    }

    @Test
    void aStateInvariantsEveryDoesNotSatisfyItsOwnHas() {
        String program = """
                program "b2"
                invariant followed_up soft {
                  every sentry.error.created a
                  has sentry.error.created b where b.issue_id == a.issue_id within 10m after a
                  because "an error is followed by another"
                }
                """;
        SimulationResult r = run(program, List.of(
                event("e1", "sentry.error.created", "2026-04-09T09:00:00Z", Map.of("issue_id", "7")),
                event("e2", "sentry.error.created", "2026-04-09T09:05:00Z", Map.of("issue_id", "7"))), List.of(),
                "2026-04-09T12:00:00Z");
        // e1 is followed by e2; e2 by nothing but itself.
        assertEquals(List.of("2026-04-09T09:15:00Z [e2]"),
                r.violations().stream().map(v -> v.time() + " " + v.provenance().eventIds()).toList());
    }

    // ---- 3. owner() and missing fields in actions

    static final String METRIC_PAGE = """
            program "b3"
            rule metric_critical {
              when sentry.metric_alert.critical m
              then pagerduty.page(team: owner(m.project), summary: "metric alert critical on ${m.project}")
                   linear.comment(issue: m.alert_id, body: "critical")
            }
            """;

    @Test
    void ownerOfAMissingFieldIsNobodyNeverNull() {
        String program = """
                program "b3"
                rule metric_critical {
                  when sentry.metric_alert.critical m
                  then pagerduty.page(team: owner(m.project), summary: "metric alert critical")
                }
                """;
        SimulationResult r = run(program,
                List.of(event("e1", "sentry.metric_alert.critical", "2026-04-09T09:00:00Z", Map.of())), List.of(), null);
        assertEquals(List.of(Map.of("team", "nobody", "summary", "metric alert critical")),
                r.actions().stream().map(TimelineEntry.PlannedAction::args).toList());
    }

    @Test
    void aMissingFieldReadsAsAMarkerInTextAndIsARuleErrorAsAWholeArgument() {
        SimulationResult r = run(METRIC_PAGE,
                List.of(event("e1", "sentry.metric_alert.critical", "2026-04-09T09:00:00Z", Map.of())), List.of(), null);
        assertEquals(List.of(Map.of("team", "nobody", "summary", "metric alert critical on <missing m.project>")),
                r.actions().stream().map(TimelineEntry.PlannedAction::args).toList(), "never empty text, never null");
        assertEquals(1, r.errors().size(), r.timeline()::toString);
        TimelineEntry.RuleError error = r.errors().getFirst();
        assertEquals("metric_critical", error.provenance().id());
        assertEquals(List.of("e1"), error.provenance().eventIds());
        assertTrue(error.message().contains("linear.comment") && error.message().contains("`issue`")
                && error.message().contains("`m.alert_id` is missing"), error.message());
        SimulationResult present = run(METRIC_PAGE, List.of(event("e1", "sentry.metric_alert.critical", "2026-04-09T09:00:00Z",
                Map.of("project", "etl", "alert_id", "42"))), List.of(), null);
        assertEquals(List.of(Map.of("team", "nobody", "summary", "metric alert critical on etl"), Map.of("issue", "42", "body", "critical")),
                present.actions().stream().map(TimelineEntry.PlannedAction::args).toList());
        assertEquals(List.of(), present.errors());
    }
}
