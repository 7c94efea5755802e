package charter.compiler.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.DiagnosticRenderer;
import charter.compiler.load.ProgramFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One Program per check that the validator must warn about, at the right place, and near misses it must leave alone. */
class ValidatorTest {
    static final String INTENT = """
            intent ship(repo: string, target: string) {
              resolve vercel.deploy(project: intent.repo, sha: "x", target: intent.target)
            }
            """;

    static Compilation check(String body) {
        return new ProgramCompiler(Catalog.standard()).check(new ProgramFiles("t", Map.of(
                "charter.yaml", "name: t\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", ("program \"t\"\n\n" + body).getBytes(StandardCharsets.UTF_8))));
    }

    static List<Diagnostic> warnings(Compilation c) {
        if (!c.ok()) fail("the Program has errors:\n" + rendered(c));
        return c.diagnostics().stream().filter(d -> d.code().id().startsWith("CH6")).toList();
    }

    static String rendered(Compilation c) {
        DiagnosticRenderer r = new DiagnosticRenderer(c.sources());
        return c.diagnostics().stream().map(r::render).collect(Collectors.joining());
    }

    /** The one validator warning of the Program: its code, and its place as line:column. */
    static Diagnostic only(String body, Code code, String at) {
        Compilation c = check(body);
        List<Diagnostic> ws = warnings(c);
        if (ws.size() != 1 || ws.getFirst().code() != code || !(ws.getFirst().span().line() + ":" + ws.getFirst().span().column()).equals(at)) {
            fail("expected one " + code.id() + " at " + at + ", got:\n" + rendered(c));
        }
        return ws.getFirst();
    }

    static void none(String body) {
        Compilation c = check(body);
        if (!warnings(c).isEmpty()) fail("expected no validator warning, got:\n" + rendered(c));
    }

    @Test
    void contradictoryEqualitiesNeverHold() {
        Diagnostic d = only("""
                rule r {
                  when vercel.deployment.error d where d.target == "production" and d.target == "preview"
                  then slack.post(channel: "#a", text: "x")
                }
                """, Code.NEVER_HOLDS, "4:69");
        assertEquals("`d.target == \"preview\"` contradicts `d.target == \"production\"` (main.charter:4): rule `r` can never fire", d.message());
    }

    @Test
    void aNumberOutsideTheRangeOtherConditionsLeaveNeverHolds() {
        only("""
                rule r {
                  when github.pull_request.opened p where p.additions > 500 and p.deletions >= 0 and p.additions < 100
                  then slack.post(channel: "#a", text: "x")
                }
                """, Code.NEVER_HOLDS, "4:86");
    }

    @Test
    void equalitiesCarryAcrossAJoin() {
        only("""
                rule r {
                  when vercel.deployment.error d where d.target == "production"
                  and vercel.deployment.succeeded s where s.project == d.project and s.target == d.target
                    and s.target == "preview" within 1h after d
                  then slack.post(channel: "#a", text: "x")
                }
                """, Code.NEVER_HOLDS, "6:9");
    }

    @Test
    void aFieldTheCatalogFixesCannotBeAnythingElse() {
        only("""
                rule r {
                  when vercel.deployment.error d where d.type == "vercel.deployment.succeeded"
                  then slack.post(channel: "#a", text: "x")
                }
                """, Code.NEVER_HOLDS, "4:40");
        only("""
                rule r {
                  when vercel.deployment.error d where d.significance > 100
                  then slack.post(channel: "#a", text: "x")
                }
                """, Code.NEVER_HOLDS, "4:40");
    }

    @Test
    void aJoinOnTheTypeOfEventsOfTwoTypesNeverHolds() {
        only("""
                rule r {
                  when vercel.deployment.error d
                  and github.push p where p.type == d.type within 1h after d
                  then slack.post(channel: "#a", text: "x")
                }
                """, Code.NEVER_HOLDS, "5:27");
    }

    @Test
    void anAbsenceThatCanNeverBeFilledAlwaysHolds() {
        Diagnostic d = only("""
                rule r {
                  when sentry.issue.created i
                  and not sentry.issue.assigned a where a.issue_id == i.issue_id and a.issue_id in [] within 15m after i
                  then slack.post(channel: "#a", text: "x")
                }
                """, Code.NEVER_HOLDS, "5:70");
        assertTrue(d.message().endsWith("`sentry.issue.assigned a` can never match, so its absence always holds"), d.message());
    }

    @Test
    void aGuardWhoseConditionsContradictNeverDenies() {
        only(INTENT + """

                invariant g soft {
                  deny ship where intent.target == "production"
                    and exists(sentry.issue.created i where i.level == "fatal" and i.level == "error" within 1h before intent)
                    because "x"
                }
                """, Code.NEVER_HOLDS, "9:68");
    }

