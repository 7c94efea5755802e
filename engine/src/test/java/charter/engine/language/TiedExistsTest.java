package charter.engine.language;

import static charter.engine.language.Programs.at;
import static charter.engine.language.Programs.event;
import static charter.engine.language.Programs.intent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A deny guard's `exists(...)` tied to its own binding inside a nested absence, or to an earlier
 * binding of the guard: "a fatal issue of the repo owner's project, created in the last 2h, that
 * has not been resolved since".
 */
class TiedExistsTest {
    static final long MIN = 60_000, HOUR = 60 * MIN;
    static final String HEADER = """
            program "t"
            person fay { github "fay" }
            team data { members fay  owns repo "northwind/etl", project "etl" }
            team web { owns project "site" }
            intent ship(repo: string) { resolve vercel.deploy(project: intent.repo, sha: "x", target: "production") }
            """;
    /** The absence nested in the `where` of the exists it refers to. */
    static final CompiledProgram NESTED = Programs.compile(HEADER + """
            invariant open_fatal "Fix the fire first" hard {
              deny ship where exists(sentry.issue.created i where i.level == "fatal" and owner(i.project) == owner(intent.repo)
                  and not exists(sentry.issue.resolved r where r.issue_id == i.issue_id within 2h after i)
                within 2h before intent)
              because "an unresolved fatal issue of the owner's project"
            }
            """);
    /** The same guard written as two exists of the guard, the second referring to the first's binding. */
    static final CompiledProgram SPLIT = Programs.compile(HEADER + """
            invariant open_fatal "Fix the fire first" hard {
              deny ship where exists(sentry.issue.created i where i.level == "fatal" and owner(i.project) == owner(intent.repo) within 2h before intent)
                and not exists(sentry.issue.resolved r where r.issue_id == i.issue_id within 2h after i)
              because "an unresolved fatal issue of the owner's project"
            }
            """);

    static CanonicalEvent created(String id, long at, String issue, String project) {
        return event(id, "sentry.issue.created", at(at), Map.of("issue_id", issue, "project", project, "level", "fatal"));
    }

    static CanonicalEvent resolved(String id, long at, String issue) {
        return event(id, "sentry.issue.resolved", at(at), Map.of("issue_id", issue, "project", "etl", "level", "fatal"));
    }

    static TimelineEntry.Verdict verdict(CompiledProgram p, List<CanonicalEvent> events, long shipAt) {
        SimulationResult r = new Simulator().run(p, events, List.of(intent("i1", "ship", at(shipAt), Map.of("repo", "northwind/etl"))), null);
        assertEquals(List.of(), r.errors());
        return r.decisions().getFirst().verdict();
    }

    static void both(TimelineEntry.Verdict expected, List<CanonicalEvent> events, long shipAt) {
        assertEquals(expected, verdict(NESTED, events, shipAt), "nested form");
        assertEquals(expected, verdict(SPLIT, events, shipAt), "split form");
    }

    @Test
    void anUnresolvedFatalIssueOfTheOwnersProjectDenies() {
        both(TimelineEntry.Verdict.DENY, List.of(created("c1", 0, "1", "etl")), HOUR);
    }

    @Test
    void resolvedSinceAllows() {
        both(TimelineEntry.Verdict.ALLOW, List.of(created("c1", 0, "1", "etl"), resolved("r1", 30 * MIN, "1")), HOUR);
    }

    @Test
    void aResolutionOfAnotherIssueOrFromBeforeTheCreationDoesNotCount() {
        both(TimelineEntry.Verdict.DENY, List.of(created("c1", 0, "1", "etl"), resolved("r2", 30 * MIN, "2")), HOUR);
        both(TimelineEntry.Verdict.DENY, List.of(resolved("r0", 0, "1"), created("c1", MIN, "1", "etl")), HOUR);
    }

    @Test
    void anotherTeamsProjectDoesNotDeny() {
        both(TimelineEntry.Verdict.ALLOW, List.of(created("c1", 0, "1", "site")), HOUR);
    }

    @Test
    void oneResolvedIssueDoesNotHideAnotherOpenOne() {
        both(TimelineEntry.Verdict.DENY, List.of(created("c1", 0, "1", "etl"), created("c2", MIN, "2", "etl"),
                resolved("r1", 2 * MIN, "1")), HOUR);
    }

    @Test
    void theCreationWindowIncludesItsEdge() {
        both(TimelineEntry.Verdict.DENY, List.of(created("c1", 0, "1", "etl")), 2 * HOUR);
        both(TimelineEntry.Verdict.ALLOW, List.of(created("c1", 0, "1", "etl")), 2 * HOUR + 1);
    }

    /** The two spellings mean the same: on random streams they decide every intent alike. */
    @Test
    void theNestedAndSplitFormsAgreeOnRandomStreams() {
        Random random = new Random(11);
        for (int round = 0; round < 30; round++) {
            List<CanonicalEvent> events = new ArrayList<>();
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                long t = random.nextInt(4) * 30 * MIN + (random.nextBoolean() ? 0 : random.nextInt(3) - 1);
                String issue = Integer.toString(random.nextInt(3));
                events.add(random.nextBoolean() ? created("c" + i, t, issue, random.nextInt(4) == 0 ? "site" : "etl")
                        : resolved("r" + i, t, issue));
            }
            long ship = 2 * HOUR + random.nextInt(3) * 30 * MIN;
            assertEquals(verdict(NESTED, events, ship), verdict(SPLIT, events, ship), events::toString);
        }
    }
}
