package charter.engine.language;

import static charter.engine.language.Programs.at;
import static charter.engine.language.Programs.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.CompiledProgram;
import charter.engine.intent.IntentRequest;
import charter.engine.reference.ReferenceSimulator;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.Simulator;
import charter.engine.event.CanonicalEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `approval by`: each planned action carries its approvers, evaluated when it is planned (so
 * `owner(...)` names the team of this event's project), combining the rule's or intent's clause with
 * the action's own; the compiled engine and the reference interpreter agree.
 */
class ApprovalRuleTest {
    static final CompiledProgram PROGRAM = Programs.compile("""
            program "t"
            person alice { github "alice-gh" }
            person carol { github "carol-c" }
            team platform { members alice  owns project "api" }
            team product { members carol  owns project "web" }
            rule page approval by owner(d.project), alice {
              when vercel.deployment.error d
              then pagerduty.page(team: owner(d.project), summary: "down")
                   slack.post(channel: "#c", text: d.project) approval by team product
            }
            rule note {
              when vercel.deployment.succeeded d
              then slack.post(channel: "#c", text: d.project)
                   slack.post(channel: "#d", text: d.project) approval by owner(d.project)
            }
            intent rollback(project: string) approval by owner(intent.project) {
              resolve vercel.rollback(project: intent.project)
            }
            intent ship(project: string) {
              resolve vercel.deploy(project: intent.project, sha: "x", target: "production") approval by team platform
            }
            """);

    @Test
    void eachPlannedActionCarriesTheApproversItsClausesGiveOnItsFacts() {
        List<CanonicalEvent> events = List.of(
                event("e1", "vercel.deployment.error", at(0), Map.of("project", "api")),
                event("e2", "vercel.deployment.error", at(1000), Map.of("project", "etl")),
                event("e3", "vercel.deployment.succeeded", at(2000), Map.of("project", "web")),
                event("e4", "vercel.deployment.succeeded", at(3000), Map.of("project", "etl")));
        List<IntentRequest> intents = List.of(
                Programs.intent("i1", "rollback", at(4000), Map.of("project", "web")),
                Programs.intent("i2", "rollback", at(5000), Map.of("project", "etl")),
                Programs.intent("i3", "ship", at(6000), Map.of("project", "etl")));
        List<String> expected = List.of(
                "page#0 e1 [team:platform, alice]",
                "page#1 e1 [team:platform, alice, team:product]",
                "page#0 e2 [alice]",                 // etl has no owner: only alice is left
                "page#1 e2 [alice, team:product]",
                "note#0 e3 []",                      // no clause covers it
                "note#1 e3 [team:product]",
                "note#0 e4 []",
                "note#1 e4 [nobody]",                // required, but its only approver named nobody
                "rollback#0 i1 [team:product]",
                "rollback#0 i2 [nobody]",
                "ship#0 i3 [team:platform]");
        SimulationResult compiled = new Simulator().run(PROGRAM, events, intents, null);
        SimulationResult reference = new ReferenceSimulator().run(PROGRAM, events, intents, null);
        assertEquals(expected, approvers(compiled));
        assertEquals(expected, approvers(reference));
    }

    private static List<String> approvers(SimulationResult result) {
        List<String> out = new ArrayList<>();
        for (TimelineEntry e : result.timeline()) {
            switch (e) {
                case TimelineEntry.PlannedAction a -> out.add(line(a, a.provenance().eventIds().getFirst()));
                case TimelineEntry.Decision d -> d.actions().forEach(a -> out.add(line(a, d.intentId())));
                default -> { }
            }
        }
        return out;
    }

    private static String line(TimelineEntry.PlannedAction a, String trigger) {
        return a.provenance().id() + "#" + a.actionIndex() + " " + trigger + " " + a.approvers();
    }
}
