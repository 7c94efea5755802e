package charter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.ast.Condition;
import charter.compiler.ast.Expr;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.types.Type;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypecheckPassTest {

    @Test
    void acceptsTheExampleProgramAndRecordsTypes() {
        var r = Compile.files(Map.of("main.charter", ResolvePassTest.EXAMPLE, "people.charter", ResolvePassTest.PEOPLE));
        r.assertClean();
        var rule = r.resolved().rules().getFirst();
        Expr where = ((Condition.Match) rule.when().getFirst()).pattern().where();
        assertEquals(Type.BOOL, r.typed().typeOf(where));
        assertEquals(Type.STRING, r.typed().typeOf(((Expr.Binary) where).left()));
        Expr team = rule.then().get(1).args().getFirst().value();
        assertEquals(Type.TEAM, r.typed().typeOf(team));
        assertEquals(Type.STRING, r.typed().typeOf(((Expr.Call) team).args().getFirst()));
    }

    // ---- patterns and fields ----

    @Test
    void unknownEventType() {
        var r = rule("when vercel.deployment.eror d", "slack.post(channel: \"#x\", text: \"y\")");
        Diagnostic d = r.assertAt(Code.UNKNOWN_EVENT_TYPE, "main.charter:2:15", "vercel.deployment.error");
        assertEquals("unknown event type `vercel.deployment.eror`", d.message());
    }

    @Test
    void anEventOfASourceTheManifestDoesNotListIsAWarning() {
        var program = """
                program "t"
                rule r {
                  when sentry.issue.created i
                  then slack.post(channel: "#x", text: "y")
                }
                """;
        var listed = Compile.run(new charter.compiler.load.ProgramFiles("test", Map.of(
                "charter.yaml", "name: t\nsources: [github, vercel]\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "main.charter", program.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        Diagnostic d = listed.assertAt(Code.SOURCE_NOT_LISTED, "main.charter:3:8", null);
        assertEquals(charter.compiler.diag.Severity.WARNING, d.severity());
        assertTrue(d.message().contains("add sentry to `sources`"), d.message());
        // Without `sources`, every source is listed.
        Compile.source(program).assertClean();
    }

    @Test
    void unknownEntityType() {
        rule("when deploymnt x where x.status == \"failed\"", "slack.post(channel: \"#x\", text: \"y\")")
                .assertOnly(Code.UNKNOWN_EVENT_TYPE); // no cascade into x.status
    }

    @Test
    void entityPatternsUseEntityAttributes() {
        rule("when deployment x where x.status == \"failed\"", "slack.post(channel: \"#x\", text: x.project)").assertClean();
    }

    @Test
    void unknownFieldNamesTheType() {
        var r = rule("when vercel.deployment.error d where d.targt == \"production\"", "slack.post(channel: \"#x\", text: \"y\")");
        Diagnostic d = r.assertAt(Code.UNKNOWN_FIELD, "main.charter:2:49", "target");
        assertEquals("unknown field `targt` on vercel.deployment.error", d.message());
        r.assertOnly(Code.UNKNOWN_FIELD);
    }

    @Test
    void fieldOfAScalarIsAnError() {
        var r = rule("when vercel.deployment.error d where d.target.name == \"x\"", "slack.post(channel: \"#x\", text: \"y\")");
        Diagnostic d = r.assertAt(Code.UNKNOWN_FIELD, "main.charter:2:56", null);
        assertEquals("`d.target` is a string and has no field `name`", d.message());
    }

    @Test
    void intentFieldsAreItsParametersAndBuiltIns() {
        var r = src("""
                intent ship(repo: string, target: string) {}
                invariant i hard { deny ship where intent.targt == "production" and intent.reason != "" because "no" }
                """);
        r.assertAt(Code.UNKNOWN_FIELD, "main.charter:3:43", "target");
    }

    @Test
    void significanceFieldsAreBare() {
        var r = src("significance { sentry.issue.created where levle == \"fatal\" => 90 }\n");
        Diagnostic d = r.assertAt(Code.UNKNOWN_FIELD, "main.charter:2:43", "level");
        assertTrue(d.message().endsWith("on sentry.issue.created"), d.message());
    }

    @Test
    void significanceScoresEventsOnly() {
        src("significance { deployment => 10 }\n").assertAt(Code.UNKNOWN_EVENT_TYPE, "main.charter:2:16", null);
        src("significance { sentry.isue.created => 10 }\n").assertAt(Code.UNKNOWN_EVENT_TYPE, "main.charter:2:16", "sentry.issue.created");
    }

    @Test
    void truthNamesAnEntityAttribute() {
        src("truth deployment.stauts prefer vercel over github\n").assertAt(Code.UNKNOWN_FIELD, "main.charter:2:18", "status");
        src("truth deploymnt.status prefer vercel over github\n").assertAt(Code.UNKNOWN_EVENT_TYPE, "main.charter:2:7", "deployment");
    }

    // ---- operators ----

    @Test
    void comparingStringWithNumber() {
        var r = rule("when vercel.deployment.error d where d.target == 3", "slack.post(channel: \"#x\", text: \"y\")");
        Diagnostic d = r.assertAt(Code.TYPE_MISMATCH, "main.charter:2:47", null);
        assertEquals("cannot compare string with number", d.message());
        r.assertOnly(Code.TYPE_MISMATCH); // the where is ERROR, not "must be bool" again
    }

    @Test
    void orderingNeedsNumbersTimesOrDurations() {
        rule("when github.pull_request.opened p where p.additions + p.deletions > 500 and p.time - now < 1h and now > p.time",
                "slack.post(channel: \"#x\", text: \"big\")").assertClean();
        var r = rule("when github.pull_request.opened p where p.repo > \"a\"", "slack.post(channel: \"#x\", text: \"y\")");
        assertEquals("`>` compares two numbers, times or durations, got string and string",
                r.at(Code.TYPE_MISMATCH, "main.charter:2:50").message());
    }

    @Test
    void arithmetic() {
        rule("when github.pull_request.opened p where p.time + 1h > now and p.repo + \"/x\" == \"a/x\"",
                "slack.post(channel: \"#x\", text: \"y\")").assertClean();
        var r = rule("when github.pull_request.opened p where p.additions + p.repo == 3", "slack.post(channel: \"#x\", text: \"y\")");
        r.assertOnly(Code.TYPE_MISMATCH);
        assertTrue(r.at(Code.TYPE_MISMATCH, "main.charter:2:50").message().startsWith("cannot add number and string"));
        var minus = rule("when github.pull_request.opened p where 1h - p.time > 1h", "slack.post(channel: \"#x\", text: \"y\")");
        assertTrue(minus.at(Code.TYPE_MISMATCH, "main.charter:2:50").message().startsWith("cannot subtract time from duration"));
    }

    @Test
    void inListsAndTeams() {
        var ok = src("""
                person alice { github "alice-gh" }
                team platform { members alice }
                rule r { when github.pull_request.opened p
                    where "security" in p.labels and p.author in team platform and p.repo not in ["a", "b"]
                  then slack.post(channel: "#x", text: "y") }
                """);
        ok.assertClean();
        var r = src("""
                team platform {}
                rule r { when github.pull_request.opened p where p.additions in team platform or 3 in p.labels or p.repo in p.repo
                  then slack.post(channel: "#x", text: "y") }
                """);
        assertTrue(r.at(Code.TYPE_MISMATCH, "main.charter:3:50").message().contains("needs a person or an identity string"));
        assertEquals("cannot look for number in list<string>", r.at(Code.TYPE_MISMATCH, "main.charter:3:82").message());
        assertEquals("`in` needs a list or a team on the right, got string", r.at(Code.TYPE_MISMATCH, "main.charter:3:99").message());
    }

    @Test
    void listLiteralsHoldOneType() {
        var r = rule("when github.pull_request.opened p where p.repo in [\"a\", 2]", "slack.post(channel: \"#x\", text: \"y\")");
        r.assertAt(Code.TYPE_MISMATCH, "main.charter:2:66", null);
    }

    @Test
    void matchesNeedsAValidConstantRegex() {
        rule("when vercel.deployment.error d where d.branch matches \"^release/\\\\d+$\"", "slack.post(channel: \"#x\", text: \"y\")")
                .assertClean();
        var r = rule("when vercel.deployment.error d where d.branch matches \"(release\"", "slack.post(channel: \"#x\", text: \"y\")");
        Diagnostic d = r.assertAt(Code.BAD_REGEX, "main.charter:2:64", null);
        assertTrue(d.message().startsWith("invalid regular expression: missing closing )"), d.message());
        var dynamic = rule("when vercel.deployment.error d where d.branch matches d.target", "slack.post(channel: \"#x\", text: \"y\")");
        dynamic.assertAt(Code.TYPE_MISMATCH, "main.charter:2:64", null);
    }

    @Test
    void patternsOutsideRe2AreRefusedAtCheckTimeWithHelp() {
        for (String pattern : List.of("^(?=feat)", "(a)\\\\1", "a++", "(?>a)", "((a{100}){100}){100}", "x".repeat(1001))) {
            var r = rule("when vercel.deployment.error d where d.branch matches \"" + pattern + "\"", "slack.post(channel: \"#x\", text: \"y\")");
            Diagnostic d = r.assertAt(Code.BAD_REGEX, "main.charter:2:64", null);
            assertTrue(d.message().startsWith("invalid regular expression: "), d.message());
        }
        Diagnostic lookahead = rule("when vercel.deployment.error d where d.branch matches \"^(?=feat)\"", "slack.post(channel: \"#x\", text: \"y\")")
                .at(Code.BAD_REGEX, "main.charter:2:64");
        assertTrue(lookahead.message().contains("RE2 syntax") && lookahead.message().contains("lookahead"), lookahead.message());
    }

    @Test
    void logicalOperatorsAndConditionsNeedBool() {
        var r = rule("when vercel.deployment.error d where d.target and not d.url", "slack.post(channel: \"#x\", text: \"y\")");
        assertEquals("`and` expects bool, got string", r.at(Code.TYPE_MISMATCH, "main.charter:2:47").message());
        assertEquals("`not` expects bool, got string", r.at(Code.TYPE_MISMATCH, "main.charter:2:64").message());
        var where = rule("when vercel.deployment.error d where d.target", "slack.post(channel: \"#x\", text: \"y\")");
        assertEquals("`where` must be a condition (bool), got string", where.at(Code.TYPE_MISMATCH, "main.charter:2:47").message());
        var unless = src("""
                intent ship(target: string) {}
                invariant i hard { deny ship unless intent.target because "no" }
                """);
        unless.assertAt(Code.TYPE_MISMATCH, "main.charter:3:37", null);
    }

    @Test
    void existsOnAField() {
        rule("when sentry.issue.created i where not exists i.assignee", "slack.post(channel: \"#x\", text: \"y\")").assertClean();
        rule("when sentry.issue.created i where exists i.asignee", "slack.post(channel: \"#x\", text: \"y\")")
                .assertAt(Code.UNKNOWN_FIELD, "main.charter:2:53", "assignee");
        rule("when sentry.issue.created i where exists i", "slack.post(channel: \"#x\", text: \"y\")")
                .assertAt(Code.TYPE_MISMATCH, "main.charter:2:51", null);
    }

    // ---- calls ----

    @Test
    void callsMatchAnOverload() {
        var r = rule("when vercel.deployment.error d where weekday(d.target) == \"friday\"", "slack.post(channel: \"#x\", text: \"y\")");
        Diagnostic d = r.assertAt(Code.WRONG_ARGUMENTS, "main.charter:2:47", null);
        assertEquals("weekday expects (time), got (string)", d.message());
        r.assertOnly(Code.WRONG_ARGUMENTS);
        var contains = rule("when github.pull_request.opened p where contains(p.additions, \"x\")", "slack.post(channel: \"#x\", text: \"y\")");
        assertEquals("contains expects (string, string) or (list<string>, string), got (number, string)",
                contains.at(Code.WRONG_ARGUMENTS, "main.charter:2:50").message());
        rule("when github.pull_request.opened p where contains(p.labels, \"x\") and len(p.labels) > 2 and contains(p.repo, \"api\")",
                "slack.post(channel: \"#x\", text: \"y\")").assertClean();
    }

    // ---- actions ----

    @Test
    void unknownTool() {
        var r = rule("when vercel.deployment.error d", "slack.pst(channel: \"#x\", text: d.urll)");
        r.assertAt(Code.UNKNOWN_TOOL, "main.charter:3:8", "slack.post");
        r.assertAt(Code.UNKNOWN_FIELD, "main.charter:3:41", "url"); // arguments are still checked
    }

    @Test
    void unknownArgumentSuggestsAndDoesNotAlsoReportItMissing() {
        var r = rule("when vercel.deployment.error d", "slack.post(chanel: \"#x\", text: \"y\")");
        Diagnostic d = r.assertAt(Code.UNKNOWN_ARGUMENT, "main.charter:3:19", "channel");
        assertEquals("slack.post has no argument `chanel`; it takes channel, text", d.message());
        r.assertOnly(Code.UNKNOWN_ARGUMENT);
    }

    @Test
    void anArgumentWithAllowedValuesRefusesAnotherLiteralWithASuggestion() {
        var r = rule("when vercel.deployment.error d", "pagerduty.page(team: \"platform\", severity: \"erorr\")");
        Diagnostic d = r.assertAt(Code.TYPE_MISMATCH, "main.charter:3:51", "error");
        assertEquals("argument `severity` of pagerduty.page must be one of \"critical\", \"error\", \"warning\", \"info\", got \"erorr\"",
                d.message());
        rule("when vercel.deployment.error d", "pagerduty.page(team: \"platform\", severity: \"critical\")").assertClean();
        // a value known only when the rule fires is checked by the connector, not here
        rule("when vercel.deployment.error d", "pagerduty.page(team: \"platform\", severity: d.project)").assertClean();
    }

    @Test
    void missingRequiredArgument() {
        var r = rule("when vercel.deployment.error d", "linear.create_issue(title: \"x\")");
        Diagnostic d = r.assertAt(Code.MISSING_ARGUMENT, "main.charter:3:8", null);
        assertEquals("linear.create_issue needs `team`", d.message());
    }

    @Test
    void argumentValuesMustBeAssignable() {
        var r = rule("when vercel.deployment.error d", "linear.create_issue(team: owner(d.project), title: \"x\", priority: \"high\")");
        Diagnostic d = r.assertAt(Code.TYPE_MISMATCH, "main.charter:3:74", null);
        assertEquals("argument `priority` of linear.create_issue expects number, got string", d.message());
        rule("when vercel.deployment.error d", "pagerduty.page(team: \"platform\", summary: \"${d.time} ${d.sha}\")").assertClean();
    }

    @Test
    void interpolationsAreTypechecked() {
        rule("when vercel.deployment.error d", "slack.post(channel: \"#x\", text: \"${weekday(d.url)}\")")
                .assertAt(Code.WRONG_ARGUMENTS, "main.charter:3:43", null);
    }

    @Test
    void intentResolveActionsSeeTheIntent() {
        var r = src("""
                intent ship(repo: string, sha: string) {
                  resolve vercel.deploy(project: intent.repo, sha: intent.sha, target: intent.tagret)
                }
                """);
        r.assertAt(Code.UNKNOWN_FIELD, "main.charter:3:79", null);
        r.assertOnly(Code.UNKNOWN_FIELD);
    }

    @Test
    void intentParameterTypes() {
        var r = src("intent ship(repo: strng, n: number, who: person) {}\n");
        Diagnostic d = r.assertAt(Code.UNKNOWN_TYPE, "main.charter:2:19", "string");
        assertTrue(d.message().contains("string, number, bool"), d.message());
    }

    // ---- semantics ----

    @Test
    void unboundedJoinIsRejected() {
        var r = rule("when sentry.issue.created i\n   and vercel.deployment.error d where d.project == i.project",
                "slack.post(channel: \"#x\", text: \"y\")");
        Diagnostic d = r.assertAt(Code.UNBOUNDED_JOIN, "main.charter:3:8", null);
        assertTrue(d.message().contains("add `within <duration> after i`"), d.message());
        rule("when sentry.issue.created i\n   and vercel.deployment.error d where d.project == i.project within 1h after i",
                "slack.post(channel: \"#x\", text: \"y\")").assertClean();
        // an entity and an event are not a temporal join
        rule("when deployment x\n   and vercel.deployment.error d where d.project == x.project",
                "slack.post(channel: \"#x\", text: \"y\")").assertClean();
    }

    @Test
    void significanceScoreRange() {
        src("significance { sentry.issue.created => 150 }\n").assertAt(Code.BAD_SCORE, "main.charter:2:16", null);
    }

    @Test
    void windowsArePositiveAndAtMostThirtyDays() {
        rule("when sentry.issue.created i\n   and not sentry.issue.assigned a within 31d after i", "slack.post(channel: \"#x\", text: \"y\")")
                .assertAt(Code.BAD_WINDOW, "main.charter:3:43", null);
        rule("when count(sentry.issue.created i) >= 3 within 0m", "slack.post(channel: \"#x\", text: \"y\")")
                .assertAt(Code.BAD_WINDOW, "main.charter:2:57", null);
        rule("when sentry.issue.created i\n   and not sentry.issue.assigned a within 30d after i", "slack.post(channel: \"#x\", text: \"y\")")
                .assertClean();
    }

    @Test
    void windowsNeedEvents() {
        rule("when sentry.issue.created i\n   and not deployment x within 1h after i", "slack.post(channel: \"#x\", text: \"y\")")
                .assertAt(Code.BAD_WINDOW, "main.charter:3:25", null);
    }

    @Test
    void countThresholdIsAtLeastOne() {
        var r = rule("when count(sentry.issue.created i) >= 0 within 1h", "slack.post(channel: \"#x\", text: \"y\")");
        r.assertAt(Code.BAD_THRESHOLD, "main.charter:2:15", null);
        rule("when count(sentry.issue.created i) > 0 within 1h", "slack.post(channel: \"#x\", text: \"y\")").assertClean();
    }

    @Test
    void stateInvariantNeedsADeadline() {
        var r = src("""
                invariant i soft {
                  every sentry.issue.created i
                  has sentry.issue.assigned a where a.issue_id == i.issue_id
                  because "owners"
                }
                """);
        r.assertAt(Code.BAD_WINDOW, "main.charter:4:7", null);
    }

    @Test
    void allErrorsAreReportedInOneRun() {
        var r = src("""
                significance { sentry.issue.created where lvl == "fatal" => 101 }
                rule a { when vercel.deployment.eror d then slack.post(channel: "#x") }
                rule b { when sentry.issue.created i where i.level == 1 then pagerduty.page(team: owner(i.project), sumary: "x") }
                """);
        r.assertOnly(Code.BAD_SCORE, Code.UNKNOWN_FIELD, Code.UNKNOWN_EVENT_TYPE, Code.MISSING_ARGUMENT,
                Code.TYPE_MISMATCH, Code.UNKNOWN_ARGUMENT);
    }

    private static Compile.Result src(String body) {
        return Compile.source("program \"t\"\n" + body);
    }

    /** A rule named r whose `when` is on line 2 (after `program`) and `then` on line 3, both starting at column 3. */
    private static Compile.Result rule(String when, String then) {
        return Compile.source("program \"t\"\nrule r { " + when + "\n  then " + then + " }\n");
    }
}
