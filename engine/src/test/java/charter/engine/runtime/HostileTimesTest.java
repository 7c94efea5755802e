package charter.engine.runtime;

import static charter.engine.runtime.SimulatorTest.compile;
import static charter.engine.runtime.SimulatorTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 (items 1, 2, 4) and issue 13 section 4: a failing significance clause fails only itself,
 * no stored event stops a replay, and no time moves a session's clock backwards or out of range.
 */
class HostileTimesTest {

    /** A function that fails on big input, scored in `significance`, and a rule that has nothing to do with it. */
    private static final String SCORED = """
            program "t"
            function js boom(n: number): number {
              if (n > 10) throw new Error("too big: " + n)
              return n
            }
            significance {
              github.pull_request.opened where boom(additions) > 5 => 80
            }
            rule opened {
              when github.pull_request.opened p
              then slack.post(channel: "#prs", text: "opened ${p.number}")
            }
            rule burst {
              when count(vercel.deployment.error d) >= 2 within 1h
              then slack.post(channel: "#eng", text: "burst")
            }
            invariant no_prod "No production" hard {
              deny ship where intent.target == "production"
              because "frozen"
            }
            intent ship(target: string) {
              resolve vercel.deploy(project: "api", sha: "abc", target: intent.target)
            }
            """;

    /** Compiled once: compiling a Program with a function takes seconds. */
    private static final CompiledProgram PROGRAM = compile(SCORED);

    private static CanonicalEvent pr(String id, String time, double additions) {
        return event(id, "github.pull_request.opened", time, Map.of("additions", additions, "number", 7.0));
    }

    private static IntentRequest ship(String id, String target, Instant time) {
        return new IntentRequest(id, "ship", "alice", null, time, Map.of("target", target), null);
    }

    @Test
    void aFailingSignificanceFunctionFailsOnlyThatClauseAndTheEventGoesThroughEveryRule() {
        CompiledProgram p = PROGRAM;
        SimulationResult r = new Simulator().run(p, List.of(pr("e1", "2026-03-06T10:00:00Z", 1e6)), List.of(), null);
        List<TimelineEntry.RuleError> errors = r.timeline().stream()
                .filter(TimelineEntry.RuleError.class::isInstance).map(TimelineEntry.RuleError.class::cast).toList();
        assertEquals(1, errors.size(), r.timeline().toString());
        assertEquals(Provenance.Kind.SIGNIFICANCE, errors.getFirst().provenance().kind());
        assertEquals(List.of("e1"), errors.getFirst().provenance().eventIds());
        assertTrue(errors.getFirst().message().contains("too big"), errors.getFirst().message());
        assertTrue(r.timeline().stream().anyMatch(e -> e instanceof TimelineEntry.PlannedAction a
                && a.provenance().id().equals("opened")), "the unrelated rule still ran: " + r.timeline());
    }

    @Test
    void anEventFromBefore1970IsTakenAtTheStartOfTheSimulationNotAnError() {
        CompiledProgram p = PROGRAM;
        SimulationResult r = new Simulator().run(p, List.of(
                pr("old", "1969-07-20T20:17:00Z", 1),
                pr("new", "2026-03-06T10:00:00Z", 1)), List.of(), null);
        assertEquals(2, r.events());
        assertEquals(2, r.timeline().stream().filter(TimelineEntry.PlannedAction.class::isInstance).count());
    }

    @Test
    void oneEventThatCannotBeReplayedIsRecordedAgainstItAndTheWarmUpGoesOn() throws Exception {
        List<TimelineEntry> out = Collections.synchronizedList(new ArrayList<>());
        Instant t = Instant.parse("2026-03-06T10:00:00Z");
        // Instant.MAX has no epoch milliseconds: nothing in the session can take it
        CanonicalEvent poison = new CanonicalEvent("poison", "vercel", "vercel.deployment.error", Instant.MAX, Map.of(), List.of(), null);
        try (LiveEngine engine = new LiveEngine(PROGRAM, t, out::add, Duration.ofHours(1))) {
            int replayed = engine.warmUp(List.of(
                    event("d1", "vercel.deployment.error", t.toString(), Map.of()),
                    poison)).get(30, TimeUnit.SECONDS);
            assertEquals(2, replayed);
            engine.submit(event("d2", "vercel.deployment.error", t.plusSeconds(60).toString(), Map.of()));
            engine.barrier().get(30, TimeUnit.SECONDS);
        }
        assertTrue(out.stream().anyMatch(e -> e instanceof TimelineEntry.RuleError err
                && err.provenance().eventIds().equals(List.of("poison"))), "the failure is recorded against the event: " + out);
        assertTrue(out.stream().anyMatch(e -> e instanceof TimelineEntry.PlannedAction a && a.provenance().id().equals("burst")),
                "the state replayed before the bad event is there: d1 and d2 make a burst: " + out);
    }

    @Test
    void anIntentFromBeforeTheClockIsDecidedAtTheClockNotRefused() throws Exception {
        Instant t = Instant.parse("2026-03-06T10:00:00Z");
        try (LiveEngine engine = new LiveEngine(PROGRAM, t, e -> {}, Duration.ofHours(1))) {
            engine.submit(pr("e1", t.plus(Duration.ofHours(3)).toString(), 1));
            TimelineEntry.Decision d = engine.decide(ship("i1", "production", t)).get(30, TimeUnit.SECONDS);
            assertEquals(TimelineEntry.Verdict.DENY, d.verdict());
            assertEquals(t.plus(Duration.ofHours(3)), d.time(), "decided at the engine's clock, which never moves back");
            TimelineEntry.Decision again = engine.decide(ship("i2", "staging", t.minus(Duration.ofDays(400)))).get(30, TimeUnit.SECONDS);
            assertEquals(TimelineEntry.Verdict.ALLOW, again.verdict());
        }
    }

    @Test
    void aDryRunChangesNothingNotEvenTheClock() throws Exception {
        Instant t = Instant.parse("2026-03-06T10:00:00Z");
        List<TimelineEntry> out = Collections.synchronizedList(new ArrayList<>());
        try (LiveEngine engine = new LiveEngine(PROGRAM, t, out::add, Duration.ofHours(1))) {
            TimelineEntry.Decision dry = engine.dryRun(ship("i1", "staging", t.plus(Duration.ofDays(8)))).get(30, TimeUnit.SECONDS);
            assertEquals(TimelineEntry.Verdict.ALLOW, dry.verdict());
            assertEquals(1, dry.actions().size());
            engine.barrier().get(30, TimeUnit.SECONDS);
            assertTrue(out.isEmpty(), "a dry run reports nothing: " + out);
            TimelineEntry.Decision real = engine.decide(ship("i1", "staging", t.plusSeconds(60))).get(30, TimeUnit.SECONDS);
            assertEquals(t.plusSeconds(60), real.time(), "the dry run did not move the clock eight days ahead");
            assertEquals(1, real.actions().size(), "the dry run did not mark the intent's action as planned");
        }
    }
}
