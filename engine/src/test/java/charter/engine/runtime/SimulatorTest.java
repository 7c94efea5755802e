package charter.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.DiagnosticRenderer;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole pipeline on a small Program: compile, then a dry run on the pseudo clock. */
class SimulatorTest {
    static final String PROGRAM = """
            program "t"
            person alice { github "alice-gh" }
            person bob { github "bob-gh" }
            team platform { members alice  owns project "api" }
            rule page_on_failed_prod_deploy "Page the owner" {
              when vercel.deployment.error d where d.target == "production"
              then slack.post(channel: "#incidents", text: "Deploy of ${d.project} failed for ${owner(d.project)}")
            }
            rule escalate_unassigned {
              when sentry.issue.created i where i.level == "fatal"
               and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
              then pagerduty.page(team: owner(i.project), summary: "Unassigned: ${i.title}")
            }
            rule burst {
              when count(vercel.deployment.error d where d.target == "production") >= 3 within 1h
              then slack.post(channel: "#eng", text: "burst")
            }
            invariant no_friday "No Friday deploys" hard {
              deny ship where intent.target == "production" and weekday(now) == "friday"
              unless intent.actor in team platform
              because "Weekends"
            }
            invariant fatal_assigned soft {
              every sentry.issue.created i where i.level == "fatal"
              has sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
              because "Owners"
            }
            intent ship(repo: string, sha: string, target: string) {
              resolve vercel.deploy(project: intent.repo, sha: intent.sha, target: intent.target)
            }
            """;

    static CompiledProgram compile(String program) {
        ProgramFiles files = new ProgramFiles("t", Map.of(
                "charter.yaml", "name: t\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", program.getBytes(StandardCharsets.UTF_8)));
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(files);
        DiagnosticRenderer r = new DiagnosticRenderer(c.sources());
        assertTrue(c.ok(), () -> c.diagnostics().stream().map(r::render).reduce("", String::concat) + "\n" + (c.drl() == null ? "" : c.drl().drl()));
        return c.program();
    }

    static CanonicalEvent event(String id, String type, String time, Map<String, Object> data) {
        return new CanonicalEvent(id, type.substring(0, type.indexOf('.')), type, Instant.parse(time), data, List.of(), null);
    }

    @Test
    void plansActionsReportsDeadlinesAndDecidesIntents() {
        CompiledProgram p = compile(PROGRAM);
        List<CanonicalEvent> events = List.of(
                event("e1", "vercel.deployment.error", "2026-03-06T10:00:00Z", Map.of("target", "production", "project", "api")),
                event("e2", "sentry.issue.created", "2026-03-06T10:01:00Z", Map.of("issue_id", "9", "level", "fatal", "project", "api", "title", "boom")),
                event("e3", "vercel.deployment.error", "2026-03-06T10:10:00Z", Map.of("target", "production", "project", "web")),
                event("e4", "vercel.deployment.error", "2026-03-06T10:20:00Z", Map.of("target", "production", "project", "web")),
                event("e5", "vercel.deployment.error", "2026-03-06T10:30:00Z", Map.of("target", "production", "project", "web")));
        List<IntentRequest> intents = List.of(
                new IntentRequest("i1", "ship", "bob-gh", null, Instant.parse("2026-03-06T11:00:00Z"),
                        Map.of("repo", "api", "sha", "abc", "target", "production"), null),
                new IntentRequest("i2", "ship", "alice-gh", null, Instant.parse("2026-03-06T11:05:00Z"),
                        Map.of("repo", "api", "sha", "abc", "target", "production"), null));
        SimulationResult r = new Simulator().run(p, events, intents, null);
        assertEquals(List.of(), r.errors());
        var actions = r.actions();
        assertEquals("Deploy of api failed for platform", actions.getFirst().args().get("text"));
        var page = actions.stream().filter(a -> a.tool().equals("pagerduty.page")).findFirst().orElseThrow();
        assertEquals(Instant.parse("2026-03-06T10:16:00Z"), page.time());
        assertEquals(1, actions.stream().filter(a -> "burst".equals(a.args().get("text"))).count());
        assertEquals(1, r.violations().size());
        assertEquals(Instant.parse("2026-03-06T10:16:00Z"), r.violations().getFirst().time());
        var decisions = r.decisions();
        assertEquals(TimelineEntry.Verdict.DENY, decisions.get(0).verdict());
        assertEquals(TimelineEntry.Verdict.ALLOW, decisions.get(1).verdict());
        assertEquals("vercel.deploy", decisions.get(1).actions().getFirst().tool());
    }

    @Test
    void entityPatternsSeeTheLatestClaimsOfWhatEventsMention() {
        CompiledProgram p = compile("""
                program "t"
                rule prod_deploy_failed_again {
                  when vercel.deployment.error d
                   and deployment dep where dep.key == d.deployment_id and dep.occurrences >= 2 and dep.target == "production"
                  then slack.post(channel: "#a", text: "again ${dep.key}")
                }
                """);
        var refs = List.of(new charter.engine.event.EntityRef("deployment", "dpl_1"));
        List<CanonicalEvent> events = List.of(
                new CanonicalEvent("c1", "vercel", "vercel.deployment.created", Instant.parse("2026-03-02T10:00:00Z"),
                        Map.of("deployment_id", "dpl_1", "target", "production"), refs, null),
                new CanonicalEvent("e1", "vercel", "vercel.deployment.error", Instant.parse("2026-03-02T10:05:00Z"),
                        Map.of("deployment_id", "dpl_1", "target", "production"), refs, null));
        SimulationResult r = new Simulator().run(p, events, List.of(), null);
        assertEquals(List.of("again dpl_1"), r.actions().stream().map(a -> a.args().get("text")).toList());
        assertEquals(List.of("e1"), r.actions().getFirst().provenance().eventIds());
    }

    @Test
    void entityAttributesFollowTheProgramsTruthDeclarations() {
        String rule = """
                program "t"
                %s
                rule prod_deploy_failed {
                  when vercel.deployment.error d
                   and deployment dep where dep.key == d.deployment_id and dep.target == "production"
                  then slack.post(channel: "#a", text: "prod ${dep.key} failed")
                }
                """;
        var refs = List.of(new charter.engine.event.EntityRef("deployment", "dpl_1"));
        List<CanonicalEvent> events = List.of(
                new CanonicalEvent("v1", "vercel", "vercel.deployment.created", Instant.parse("2026-03-02T10:00:00Z"),
                        Map.of("deployment_id", "dpl_1", "target", "production"), refs, null),
                new CanonicalEvent("g1", "github", "github.deployment_status.created", Instant.parse("2026-03-02T10:01:00Z"),
                        Map.of("target", "preview"), refs, null),
                new CanonicalEvent("v2", "vercel", "vercel.deployment.error", Instant.parse("2026-03-02T10:05:00Z"),
                        Map.of("deployment_id", "dpl_1"), refs, null));
        SimulationResult preferVercel = new Simulator().run(compile(rule.formatted("truth deployment.target prefer vercel over github")),
                events, List.of(), null);
        assertEquals(List.of("prod dpl_1 failed"), preferVercel.actions().stream().map(a -> a.args().get("text")).toList(),
                "Vercel's claim stands against GitHub's later one");
        SimulationResult latestWins = new Simulator().run(compile(rule.formatted("")), events, List.of(), null);
        assertEquals(List.of(), latestWins.actions(), "without a truth declaration the latest claim (GitHub's preview) wins");
    }
}
