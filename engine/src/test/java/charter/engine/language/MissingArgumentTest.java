package charter.engine.language;

import static charter.engine.language.Programs.at;
import static charter.engine.language.Programs.event;
import static charter.engine.language.Programs.intent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.result.SimulationResult;
import charter.engine.runtime.Simulator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `x ?? default` and `x ?? skip` in action arguments: a missing value never becomes empty text silently. */
class MissingArgumentTest {
    static final CompiledProgram P = Programs.compile("""
            program "t"
            team platform { owns project "api" }
            team oncall { }
            rule failed_prod_deploy {
              when vercel.deployment.error d where d.target == "production"
              then slack.post(channel: "#incidents", text: "Deploy failed: " + (d.url ?? "unknown"))
                   slack.post(channel: "#deploys", text: d.url ?? skip)
                   pagerduty.page(team: owner(d.project) ?? team oncall, summary: d.message ?? d.sha ?? "no commit")
            }
            intent ship(repo: string, note: string) { resolve slack.post(channel: "#ship", text: intent.note ?? skip) }
            """);

    static SimulationResult run(Map<String, Object> data) {
        CanonicalEvent e = event("e1", "vercel.deployment.error", at(0), data);
        return new Simulator().run(P, List.of(e), List.of(), null);
    }

    @Test
    void presentValuesAreUsedAsTheyAre() {
        SimulationResult r = run(Map.of("target", "production", "url", "https://x.vercel.app", "project", "api", "message", "fix"));
        assertEquals(List.of(
                Map.of("channel", "#incidents", "text", "Deploy failed: https://x.vercel.app"),
                Map.of("channel", "#deploys", "text", "https://x.vercel.app"),
                Map.of("team", "platform", "summary", "fix")), r.actions().stream().map(a -> a.args()).toList());
        assertEquals(List.of(), r.skipped());
    }

    @Test
    void missingValuesTakeTheDefaultOrSkipTheActionWithAReason() {
        SimulationResult r = run(Map.of("target", "production", "project", "web", "sha", "4f1c"));
        assertEquals(List.of(
                Map.of("channel", "#incidents", "text", "Deploy failed: unknown"),
                Map.of("team", "oncall", "summary", "4f1c")), r.actions().stream().map(a -> a.args()).toList());
        assertEquals(1, r.skipped().size());
        var skipped = r.skipped().getFirst();
        assertEquals("slack.post", skipped.tool());
        assertEquals(1, skipped.actionIndex());
        assertEquals("`d.url` is missing (argument `text`)", skipped.reason());
        assertEquals(List.of("e1"), skipped.provenance().eventIds());
        assertEquals(List.of(), r.errors());
    }

    @Test
    void emptyTextCountsAsMissingAsExistsSaysAndAnIntentsActionCanBeSkipped() {
        SimulationResult r = run(Map.of("target", "production", "url", ""));
        assertEquals("Deploy failed: unknown", r.actions().getFirst().args().get("text"));
        assertEquals(1, r.skipped().size());
        SimulationResult shipped = new Simulator().run(P, List.of(), List.of(intent("i1", "ship", at(0), Map.of("repo", "r"))), null);
        assertEquals(List.of(), shipped.actions());
        assertEquals("`intent.note` is missing (argument `text`)", shipped.skipped().getFirst().reason());
    }
}
