package charter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.ast.SourceFile;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.Severity;
import charter.compiler.load.ProgramFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolvePassTest {

    static final String PEOPLE = """
            person alice { name "Alice Chen"  github "alice-gh"  email "alice@acme.dev" }
            person bob { github "bob-gh"  slack "U123" }
            """;

    static final String EXAMPLE = """
            program "acme"
            import "people.charter"
            team platform { members alice, bob  owns repo "acme/api", project "api" }
            significance { sentry.issue.created where level == "fatal" => 90 }
            rule page_on_failed_prod_deploy "Page the owner when a production deploy fails" {
              when vercel.deployment.error d where d.target == "production"
              then slack.post(channel: "#incidents", text: "Deploy of ${d.project} failed: ${d.url}")
                   linear.create_issue(team: owner(d.project), title: "Prod deploy failed", priority: 1)
            }
            rule escalate_unassigned_fatal {
              when sentry.issue.created i where i.level == "fatal"
               and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
              then pagerduty.page(team: owner(i.project), summary: "Unassigned fatal: ${i.title}")
            }
            rule deploy_error_burst { when count(vercel.deployment.error d where d.target == "production") >= 3 within 1h
              then slack.post(channel: "#eng", text: "3 failed production deploys in an hour") }
            invariant no_friday_prod_deploys "No production deploys on Fridays" hard {
              deny ship where intent.target == "production" and weekday(now) == "friday"
              unless intent.actor in team platform
              because "Weekend incidents cost us twice"
            }
            invariant fatal_gets_assignee "Every fatal issue is assigned within 15 minutes" soft {
              every sentry.issue.created i where i.level == "fatal"
              has sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
              because "Fatal errors need an owner"
            }
            intent ship(repo: string, sha: string, target: string) "Ship a commit" {
              resolve vercel.deploy(project: intent.repo, sha: intent.sha, target: intent.target)
            }
            """;

    @Test
    void acceptsTheExampleProgram() {
        var r = Compile.files(Map.of("main.charter", EXAMPLE, "people.charter", PEOPLE));
        r.assertClean();
        assertEquals("acme", r.resolved().name());
        assertEquals(List.of("people.charter", "main.charter"), r.resolved().files().stream().map(SourceFile::path).toList());
        assertEquals(List.of("alice", "bob"), List.copyOf(r.resolved().people().keySet()));
        assertEquals(List.of("platform"), List.copyOf(r.resolved().teams().keySet()));
        assertEquals(3, r.resolved().rules().size());
        assertEquals(2, r.resolved().invariants().size());
        assertEquals(1, r.resolved().significance().size());
    }

    // ---- files and imports ----

    @Test
    void missingEntryFileIsReportedOnTheManifest() {
        var files = new ProgramFiles("test", Map.of(
                "charter.yaml", "name: t\nmain: mian.charter\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", "program \"t\"\n".getBytes(StandardCharsets.UTF_8)));
        var r = Compile.run(files);
        Diagnostic d = r.assertAt(Code.IMPORT_NOT_FOUND, "charter.yaml:2:1", "main.charter");
        assertTrue(d.message().contains("mian.charter"), d.message());
        assertNull(r.resolved());
    }

    @Test
    void missingImportSuggestsAnExistingFile() {
        var r = Compile.files(Map.of("main.charter", "program \"t\"\nimport \"peple.charter\"\n", "people.charter", PEOPLE));
        r.assertAt(Code.IMPORT_NOT_FOUND, "main.charter:2:1", "people.charter");
        // the file exists but is not reachable through the broken import
        r.assertAt(Code.FILE_NOT_IMPORTED, "people.charter:1:1", null);
    }

    @Test
    void importsAreRelativeToTheImportingFolderAndSuggestedThatWay() {
        var r = Compile.files(Map.of(
                "main.charter", "program \"t\"\nimport \"rules/a.charter\"\n",
                "rules/a.charter", "import \"../peopel.charter\"\nimport \"b.charter\"\n",
                "rules/b.charter", "",
                "people.charter", PEOPLE));
        r.assertAt(Code.IMPORT_NOT_FOUND, "rules/a.charter:1:1", "../people.charter");
        assertEquals(List.of("rules/b.charter", "rules/a.charter", "main.charter"),
                r.resolved().files().stream().map(SourceFile::path).toList());
    }

    @Test
    void importsCannotLeaveTheProgramFolder() {
        var r = Compile.source("program \"t\"\nimport \"../../etc/passwd.charter\"\n");
        Diagnostic d = r.assertAt(Code.IMPORT_NOT_FOUND, "main.charter:2:1", null);
        assertTrue(d.message().contains("outside the Program folder"), d.message());
    }

    @Test
    void importCycleIsNamed() {
        var r = Compile.files(Map.of(
                "main.charter", "program \"t\"\nimport \"a.charter\"\n",
                "a.charter", "import \"b.charter\"\n",
                "b.charter", "\nimport \"a.charter\"\n"));
        Diagnostic d = r.assertAt(Code.IMPORT_CYCLE, "b.charter:2:1", null);
        assertEquals("imports form a cycle: a.charter → b.charter → a.charter", d.message());
        assertEquals(List.of("b.charter", "a.charter", "main.charter"), r.resolved().files().stream().map(SourceFile::path).toList());
    }

    @Test
    void unreachableFileIsAWarning() {
        var r = Compile.files(Map.of("main.charter", "program \"t\"\n", "old.charter", "person carol {}\n"));
        Diagnostic d = r.assertAt(Code.FILE_NOT_IMPORTED, "old.charter:1:1", null);
        assertEquals(Severity.WARNING, d.severity());
        assertTrue(r.resolved().people().isEmpty(), "declarations of unreachable files are ignored");
    }

    // ---- program declaration ----

    @Test
    void programMustBeDeclaredOnceInTheEntryFile() {
        Compile.source("person alice {}\n").assertAt(Code.PROGRAM_DECL, "main.charter:1:1", null);
        Compile.source("program \"a\"\nprogram \"b\"\n").assertAt(Code.PROGRAM_DECL, "main.charter:2:1", null);
        var r = Compile.files(Map.of("main.charter", "program \"a\"\nimport \"x.charter\"\n", "x.charter", "\n\nprogram \"x\"\n"));
        Diagnostic d = r.assertAt(Code.PROGRAM_DECL, "x.charter:3:1", null);
        assertTrue(d.message().contains("entry file main.charter"), d.message());
    }

    // ---- symbol tables ----

    @Test
    void duplicatePersonPointsAtTheSecondAndNamesTheFirst() {
        var r = r("person alice {}\nperson alice {}\n");
        Diagnostic d = r.assertAt(Code.DUPLICATE_NAME, "main.charter:3:8", null);
        assertTrue(d.message().contains("already declared at main.charter:2:8"), d.message());
    }

    @Test
    void rulesInvariantsAndIntentsShareOneNamespace() {
        var r = r("""
                intent ship(repo: string) {}
                rule ship { when vercel.deployment.error d then slack.post(channel: "#x", text: "y") }
                """);
        Diagnostic d = r.assertAt(Code.DUPLICATE_NAME, "main.charter:3:6", null);
        assertTrue(d.message().startsWith("rule `ship` is already declared at main.charter:2:8"), d.message());
    }

    @Test
    void identityKindsAreChecked() {
        r("person alice { githb \"alice-gh\" }\n").assertAt(Code.UNKNOWN_IDENTITY_KIND, "main.charter:2:16", "github");
    }

    @Test
    void identityNamesOnePerson() {
        var r = r("person alice { github \"ac\" }\nperson bob { email \"AC\" }\n");
        Diagnostic d = r.assertAt(Code.DUPLICATE_NAME, "main.charter:3:14", null);
        assertTrue(d.message().contains("already identifies alice"), d.message());
    }

    @Test
    void ownedKindsAreChecked() {
        r("team t { owns projct \"api\" }\n").assertAt(Code.UNKNOWN_OWNED_KIND, "main.charter:2:15", "project");
    }

    @Test
    void ownedThingHasOneOwner() {
        var r = r("team a { owns repo \"acme/api\" }\nteam b { owns repo \"acme/api\" }\n");
        r.assertAt(Code.DUPLICATE_NAME, "main.charter:3:15", null);
    }

    @Test
    void teamMembersMustBePeople() {
        r("person alice {}\nteam t { members alise }\n").assertAt(Code.UNKNOWN_PERSON, "main.charter:3:18", "alice");
    }

    @Test
    void truthSourcesAreChecked() {
        r("truth deployment.status prefer vercl over github\n").assertAt(Code.UNKNOWN_SOURCE, "main.charter:2:32", "vercel");
    }

    // ---- names in expressions ----

    @Test
    void unknownTeamInExpression() {
        var r = r("""
                team platform {}
                rule r { when github.pull_request.opened p where p.author in team platfrom
                  then slack.post(channel: "#x", text: "y") }
                """);
        r.assertAt(Code.UNKNOWN_TEAM, "main.charter:3:67", "platform");
    }

    @Test
    void unknownIntentOfDenyGuard() {
        var r = r("""
                intent ship(target: string) {}
                invariant i hard { deny shp where intent.target == "production" because "no" }
                """);
        r.assertAt(Code.UNKNOWN_INTENT, "main.charter:3:25", "ship");
    }

    @Test
    void unknownFunction() {
        var r = r("""
                intent ship(target: string) {}
                invariant i hard { deny ship where weekdya(now) == "friday" because "no" }
                """);
        r.assertAt(Code.UNKNOWN_FUNCTION, "main.charter:3:36", "weekday");
    }

    @Test
    void unknownNameSuggestsANameInScope() {
        var r = r("""
                rule r { when vercel.deployment.error dep where depp.target == "production"
                  then slack.post(channel: "#x", text: "y") }
                """);
        r.assertAt(Code.UNKNOWN_BINDING, "main.charter:2:49", "dep");
    }

    // ---- binding scopes ----

    @Test
    void aNotPatternsBindingIsLocalToIt() {
        var r = r("""
                rule r {
                  when sentry.issue.created i
                   and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
                  then slack.post(channel: "#x", text: "${a.issue_id}") }
                """);
        r.assertOnly(Code.UNKNOWN_BINDING);
        Diagnostic d = r.assertAt(Code.UNKNOWN_BINDING, "main.charter:5:43", null);
        assertEquals("`a` is bound inside `not` (main.charter:4:34) and visible only there", d.message());
    }

    @Test
    void aCountPatternsBindingIsSeenByTheActionsAsTheNewestCountedEvent() {
        // It was local to the count until counts grouped by a key needed their key in the actions.
        var r = r("""
                rule r {
                  when count(vercel.deployment.error d) >= 3 within 1h
                  then slack.post(channel: "#x", text: d.url) }
                """);
        r.assertClean();
    }

    @Test
    void aWhereSeesEarlierBindingsButNotLaterOnes() {
        var r = r("""
                rule r {
                  when sentry.issue.created i where i.issue_id == a.issue_id
                   and sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
                  then slack.post(channel: "#x", text: "y") }
                """);
        r.assertOnly(Code.UNKNOWN_BINDING);
        Diagnostic d = r.assertAt(Code.UNKNOWN_BINDING, "main.charter:3:51", null);
        assertTrue(d.message().startsWith("`a` is bound later in this rule (main.charter:4:30)"), d.message());
    }

    @Test
    void anchorMustBeAnEarlierBinding() {
        var r = r("""
                rule r {
                  when sentry.issue.assigned a within 15m after i
                   and sentry.issue.created i
                  then slack.post(channel: "#x", text: "y") }
                """);
        r.assertAt(Code.ANCHOR_ORDER, "main.charter:3:49", null);
    }

    @Test
    void anchorCannotBeItself() {
        var r = r("""
                rule r { when sentry.issue.created i within 15m after i
                  then slack.post(channel: "#x", text: "y") }
                """);
        r.assertAt(Code.ANCHOR_ORDER, "main.charter:2:55", null);
    }

    @Test
    void unknownAnchorSuggestsEarlierBindings() {
        var r = r("""
                rule r { when sentry.issue.created issue
                   and sentry.issue.assigned a within 15m after isue
                  then slack.post(channel: "#x", text: "y") }
                """);
        r.assertAt(Code.UNKNOWN_BINDING, "main.charter:3:49", "issue");
    }

    @Test
    void duplicateBinding() {
        var r = r("""
                rule r { when sentry.issue.created i
                   and not sentry.issue.assigned i within 15m after i
                  then slack.post(channel: "#x", text: "y") }
                """);
        Diagnostic d = r.assertAt(Code.DUPLICATE_NAME, "main.charter:3:34", null);
        assertTrue(d.message().contains("already bound at main.charter:2:36"), d.message());
    }

    @Test
    void denyGuardBindsIntentAndNowAndExistsMayAnchorToTheIntent() {
        var r = r("""
                intent ship(repo: string) {}
                invariant i hard {
                  deny ship where exists(vercel.deployment.error d where d.project == intent.repo within 1h before intent)
                   and hour(now) > 17
                  because "a deploy failed in the last hour"
                }
                """);
        r.assertClean();
    }

    @Test
    void stateInvariantEveryBindingIsVisibleInHas() {
        var r = r("""
                invariant i soft {
                  every sentry.issue.created i where i.level == "fatal"
                  has sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
                  because "owners"
                }
                """);
        r.assertClean();
    }

    @Test
    void intentIsNotBoundInRules() {
        var r = r("""
                rule r { when vercel.deployment.error d where intent.target == "x"
                  then slack.post(channel: "#x", text: "y") }
                """);
        r.assertAt(Code.UNKNOWN_BINDING, "main.charter:2:47", null);
    }

    @Test
    void significanceNamesEventFieldsBare() {
        r("significance { sentry.issue.created where level == \"fatal\" and hour(now) < 8 => 90 }\n").assertClean();
    }

    private static Compile.Result r(String body) {
        return Compile.source("program \"t\"\n" + body);
    }
}