    @Test
    void aRuleIdenticalToAnotherUpToNamesIsADuplicate() {
        Diagnostic d = only("""
                rule first "one title" {
                  when vercel.deployment.error d where d.target == "production" and d.project == "api"
                  then slack.post(channel: "#a", text: "failed ${d.url}")
                }

                rule second "another title" {
                  when vercel.deployment.error e where e.project == "api" and e.target == "production"
                  then slack.post(channel: "#a", text: "failed ${e.url}")
                }
                """, Code.DUPLICATE, "8:6");
        assertEquals("rule `second` is the same as rule `first` (main.charter:3) up to names", d.message());
        none("""
                rule first {
                  when vercel.deployment.error d where d.target == "production"
                  then slack.post(channel: "#a", text: "failed ${d.url}")
                }

                rule second {
                  when vercel.deployment.error e where e.target == "production"
                  then slack.post(channel: "#b", text: "failed ${e.url}")
                }
                """);
    }

    @Test
    void anInvariantIdenticalToAnotherUpToNamesIsADuplicate() {
        only(INTENT + """

                invariant a soft {
                  deny ship where intent.target == "production"
                    and exists(sentry.issue.created i where i.level == "fatal" within 1h before intent)
                    because "x"
                }

                invariant b "other" soft {
                  deny ship where exists(sentry.issue.created j where j.level == "fatal" within 1h before intent)
                    and intent.target == "production"
                    because "y"
                }
                """, Code.DUPLICATE, "13:11");
    }

    @Test
    void aGuardWhoseConditionAlwaysHoldsDeniesEveryIntent() {
        only(INTENT + """

                invariant g soft {
                  deny ship where intent.target == "production" or intent.target != "production"
                    because "x"
                }
                """, Code.DENIES_EVERY_INTENT, "8:3");
        none(INTENT + """

                invariant freeze soft {
                  deny ship because "a freeze, on purpose"
                }
                """);
    }

    @Test
    void anUnlessThatAlwaysHoldsMeansTheGuardNeverDenies() {
        Diagnostic d = only(INTENT + """

                invariant g soft {
                  deny ship where intent.target == "production"
                    unless intent.repo != "api" or intent.repo != "web"
                    because "x"
                }
                """, Code.UNLESS_ALWAYS_HOLDS, "9:12");
        assertTrue(d.message().endsWith("invariant `g` can never deny"), d.message());
        only(INTENT + """

                invariant g soft {
                  deny ship where intent.target == "production"
                    unless intent.target in ["production", "preview"]
                    because "x"
                }
                """, Code.UNLESS_ALWAYS_HOLDS, "9:12");
    }

    @Test
    void aDeadlineNoEventCanMeetMakesEveryEventAViolation() {
        Diagnostic d = only("""
                invariant assigned soft {
                  every sentry.issue.created i where i.level == "fatal"
                    has sentry.issue.assigned a where a.issue_id == i.issue_id and i.level == "warning" within 15m after i
                    because "x"
                }
                """, Code.DEADLINE_NEVER_MATCHES, "5:68");
        assertTrue(d.message().contains("every matching `sentry.issue.created` is a violation"), d.message());
    }

    @Test
    void conditionsThatCanHoldAreLeftAlone() {
        none("""
                rule a {
                  when github.pull_request.opened p where p.additions >= 3 and p.additions <= 3 and p.title != "a"
                    and p.title != "b" and not exists p.author and p.author != "x"
                  then slack.post(channel: "#a", text: "x")
                }

                rule b {
                  when vercel.deployment.error d where d.target in ["production", "preview"] and d.target != "production"
                    and d.type == "vercel.deployment.error" and d.significance >= 100
                  then slack.post(channel: "#a", text: "x")
                }

                rule c {
                  when vercel.deployment.error d where d.target == "production"
                  and vercel.deployment.error e where e.target == "preview" and e.project == d.project within 1h after d
                  then slack.post(channel: "#a", text: "x")
                }

                rule d {
                  when github.pull_request.opened p where p.additions > 1000000000000000 or p.title matches "^a$" and p.title == "b"
                  then slack.post(channel: "#a", text: "x")
                }
                """);
    }

    @Test
    void aHugeConjunctionIsLeftAloneRatherThanStallingTheCheck() {
        String where = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "d.target == \"t" + i + "\"")
                .collect(Collectors.joining(" and "));
        long start = System.nanoTime();
        none("rule r {\n  when vercel.deployment.error d where " + where + "\n  then slack.post(channel: \"#a\", text: \"x\")\n}\n");
        only("rule r {\n  when vercel.deployment.error d where " + where.substring(0, where.indexOf(" and d.target == \"t64\""))
                + "\n  then slack.post(channel: \"#a\", text: \"x\")\n}\n", Code.NEVER_HOLDS, "4:61");
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "bounded");
    }

    @Test
    void aWarningCarriesItsHelpAndDoesNotStopTheCompilation() {
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(new ProgramFiles("t", Map.of(
                "charter.yaml", "name: t\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", """
                        program "t"

                        rule r {
                          when vercel.deployment.error d where d.target == "a" and d.target == "b"
                          then slack.post(channel: "#a", text: "x")
                        }
                        """.getBytes(StandardCharsets.UTF_8))));
        assertTrue(c.ok());
        assertTrue(c.program() != null, "a warning is no error: the Program still builds");
        assertTrue(rendered(c).contains("warning[CH601]") && rendered(c).contains("  = help: the conditions contradict"), rendered(c));
    }
}
