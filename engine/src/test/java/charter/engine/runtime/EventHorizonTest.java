package charter.engine.runtime;

import static charter.engine.runtime.SimulatorTest.compile;
import static charter.engine.runtime.SimulatorTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.CompiledProgram;
import charter.compiler.core.EventHorizons;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each event type is kept as long as its own windows need, not for the Program's longest one. */
class EventHorizonTest {
    /**
     * Resolved issues are kept a week (the regression window); a deploy error is kept half an hour
     * for the Linear follow-up; a push only until its rule has run; a star is read by nothing.
     */
    private static final String PROGRAM = """
            program "t"
            rule regression {
              when sentry.issue.resolved r
               and sentry.issue.unresolved u where u.issue_id == r.issue_id within 7d after r
              then slack.post(channel: "#x", text: "regressed ${r.issue_id}")
            }
            rule forced {
              when github.push p where p.forced
              then slack.post(channel: "#x", text: "forced")
            }
            rule untracked_error {
              when vercel.deployment.error d
               and not linear.issue.created i where i.title == d.deployment_id within 30m after d
              then slack.post(channel: "#x", text: "untracked ${d.deployment_id}")
            }
            rule resolved_without_comment {
              when sentry.issue.resolved r
               and not linear.comment.created c where c.body == r.issue_id within 1h after r
              then slack.post(channel: "#x", text: "no comment on ${r.issue_id}")
            }
            """;
    private static final CompiledProgram COMPILED = compile(PROGRAM);
    private static final long MIN = 60_000, HOUR = 60 * MIN, DAY = 24 * HOUR;

    @Test
    void horizonsPerTypeFollowTheirOwnWindows() {
        EventHorizons h = COMPILED.drl().core().horizons();
        assertEquals(7 * DAY, h.longest());
        assertEquals(7 * DAY, h.of("sentry.issue.resolved"));
        assertEquals(7 * DAY, h.of("sentry.issue.unresolved"));
        assertEquals(EventHorizons.AT_ONCE, h.of("github.push"));
        assertEquals(30 * MIN, h.of("vercel.deployment.error"));
        assertEquals(30 * MIN, h.of("linear.issue.created"));
        // what fills `not … within 1h after r` stays as long as r may: a week, not an hour
        assertEquals(7 * DAY, h.of("linear.comment.created"));
        assertEquals(-1, h.of("github.star"));
    }

    @Test
    void acmeKeepsMostGithubEventsNotAtAllAndOnlySentryResolutionsForAWeek() throws Exception {
        EventHorizons h = charter.engine.scenario.AcmeProgramTest.acme().drl().core().horizons();
        assertEquals(7 * DAY, h.longest());
        assertEquals(7 * DAY, h.of("sentry.issue.resolved"));
        assertEquals(DAY, h.of("github.pull_request.opened"));
        assertEquals(HOUR, h.of("vercel.deployment.error"));
        assertEquals(EventHorizons.AT_ONCE, h.of("github.push"));
        assertEquals(-1, h.of("github.star"));
        assertEquals(-1, h.of("github.issue_comment.created"));
    }

    @Test
    void memoryHoldsOnlyWhatSomeWindowStillNeeds() {
        long t0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
        try (ProgramSession s = ProgramSession.simulation(COMPILED, t0, e -> {})) {
            for (int i = 0; i < 100; i++) {
                String at = Instant.ofEpochMilli(t0 + i).toString();
                s.onEvent(event("p" + i, "github.push", at, Map.of("forced", false)));
                s.onEvent(event("s" + i, "github.star", at, Map.of()));
                s.onEvent(event("d" + i, "vercel.deployment.error", at, Map.of("deployment_id", "dpl_" + i)));
                s.onEvent(event("r" + i, "sentry.issue.resolved", at, Map.of("issue_id", "i" + i)));
            }
            assertEquals(200, s.factCount(), "stars are never held, pushes go once their rule has seen them");
            s.advanceTo(t0 + 32 * MIN);
            assertEquals(100, s.factCount(), "deploy errors go after their half hour");
            s.advanceTo(t0 + 8 * DAY);
            assertEquals(0, s.factCount());
        }
    }

    @Test
    void anEventThatFilledANegationOutlivesItsAnchor() {
        long t0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
        List<TimelineEntry> out = new ArrayList<>();
        try (ProgramSession s = ProgramSession.simulation(COMPILED, t0, out::add)) {
            s.onEvent(event("r1", "sentry.issue.resolved", "2026-03-02T10:00:00Z", Map.of("issue_id", "i1")));
            s.advanceTo(t0 + 10 * MIN);
            s.onEvent(event("c1", "linear.comment.created", "2026-03-02T10:10:00Z", Map.of("body", "i1")));
            // the comment's own window is an hour, but the resolved issue stays a week: had the comment
            // gone after an hour, the negation would hold again and report a missing comment
            s.advanceTo(t0 + 3 * DAY);
            s.onEvent(event("p1", "github.push", "2026-03-05T10:00:00Z", Map.of("forced", true)));
        }
        List<String> texts = out.stream().filter(e -> e instanceof TimelineEntry.PlannedAction)
                .map(e -> String.valueOf(((TimelineEntry.PlannedAction) e).args().get("text"))).toList();
        assertEquals(List.of("forced"), texts);
    }
}
