package charter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.TestPrograms;
import charter.compiler.core.CoreElement;
import charter.compiler.core.CoreProgram;
import charter.compiler.core.FactPattern;
import charter.compiler.diag.Code;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lower pass: numbered facts and conditions, temporal links, the event horizon, and what it refuses. */
class LowerPassTest {

    private static CoreProgram lower(String program) {
        Compilation c = TestPrograms.check(TestPrograms.files(program));
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        return c.drl().core();
    }

    private static List<Code> errors(String program) {
        return TestPrograms.check(TestPrograms.files(program)).diagnostics().stream().map(d -> d.code()).toList();
    }

    @Test
    void numbersFactsPerRuleAndLinksWindowsToTheirAnchor() {
        CoreProgram core = lower("""
                program "t"
                rule r {
                  when sentry.issue.created i where i.level == "fatal"
                   and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
                   and not linear.issue.created l within 30m after i
                  then slack.post(channel: "#a", text: "x")
                }
                """);
        var rule = core.rules().getFirst();
        assertEquals(List.of("$f0"), rule.matchedVars());
        assertEquals(List.of("i"), rule.matchedBindings());
        FactPattern assigned = rule.when().get(1).pattern();
        FactPattern linear = rule.when().get(2).pattern();
        assertInstanceOf(CoreElement.Absent.class, rule.when().get(1));
        assertEquals("$f1", assigned.var());
        assertEquals("$f2", linear.var(), "patterns inside not(...) get their own variables");
        assertEquals(new FactPattern.TemporalLink("$f0", true, 900_000), assigned.temporal());
        // `a.issue_id == i.issue_id` is a native, indexable join key; nothing is left for a compiled condition.
        assertEquals(List.of(new FactPattern.JoinKey("issue_id", "$f0", "issue_id")), assigned.joinKeys());
        assertEquals(-1, assigned.conditionId());
        assertEquals(List.of(new FactPattern.LiteralKey("level", "\"fatal\"")), rule.when().getFirst().pattern().literalKeys());
        assertEquals(-1, rule.when().getFirst().pattern().conditionId());
        assertEquals(-1, linear.conditionId());
        assertEquals(1_800_000, core.eventHorizonMillis(), "the horizon is the longest window");
    }

    @Test
    void conjunctsThatAreNotPlainEqualitiesStayInTheCompiledCondition() {
        CoreProgram core = lower("""
                program "t"
                rule r {
                  when sentry.issue.created i where i.level == "fatal" and lower(i.project) != "sandbox"
                   and not sentry.issue.assigned a where a.issue_id == i.issue_id and a.assignee != "bot" within 15m after i
                  then slack.post(channel: "#a", text: "x")
                }
                """);
        var rule = core.rules().getFirst();
        var first = core.conditions().get(rule.when().getFirst().pattern().conditionId());
        assertEquals(1, first.all().size(), "the literal equality went native; the function call did not");
        FactPattern assigned = rule.when().get(1).pattern();
        assertEquals(List.of("i", "a"), core.conditions().get(assigned.conditionId()).bindings());
        assertEquals(List.of("$f0"), assigned.conditionArgs());
    }

    @Test
    void aProgramWithoutWindowsKeepsEventsOneSecond() {
        CoreProgram core = lower("""
                program "t"
                rule r { when vercel.deployment.error d then slack.post(channel: "#a", text: "x") }
                """);
        assertEquals(1_000, core.eventHorizonMillis());
    }

    @Test
    void guardsSplitExistsConjunctsIntoPatterns() {
        CoreProgram core = lower("""
                program "t"
                intent ship(target: string) { resolve vercel.deploy(project: "api", sha: "x", target: intent.target) }
                invariant fire soft {
                  deny ship where intent.target == "production"
                    and exists(sentry.issue.created i where i.level == "fatal" within 1h before intent)
                    and not exists(sentry.issue.resolved r within 1h before intent)
                  unless intent.actor == "alice"
                  because "fire"
                }
                """);
        var guard = core.guards().getFirst();
        assertEquals(FactPattern.FactKind.INTENT, guard.intentPattern().kind());
        assertInstanceOf(CoreElement.Exists.class, guard.state().get(0));
        assertInstanceOf(CoreElement.Absent.class, guard.state().get(1));
        var condition = core.conditions().get(guard.intentPattern().conditionId());
        assertEquals(1, condition.all().size(), "only the plain conjunct stays a condition");
        assertTrue(condition.unless() != null);
        assertEquals(new FactPattern.TemporalLink("$f0", false, 3_600_000), guard.state().get(0).pattern().temporal());
    }

    @Test
    void refusesExistsOutsideAGuardsTopLevel() {
        assertEquals(List.of(Code.EXISTS_PLACEMENT), errors("""
                program "t"
                intent ship(target: string) { resolve vercel.deploy(project: "api", sha: "x", target: intent.target) }
                invariant x hard {
                  deny ship where intent.target == "production" or exists(sentry.issue.created i within 1h before intent)
                  because "no"
                }
                """));
    }

    @Test
    void refusesACountWithOtherConditions() {
        assertEquals(List.of(Code.COUNT_NOT_ALONE), errors("""
                program "t"
                rule r {
                  when vercel.deployment.created c
                   and count(vercel.deployment.error d) >= 3 within 1h
                  then slack.post(channel: "#a", text: "x")
                }
                """));
    }

    @Test
    void entityPatternsLowerToEntityFacts() {
        CoreProgram core = lower("""
                program "t"
                rule r {
                  when vercel.deployment.error d
                   and deployment dep where dep.key == d.deployment_id
                  then slack.post(channel: "#a", text: "x")
                }
                """);
        assertEquals(FactPattern.FactKind.ENTITY, core.rules().getFirst().when().get(1).pattern().kind());
    }
}
