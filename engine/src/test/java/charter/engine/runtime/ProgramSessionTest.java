package charter.engine.runtime;

import static charter.engine.runtime.SimulatorTest.compile;
import static charter.engine.runtime.SimulatorTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What a long-lived session keeps, and what a failed decision leaves behind. */
class ProgramSessionTest {
    private static final String GUARDED = """
            program "t"
            invariant no_prod "No production ships" hard {
              deny ship where intent.target == "production"
              because "frozen"
            }
            intent ship(repo: string, sha: string, target: string) {
              resolve vercel.deploy(project: intent.repo, sha: intent.sha, target: intent.target)
            }
            """;

    private static IntentRequest ship(String id, String target, Instant at) {
        return new IntentRequest(id, "ship", "alice", "", at, Map.of("repo", "api", "sha", "abc", "target", target), null);
    }

    @Test
    void aDecisionWhoseFiringThrowsLeavesNoIntentBehind() {
        CompiledProgram p = compile(GUARDED);
        Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
        AtomicBoolean fail = new AtomicBoolean();
        List<TimelineEntry> out = new ArrayList<>();
        try (ProgramSession session = ProgramSession.simulation(p, t0.toEpochMilli(), out::add, id -> {
            if (fail.getAndSet(false)) throw new AssertionError("injected failure in condition " + id);
        })) {
            long before = session.factCount();
            fail.set(true);
            assertThrows(RuntimeException.class, () -> session.decide(ship("i1", "production", t0)));
            assertEquals(before, session.factCount(), "the failed decision's intent is out of working memory");
            TimelineEntry.Decision next = session.decide(ship("i2", "staging", t0));
            assertEquals(TimelineEntry.Verdict.ALLOW, next.verdict(), "the next decision inherits no denial: " + next.denials());
            TimelineEntry.Decision denied = session.decide(ship("i3", "production", t0));
            assertEquals(TimelineEntry.Verdict.DENY, denied.verdict());
            assertEquals(1, denied.denials().size(), "one denial, of its own intent: " + denied.denials());
            assertEquals(before, session.factCount());
        }
    }

    private static final String PAGER = """
            program "t"
            rule page {
              when vercel.deployment.error d where d.target == "production"
              then slack.post(channel: "#incidents", text: "${d.project}")
            }
            rule escalate {
              when sentry.issue.created i where i.level == "fatal"
                and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
              then pagerduty.page(team: "platform", summary: "${i.title}")
            }
            rule busy_project {
              when vercel_project p where p.occurrences >= 1000
              then slack.post(channel: "#eng", text: "${p.key} is busy")
            }
            """;

    /**
     * Days of events, each planning an action and mentioning a new entity: what the session
     * remembers stays bounded by the Program's horizons, and every event still plans its action.
     */
    @Test
    void aLongLivedSessionForgetsActionIdsAndEntitiesPastItsHorizons() {
        CompiledProgram p = compile(PAGER);
        Instant t0 = Instant.parse("2026-03-02T00:00:00Z");
        List<TimelineEntry> out = new ArrayList<>();
        int n = 6 * 24 * 5;   // one every 10 minutes for 5 days
        int maxIds = 0;
        int maxEntities = 0;
        try (ProgramSession session = ProgramSession.simulation(p, t0.toEpochMilli(), out::add)) {
            for (int i = 0; i < n; i++) {
                Instant at = t0.plusSeconds(600L * i);
                CanonicalEvent e = new CanonicalEvent("e" + i, "vercel", "vercel.deployment.error", at,
                        Map.of("target", "production", "project", "p" + i), List.of(new EntityRef("vercel_project", "p" + i)), null);
                session.advanceTo(at.toEpochMilli());
                session.onEvent(e);
                maxIds = Math.max(maxIds, session.plannedActionIdCount());
                maxEntities = Math.max(maxEntities, session.entityCount());
            }
        }
        assertEquals(n, out.size(), "every event planned its action once");
        // longest horizon 15 min: at one event per 10 min, a handful of ids
        assertTrue(maxIds <= 5, "action ids kept: " + maxIds);
        // entities are kept a day: 144 mentions a day
        assertTrue(maxEntities <= 6 * 24 + 2, "entities kept: " + maxEntities);
    }
}
