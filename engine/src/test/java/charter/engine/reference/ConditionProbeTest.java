package charter.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Condition coverage sees each conjunct true or false on the candidates of its pattern, joins, guards and deadlines included. */
class ConditionProbeTest {
    static final String PROGRAM = """
            program "p"

            intent ship(repo: string, target: string) {
              resolve vercel.deploy(project: intent.repo, sha: "x", target: intent.target)
            }

            rule recovered {
              when vercel.deployment.error d where d.target == "production"
              and vercel.deployment.succeeded s where s.project == d.project within 1h after d
              then slack.post(channel: "#a", text: "x")
            }

            invariant fatal_open soft {
              deny ship where intent.target == "production"
                and exists(sentry.issue.created i where i.level == "fatal" within 1h before intent)
                unless intent.repo == "docs"
                because "x"
            }

            invariant assigned soft {
              every sentry.issue.created i where i.level == "fatal"
                has sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
                because "x"
            }
            """;

    static CanonicalEvent event(String id, String type, String time, Map<String, Object> data) {
        return new CanonicalEvent(id, type.substring(0, type.indexOf('.')), type, Instant.parse(time), data, List.of(), null);
    }

    static Map<String, String> outcomes(Map<ConditionProbe.Conjunct, ConditionProbe.Seen> seen) {
        Map<String, String> out = new LinkedHashMap<>();
        seen.forEach((c, s) -> out.put(c.owner() + ": " + c.text(), (s.wasTrue() ? "T" : "") + (s.wasFalse() ? "F" : "")));
        return out;
    }

    @Test
    void eachConditionIsSeenOnTheCandidatesOfItsPattern() {
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(new ProgramFiles("p", Map.of(
                "charter.yaml", "name: p\n".getBytes(StandardCharsets.UTF_8), "main.charter", PROGRAM.getBytes(StandardCharsets.UTF_8))));
        CompiledProgram program = c.program();
        ConditionProbe probe = new ConditionProbe(program);
        Map<String, String> none = outcomes(probe.probe(List.of(), List.of()));
        assertEquals(List.of("recovered: d.target == \"production\"", "recovered: s.project == d.project",
                "fatal_open: i.level == \"fatal\"", "fatal_open: intent.target == \"production\"", "fatal_open: intent.repo == \"docs\"",
                "assigned: i.level == \"fatal\"", "assigned: a.issue_id == i.issue_id"), List.copyOf(none.keySet()));
        assertEquals(List.of(""), none.values().stream().distinct().toList(), "nothing seen without inputs");

        Map<String, String> seen = outcomes(probe.probe(List.of(
                event("e1", "vercel.deployment.error", "2026-01-01T10:00:00Z", Map.of("project", "api", "target", "production")),
                event("e2", "vercel.deployment.error", "2026-01-01T10:01:00Z", Map.of("project", "web", "target", "preview")),
                event("s1", "vercel.deployment.succeeded", "2026-01-01T10:02:00Z", Map.of("project", "web")),
                event("c1", "sentry.issue.created", "2026-01-01T10:03:00Z", Map.of("issue_id", "1", "level", "fatal")),
                event("a1", "sentry.issue.assigned", "2026-01-01T10:04:00Z", Map.of("issue_id", "1"))),
                List.of(new IntentRequest("i1", "ship", "alice", null, Instant.parse("2026-01-01T11:00:00Z"),
                        Map.of("repo", "api", "target", "production"), null))));
        // s1 is tried only with e1, which matched its pattern: web is not api.
        assertEquals("F", seen.get("recovered: s.project == d.project"));
        assertEquals("TF", seen.get("recovered: d.target == \"production\""));
        assertEquals("T", seen.get("fatal_open: i.level == \"fatal\""));
        assertEquals("T", seen.get("fatal_open: intent.target == \"production\""));
        assertEquals("F", seen.get("fatal_open: intent.repo == \"docs\""));
        assertEquals("T", seen.get("assigned: a.issue_id == i.issue_id"));
    }
}
