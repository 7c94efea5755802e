package charter.compiler.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.compiler.Compilation;
import charter.compiler.TestPrograms;
import charter.compiler.diff.ProgramDiff.Category;
import charter.compiler.diff.ProgramDiff.Change;
import charter.compiler.diff.ProgramDiff.Detail;
import charter.compiler.diff.ProgramDiff.Op;
import charter.compiler.model.ResolvedProgram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SemanticDiffTest {
    static final String PEOPLE = """
            program "t"
            person alice { github "alice-gh"  email "alice@t.dev" }
            person bob { github "bob-gh" }
            team platform "Platform" {
              members alice, bob
              owns repo "t/api", project "api"
            }
            significance {
              sentry.issue.created where level == "fatal" => 90
              vercel.deployment.error => 70
            }
            truth deployment.status prefer vercel over github
            """;

    static final String RULES = """
            function js env(url: string): string {
              return url.startsWith("https://staging") ? "staging" : "production"
            }

            rule page_on_failed_prod_deploy "Page on failed deploys" {
              when vercel.deployment.error d where d.target == "production" and env(d.url) == "production"
              then slack.post(channel: "#incidents", text: "Deploy of ${d.project} failed")
                   pagerduty.page(team: owner(d.project), summary: "failed", severity: "error")
            }

            rule escalate "Escalate" {
              when sentry.issue.created i where i.level == "fatal"
                and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
              then slack.post(channel: "#incidents", text: "unassigned ${i.title}")
            }

            rule burst {
              when count(vercel.deployment.error d where d.target == "production") >= 3 within 1h
              then slack.post(channel: "#eng", text: "burst")
            }

            invariant no_friday "No Friday deploys" soft {
              deny ship where intent.target == "production" and weekday(now) == "friday"
              unless intent.actor in team platform
              because "Weekends"
            }

            invariant fatal_assigned "Fatal assigned" soft {
              every sentry.issue.created i where i.level == "fatal"
              has sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
              because "Owners"
            }

            intent ship(project: string, target: string) "Ship" {
              resolve vercel.deploy(project: intent.project, sha: "x", target: intent.target)
            }
            """;

    static final String BASE = PEOPLE + RULES;

    static ResolvedProgram resolved(Map<String, String> files) {
        Compilation c = TestPrograms.check(TestPrograms.files(files));
        if (!c.ok()) fail("does not compile:\n" + TestPrograms.rendered(c));
        return c.drl().core().typed().program();
    }

    static ProgramDiff diff(String a, String b) {
        return SemanticDiff.between(resolved(Map.of("main.charter", a)), resolved(Map.of("main.charter", b)));
    }

    static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), () -> "not in the program: " + from);
        return text.replace(from, to);
    }

    static Change only(ProgramDiff d) {
        if (d.changes().size() != 1) fail("expected one change, got " + d.changes());
        return d.changes().getFirst();
    }

    static void assertDetail(Change c, String aspect, String from, String to) {
        Detail want = new Detail(aspect, from, to);
        if (!c.details().contains(want)) fail("expected " + want + " in " + c.details());
    }

    // ---- no change

    @Test
    void identicalProgramsHaveNoChange() {
        assertTrue(diff(BASE, BASE).isEmpty());
    }

    @Test
    void reformattingIsNoChange() {
        String messy = BASE.replace("\n  ", "\n        ").replace(" == ", "==").replace("{\n", "{\n\n")
                .replace("when vercel.deployment.error d where", "when   vercel.deployment.error   d\n   where");
        assertTrue(!messy.equals(BASE));
        assertEquals(List.of(), diff(BASE, messy).changes());
    }

    @Test
    void commentsAreNoChange() {
        String commented = "// header\n" + BASE.replace("rule burst {", "/* a block\n comment */ rule burst { // trailing")
                .replace("then slack.post(channel: \"#eng\"", "# hash\n  then slack.post(channel: \"#eng\"");
        assertEquals(List.of(), diff(BASE, commented).changes());
    }

    @Test
    void reorderingDeclarationsConditionsAndMovingFilesIsNoChange() {
        ResolvedProgram one = resolved(Map.of("main.charter", BASE));
        // Rules in reverse order, in another file; conditions of `escalate` swapped; `and` operands swapped.
        String reordered = PEOPLE + "import \"rules.charter\"\n";
        String rules = """
                intent ship(project: string, target: string) "Ship" {
                  resolve vercel.deploy(target: intent.target, sha: "x", project: intent.project)
                }
                invariant fatal_assigned "Fatal assigned" soft {
                  every sentry.issue.created i where i.level == "fatal"
                  has sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
                  because "Owners"
                }
                invariant no_friday "No Friday deploys" soft {
                  deny ship where weekday(now) == "friday" and intent.target == "production"
                  unless intent.actor in team platform
                  because "Weekends"
                }
                rule burst {
                  when count(vercel.deployment.error d where d.target == "production") >= 3 within 1h
                  then slack.post(text: "burst", channel: "#eng")
                }
                rule escalate "Escalate" {
                  when sentry.issue.created i where i.level == "fatal"
                    and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
                  then slack.post(channel: "#incidents", text: "unassigned ${i.title}")
                }
                rule page_on_failed_prod_deploy "Page on failed deploys" {
                  when vercel.deployment.error d where env(d.url) == "production" and d.target == "production"
                  then slack.post(channel: "#incidents", text: "Deploy of ${d.project} failed")
                       pagerduty.page(team: owner(d.project), summary: "failed", severity: "error")
                }
                function js env(url: string): string {
                    return url.startsWith("https://staging") ? "staging" : "production"

                }
                """;
        String people = reordered.replace("""
                  members alice, bob
                  owns repo "t/api", project "api"
                """, """
                  owns project "api", repo "t/api"
                  members bob, alice
                """).replace("""
                  sentry.issue.created where level == "fatal" => 90
                  vercel.deployment.error => 70
                """, """
                  vercel.deployment.error => 70
                  sentry.issue.created where level == "fatal" => 90
                """);
        ResolvedProgram two = resolved(Map.of("main.charter", people, "rules.charter", rules));
        assertEquals(List.of(), SemanticDiff.between(one, two).changes());
    }

    // ---- rules

    @Test
    void ruleAddedAndRemoved() {
        String b = replace(BASE, """
                rule burst {
                  when count(vercel.deployment.error d where d.target == "production") >= 3 within 1h
                  then slack.post(channel: "#eng", text: "burst")
                }
                """, """
                rule force_push {
                  when github.push p where p.forced
                  then slack.post(channel: "#security", text: "force-push")
                }
                """);
        ProgramDiff d = diff(BASE, b);
        assertEquals(2, d.changes().size(), d.changes()::toString);
        Change removed = d.changes().get(0);
        Change added = d.changes().get(1);
        assertEquals(Op.REMOVED, removed.op());
        assertEquals("burst", removed.id());
        assertEquals(Op.ADDED, added.op());
        assertEquals("force_push", added.id());
        assertEquals(Category.RULE, added.category());
        assertEquals("when github.push p where p.forced then slack.post(channel: \"#security\", text: \"force-push\")",
                added.details().getFirst().to());
        assertEquals("main.charter", added.after().file());
    }

    @Test
    void ruleRenamedWithSameBody() {
        Change c = only(diff(BASE, replace(BASE, "rule burst {", "rule deploy_error_burst \"Bursts\" {")));
        assertEquals(Op.RENAMED, c.op());
        assertEquals("deploy_error_burst", c.id());
        assertEquals("burst", c.previousId());
        assertEquals("rule deploy_error_burst renamed from burst", c.headline());
        assertEquals(List.of(new Detail("title", null, "\"Bursts\"")), c.details());
    }

    @Test
    void renameWithChangedBodyIsRemovedAndAdded() {
        String b = replace(BASE, "rule burst {", "rule deploy_error_burst {").replace(">= 3 within 1h", ">= 4 within 1h");
        ProgramDiff d = diff(BASE, b);
        assertEquals(List.of(Op.REMOVED, Op.ADDED), d.changes().stream().map(Change::op).toList());
    }

    @Test
    void ruleConditionWhereChangedFromTo() {
        Change c = only(diff(BASE, replace(BASE, "where i.level == \"fatal\"\n    and not", "where i.level == \"error\"\n    and not")));
        assertEquals(Op.CHANGED, c.op());
        assertEquals("escalate", c.id());
        assertEquals(List.of(new Detail("`sentry.issue.created i` where", "i.level == \"fatal\"", "i.level == \"error\"")), c.details());
    }

    @Test
    void ruleConjunctAddedAndRemoved() {
        Change c = only(diff(BASE, replace(BASE, "d.target == \"production\" and env(d.url) == \"production\"",
                "d.target == \"production\" and d.project == \"api\"")));
        assertDetail(c, "`vercel.deployment.error d` where condition", "env(d.url) == \"production\"", null);
        assertDetail(c, "`vercel.deployment.error d` where condition", null, "d.project == \"api\"");
        assertEquals(2, c.details().size());
    }

    @Test
    void ruleWindowChanged() {
        Change c = only(diff(BASE, replace(BASE, "a.issue_id == i.issue_id within 15m after i\n  then",
                "a.issue_id == i.issue_id within 30m after i\n  then")));
        assertEquals(List.of(new Detail("`not sentry.issue.assigned a` window", "15m", "30m")), c.details());
    }

    @Test
    void countThresholdAndWindowChanged() {
        Change c = only(diff(BASE, replace(BASE, ">= 3 within 1h", "> 5 within 2h")));
        assertEquals(List.of(new Detail("`count(vercel.deployment.error d)` threshold", ">= 3", "> 5"),
                new Detail("`count(vercel.deployment.error d)` window", "1h", "2h")), c.details());
    }

    @Test
    void conditionAddedAndRemoved() {
        String b = replace(BASE, """
                  when sentry.issue.created i where i.level == "fatal"
                    and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
                """, """
                  when sentry.issue.created i where i.level == "fatal"
                """);
        Change c = only(diff(BASE, b));
        assertEquals(List.of(new Detail("condition",
                "not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i", null)), c.details());
        Change back = only(diff(b, BASE));
        assertEquals(List.of(new Detail("condition", null,
                "not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i")), back.details());
    }

    @Test
    void actionArgumentsAddedChangedRemoved() {
        Change c = only(diff(BASE, replace(BASE, "pagerduty.page(team: owner(d.project), summary: \"failed\", severity: \"error\")",
                "pagerduty.page(team: owner(d.project), summary: \"failed: ${d.project}\")")));
        assertEquals(List.of(new Detail("action 2 `pagerduty.page` `severity`", "\"error\"", null),
                new Detail("action 2 `pagerduty.page` `summary`", "\"failed\"", "\"failed: ${d.project}\"")), c.details());
    }

    @Test
    void actionAddedRemovedAndReordered() {
        String added = replace(BASE, "then slack.post(channel: \"#eng\", text: \"burst\")",
                "then slack.post(channel: \"#eng\", text: \"burst\")\n       linear.create_issue(team: team platform, title: \"burst\")");
        assertEquals(List.of(new Detail("action", null, "linear.create_issue(team: team platform, title: \"burst\")")),
                only(diff(BASE, added)).details());
        String swapped = replace(BASE, """
                  then slack.post(channel: "#incidents", text: "Deploy of ${d.project} failed")
                       pagerduty.page(team: owner(d.project), summary: "failed", severity: "error")
                """, """
                  then pagerduty.page(team: owner(d.project), summary: "failed", severity: "error")
                       slack.post(channel: "#incidents", text: "Deploy of ${d.project} failed")
                """);
        assertEquals(List.of(new Detail("action order", "slack.post, pagerduty.page", "pagerduty.page, slack.post")),
                only(diff(BASE, swapped)).details());
    }

    @Test
    void ruleTitleChanged() {
        Change c = only(diff(BASE, replace(BASE, "\"Escalate\"", "\"Escalate fatal issues\"")));
        assertEquals(List.of(new Detail("title", "\"Escalate\"", "\"Escalate fatal issues\"")), c.details());
    }

    // ---- invariants

    @Test
    void invariantLevelSoftToHardAndUnlessRemoved() {
        String b = replace(BASE, "invariant no_friday \"No Friday deploys\" soft", "invariant no_friday \"No Friday deploys\" hard")
                .replace("  unless intent.actor in team platform\n", "");
        Change c = only(diff(BASE, b));
        assertEquals(Category.INVARIANT, c.category());
        assertEquals(List.of(new Detail("level", "soft", "hard"), new Detail("unless", "intent.actor in team platform", null)),
                c.details());
    }

    @Test
    void invariantBecauseAndWhereChanged() {
        Change c = only(diff(BASE, replace(BASE, "because \"Weekends\"", "because \"Weekends cost twice\"")
                .replace("weekday(now) == \"friday\"", "weekday(now) == \"saturday\"")));
        assertEquals(List.of(new Detail("where condition", "weekday(now) == \"friday\"", null),
                new Detail("where condition", null, "weekday(now) == \"saturday\""),
                new Detail("because", "\"Weekends\"", "\"Weekends cost twice\"")), c.details());
    }

    @Test
    void windowInsideExistsChanged() {
        String base = BASE.replace("and weekday(now) == \"friday\"",
                "and exists(sentry.issue.created i where i.level == \"fatal\" within 1h before intent)");
        Change c = only(diff(base, replace(base, "within 1h before intent", "within 10m before intent")));
        assertEquals(List.of(new Detail("where `exists(sentry.issue.created i)` window", "1h", "10m")), c.details());
    }

    @Test
    void stateInvariantWindowChanged() {
        Change c = only(diff(BASE, replace(BASE, "within 15m after i\n  because", "within 30m after i\n  because")));
        assertEquals("fatal_assigned", c.id());
        assertEquals(List.of(new Detail("has window", "15m", "30m")), c.details());
    }

    @Test
    void invariantRenamed() {
        Change c = only(diff(BASE, replace(BASE, "invariant fatal_assigned", "invariant fatal_issue_assigned")));
        assertEquals(Op.RENAMED, c.op());
        assertEquals("fatal_assigned", c.previousId());
        assertEquals(List.of(), c.details());
    }

    // ---- intents

    @Test
    void intentParameterAndResolveChanged() {
        String b = replace(BASE, "intent ship(project: string, target: string) \"Ship\" {\n  resolve vercel.deploy(project: intent.project, sha: \"x\", target: intent.target)",
                "intent ship(project: string, target: string, sha: string) \"Ship\" {\n  resolve vercel.deploy(project: intent.project, sha: intent.sha, target: intent.target)");
        Change c = only(diff(BASE, b));
        assertEquals(Category.INTENT, c.category());
        assertEquals(List.of(new Detail("parameter", null, "sha: string"),
                new Detail("resolve 1 `vercel.deploy` `sha`", "\"x\"", "intent.sha")), c.details());
    }

    // ---- people, teams, significance, truth

    @Test
    void personIdentityChangedAndPersonRenamed() {
        Change c = only(diff(BASE, replace(BASE, "github \"alice-gh\"", "github \"alice-chen\"")));
        assertEquals(List.of(new Detail("github", "\"alice-gh\"", "\"alice-chen\"")), c.details());
        ProgramDiff renamed = diff(BASE, BASE.replace("person bob", "person robert").replace("members alice, bob", "members alice, robert"));
        assertEquals(List.of(Op.RENAMED, Op.CHANGED), renamed.changes().stream().map(Change::op).toList(), renamed.changes()::toString);
        assertEquals("robert", renamed.changes().get(0).id());
        assertEquals(List.of(new Detail("member", "bob", null), new Detail("member", null, "robert")),
                renamed.changes().get(1).details());
    }

    @Test
    void teamMembersAndOwnershipChanged() {
        Change c = only(diff(BASE, replace(BASE, "members alice, bob\n  owns repo \"t/api\", project \"api\"",
                "members alice\n  owns repo \"t/api\", project \"api\", service \"payments\"")));
        assertEquals(Category.TEAM, c.category());
        assertEquals(List.of(new Detail("member", "bob", null), new Detail("owns", null, "service \"payments\"")), c.details());
    }

    @Test
    void significanceScoreWhereAddedRemoved() {
        Change score = only(diff(BASE, replace(BASE, "vercel.deployment.error => 70", "vercel.deployment.error => 80")));
        assertEquals(new Change(Category.SIGNIFICANCE, Op.CHANGED, "vercel.deployment.error", null, null,
                score.before(), score.after(), List.of(new Detail("score", "70", "80")), List.of()), score);
        Change where = only(diff(BASE, replace(BASE, "where level == \"fatal\" => 90", "where level == \"error\" => 90")));
        assertEquals(List.of(new Detail("where", "level == \"fatal\"", "level == \"error\"")), where.details());
        ProgramDiff added = diff(BASE, replace(BASE, "vercel.deployment.error => 70", "vercel.deployment.error => 70\n  github.push where forced => 90"));
        assertEquals(Op.ADDED, only(added).op());
        assertEquals("github.push where forced", only(added).id());
    }

    @Test
    void truthPreferenceChanged() {
        Change c = only(diff(BASE, replace(BASE, "prefer vercel over github", "prefer github over vercel")));
        assertEquals(Category.TRUTH, c.category());
        assertEquals(List.of(new Detail("prefer", "vercel over github", "github over vercel")), c.details());
    }

    // ---- functions

    @Test
    void functionBodyChangedNamesItsCallers() {
        Change c = only(diff(BASE, replace(BASE, "? \"staging\" : \"production\"", "? \"staging\" : \"prod\"")));
        assertEquals(Category.FUNCTION, c.category());
        assertEquals(List.of("rule page_on_failed_prod_deploy"), c.affected());
        assertEquals("body", c.details().getFirst().aspect());
        assertTrue(c.details().getFirst().to().contains("\"prod\""));
    }

    @Test
    void functionRenamedKeepsBody() {
        String b = BASE.replace("function js env(", "function js deploy_env(").replace("env(d.url)", "deploy_env(d.url)");
        ProgramDiff d = diff(BASE, b);
        assertEquals(List.of(Op.RENAMED, Op.CHANGED), d.changes().stream().map(Change::op).toList(), d.changes()::toString);
        assertEquals("deploy_env", d.changes().get(0).id());
        assertEquals(List.of("rule page_on_failed_prod_deploy"), d.changes().get(0).affected());
    }

    @Test
    void orderIsDeterministicByCategoryThenId() {
        String b = replace(BASE, "\"Escalate\"", "\"E\"").replace("\"Page on failed deploys\"", "\"P\"")
                .replace("prefer vercel over github", "prefer github over vercel").replace("github \"bob-gh\"", "github \"bob\"");
        ProgramDiff d = diff(BASE, b);
        assertEquals(List.of("person bob changed", "truth deployment.status changed", "rule escalate changed",
                "rule page_on_failed_prod_deploy changed"), d.changes().stream().map(Change::headline).toList());
        assertEquals(d, diff(BASE, b));
    }
}
