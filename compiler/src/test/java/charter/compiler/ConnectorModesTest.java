package charter.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.load.ActionPolicy;
import charter.compiler.load.ProgramFiles;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The `connectors:` block of charter.yaml: which tools run live, are only recorded, or wait for approval, and by whom. */
class ConnectorModesTest {
    static final String MAIN = """
            program "t"
            person alice {
              github "alice-gh"
            }
            team ops "Ops" {
              members alice
            }

            intent ship(project: string) "Deploy a project" {
              resolve slack.post(channel: "#deploys", text: "ships ${intent.project}")
            }
            """;

    static Compilation compile(String yaml) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("charter.yaml", ("name: t\n" + yaml).getBytes(StandardCharsets.UTF_8));
        files.put("main.charter", MAIN.getBytes(StandardCharsets.UTF_8));
        return TestPrograms.compile(new ProgramFiles("t", files));
    }

    @Test
    void modesPerToolAndVendorWithRecordForAnyToolNotNamed() {
        Compilation c = compile("""
                connectors:
                  pagerduty.page: live
                  slack: live
                  slack.post: record
                  linear.create_issue:
                    mode: approval
                    approvers: [alice, team:ops]
                  vercel:
                    token: env:VERCEL_TOKEN
                """);
        assertTrue(c.diagnostics().stream().noneMatch(Diagnostic::isError), c.diagnostics().toString());
        ActionPolicy p = c.program().manifest().actions();
        assertEquals(ActionPolicy.Mode.LIVE, p.of("pagerduty.page").mode());
        assertEquals(ActionPolicy.Mode.LIVE, p.of("slack.update").mode(), "the vendor's mode");
        assertEquals(ActionPolicy.Mode.RECORD, p.of("slack.post").mode(), "the tool's own entry wins");
        assertEquals(new ActionPolicy.Rule(ActionPolicy.Mode.APPROVAL, List.of("alice", "team:ops")), p.of("linear.create_issue"));
        assertEquals(ActionPolicy.DEFAULT, p.of("github.comment"));
        assertEquals(ActionPolicy.DEFAULT, p.of("vercel.deploy"), "settings alone say nothing about the mode");
    }

    @Test
    void everythingAnIntentResolvesToCanWaitForApproval() {
        Compilation c = compile("""
                connectors:
                  slack: live
                  intent:ship:
                    mode: approval
                    approvers: [team:ops]
                """);
        assertTrue(c.diagnostics().stream().noneMatch(Diagnostic::isError), c.diagnostics().toString());
        ActionPolicy p = c.program().manifest().actions();
        assertEquals(new ActionPolicy.Rule(ActionPolicy.Mode.APPROVAL, List.of("team:ops")), p.of("slack.post", "ship"));
        assertEquals(ActionPolicy.Mode.LIVE, p.of("slack.post", null).mode(), "a rule's slack.post runs live");

        List<Diagnostic> live = compile("connectors:\n  intent:ship: live\n").diagnostics().stream().filter(Diagnostic::isError).toList();
        assertEquals(1, live.size(), live.toString());
        assertTrue(live.getFirst().message().contains("can only require approval"), live.getFirst().message());
        List<Diagnostic> unknown = compile("connectors:\n  intent:shipp:\n    mode: approval\n    approvers: [alice]\n")
                .diagnostics().stream().filter(Diagnostic::isError).toList();
        assertEquals(1, unknown.size(), unknown.toString());
        assertEquals("ship", unknown.getFirst().suggestion(), unknown.getFirst().message());
    }

    @Test
    void unknownToolsModesAndApproversAreDiagnosedWithSuggestions() {
        Compilation c = compile("""
                connectors:
                  slack.psot: live
                  pagerduty.page: liev
                  linear.create_issue:
                    mode: approval
                    approvers: [alcie, team:opps]
                  github.comment:
                    approvers: [alice]
                  vercel.deploy:
                    mode: approval
                """);
        List<Diagnostic> errors = c.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertEquals(List.of(Code.MANIFEST_INVALID.id(), Code.MANIFEST_INVALID.id(), Code.MANIFEST_INVALID.id(), Code.MANIFEST_INVALID.id()),
                errors.stream().map(d -> d.code().id()).toList(), errors.toString());
        assertEquals("slack.post", errors.get(0).suggestion());
        assertEquals(3, errors.get(0).span().line());
        assertEquals("live", errors.get(1).suggestion());
        assertTrue(errors.get(2).message().contains("names approvers but its mode is not `approval`"), errors.get(2).message());
        assertTrue(errors.get(3).message().contains("waits for approval but names no approvers"), errors.get(3).message());

        Compilation people = compile("""
                connectors:
                  linear.create_issue:
                    mode: approval
                    approvers: [alcie, team:opps]
                """);
        List<Diagnostic> unknown = people.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertEquals(List.of(Code.UNKNOWN_PERSON.id(), Code.UNKNOWN_TEAM.id()), unknown.stream().map(d -> d.code().id()).toList(), unknown.toString());
        assertEquals("alice", unknown.get(0).suggestion());
        assertEquals("ops", unknown.get(1).suggestion());
    }
}
