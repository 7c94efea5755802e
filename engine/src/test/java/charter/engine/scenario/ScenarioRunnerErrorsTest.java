package charter.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and failing scenarios: reported with file and line, never thrown, and the others still run. */
class ScenarioRunnerErrorsTest {
    static CompiledProgram acme;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile() throws Exception {
        acme = AcmeProgramTest.acme();
    }

    static final String GOOD = """
            name: Force-push to main
            events:
              - {id: e1, type: github.push, time: "2026-03-05T11:20:00Z", data: {repo: acme/infra, branch: main, forced: true, pusher: bob-k}}
            expect:
              actions:
                - {rule: force_push_to_main, tool: slack.post, args: {channel: "#security"}}
                - {rule: force_push_to_main, tool: github.create_issue}
            """;

    private TestReport run(String... files) throws IOException {
        Files.createDirectories(dir.resolve("scenarios"));
        for (int i = 0; i < files.length; i += 2) Files.writeString(dir.resolve("scenarios").resolve(files[i]), files[i + 1]);
        return new ScenarioRunner(acme).run(dir);
    }

    private static ScenarioError only(TestReport r) {
        assertEquals(1, r.errors().size(), () -> r.errors().toString());
        return r.errors().getFirst();
    }

    @Test
    void aScenarioLinkedFromOutsideTheFolderIsRefusedUnreadAndTheOthersRun(@TempDir Path elsewhere) throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("secret.yaml"), "name: hunter2\n");
        Files.createDirectories(dir.resolve("scenarios"));
        Files.createSymbolicLink(dir.resolve("scenarios/linked.yaml"), secret);
        TestReport r = run("good.yaml", GOOD);
        ScenarioError e = only(r);
        assertEquals("scenarios/linked.yaml", e.file());
        assertTrue(e.message().contains("outside the Program folder"), e.message());
        assertFalse(r.toString().contains("hunter2"));
        assertEquals(1, r.scenarios().size());
    }

    @Test
    void expectedArgumentsAreMatchedByRe2InLinearTime() throws IOException {
        String pusher = "a".repeat(30_000) + "!";
        String scenario = GOOD.replace("pusher: bob-k", "pusher: " + pusher).replace(
                "{rule: force_push_to_main, tool: slack.post, args: {channel: \"#security\"}}",
                "{rule: force_push_to_main, tool: slack.post, matches: {text: \"^(a+)+$\"}}");
        TestReport r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> run("slow.yaml", scenario));
        assertFalse(r.passed(), "the text does not match, and saying so takes linear time");
        assertEquals(List.of(), r.errors());

        TestReport lookahead = run("slow.yaml", GOOD.replace("args: {channel: \"#security\"}", "matches: {channel: \"(?=#)\"}"));
        assertTrue(only(lookahead).message().contains("not a valid regular expression"), lookahead.errors()::toString);
    }

    @Test
    void goodScenarioPasses() throws IOException {
        TestReport r = run("good.yaml", GOOD);
        assertTrue(r.passed(), () -> r.toString());
        assertEquals("scenarios/good.yaml", r.scenarios().getFirst().file());
    }

    @Test
    void corruptYamlIsAnErrorWithLineAndOthersStillRun() throws IOException {
        TestReport r = run("a_broken.yaml", """
                name: Broken
                events:
                  - {id: e1, type: github.push
                expect: {}
                """, "b_good.yaml", GOOD);
        ScenarioError e = only(r);
        assertEquals("scenarios/a_broken.yaml", e.file());
        assertEquals(4, e.line(), e::toString);
        assertTrue(e.message().startsWith("invalid YAML"), e::toString);
        assertEquals(1, r.scenarios().size());
        assertTrue(r.scenarios().getFirst().passed());
        assertFalse(r.passed());
    }

    @Test
    void unknownKeyHasDidYouMean() throws IOException {
        ScenarioError e = only(run("x.yaml", """
                name: Typo
                events: []
                expects:
                  actions: []
                """.replace("events: []\n", "events: []\nexpect: {actions: []}\n")));
        assertEquals(4, e.line(), e::toString);
        assertEquals(1, e.column());
        assertTrue(e.message().contains("unknown key `expects`") && e.message().contains("did you mean `expect`?"), e::toString);
    }

    @Test
    void unknownRuleInExpectationsHasDidYouMean() throws IOException {
        ScenarioError e = only(run("x.yaml", """
                name: Unknown rule
                events: []
                expect:
                  actions:
                    - {rule: force_push_to_mian, tool: slack.post}
                """));
        assertEquals(5, e.line(), e::toString);
        assertTrue(e.message().contains("unknown rule `force_push_to_mian`; did you mean `force_push_to_main`?"), e::toString);
    }

    @Test
    void badEventsAndTimesPointAtTheirLines() throws IOException {
        TestReport r = run("x.yaml", """
                name: Bad inputs
                until: "2026-03-05 12:00"
                events:
                  - id: e1
                    type: github.push
                    time: "2026-03-05T11:20:00Z"
                    data: {repo: acme/infra, brnach: main}
                  - {id: e2, type: github.pusj, time: "2026-03-05T11:20:00Z"}
                intents:
                  - {id: i1, intent: shipp, actor: carolw, time: "2026-03-05T11:20:00Z"}
                expect:
                  violations:
                    - {invariant: no_friday_prod_deploys}
                """);
        List<String> got = r.errors().stream().map(e -> e.line() + ": " + e.message()).toList();
        assertEquals(5, got.size(), got::toString);
        assertTrue(got.get(0).startsWith("2: `until` \"2026-03-05 12:00\" is not an ISO-8601 time"), got::toString);
        assertTrue(got.stream().anyMatch(s -> s.startsWith("7: event e1: unknown field 'brnach'") && s.contains("did you mean 'branch'")), got::toString);
        assertTrue(got.stream().anyMatch(s -> s.startsWith("8: event e2: unknown event type 'github.pusj'") && s.contains("did you mean 'github.push'")), got::toString);
        assertTrue(got.stream().anyMatch(s -> s.startsWith("10: intent i1: unknown intent `shipp`; did you mean `ship`?")), got::toString);
        assertTrue(got.stream().anyMatch(s -> s.startsWith("13: unknown state invariant `no_friday_prod_deploys`")), got::toString);
        assertTrue(r.scenarios().isEmpty());
    }

    @Test
    void failingExpectationsListTheirDifferences() throws IOException {
        TestReport r = run("x.yaml", """
                name: Wrong expectations
                events:
                  - {id: e1, type: github.push, time: "2026-03-05T11:20:00Z", data: {repo: acme/infra, branch: main, forced: true, pusher: bob-k}}
                intents:
                  - {id: i1, intent: ship, actor: dave-r, time: "2026-03-06T16:00:00Z", params: {project: web, sha: abc, target: production}}
                expect:
                  actions:
                    - {rule: force_push_to_main, tool: slack.post, args: {channel: "#incidents"}}
                  decisions:
                    - {intent: i1, verdict: allow}
                  violations:
                    - {invariant: fatal_issue_assigned_within_15m}
                """);
        assertEquals(List.of(), r.errors());
        ScenarioOutcome o = r.scenarios().getFirst();
        assertFalse(o.passed());
        assertFalse(r.passed());
        assertEquals(List.of(
                "missing action: slack.post by force_push_to_main with {channel: \"#incidents\"} (line 8)",
                "unexpected action: slack.post by force_push_to_main at 2026-03-05T11:20:00Z with {channel: \"#security\", text: \"bob-k force-pushed acme/infra main to <missing p.sha> (was <missing p.before>)\"}",
                "unexpected action: github.create_issue by force_push_to_main at 2026-03-05T11:20:00Z with {repo: \"acme/infra\", title: \"Force-push to main by bob-k\", body: \"History of main was rewritten: <missing p.url>. Check that no reviewed commit was lost.\"}",
                "decision i1: expected allow, got deny (denied by: no_friday_prod_deploys (hard))",
                "missing violation: fatal_issue_assigned_within_15m (line 12)"), o.differences());
    }
}
