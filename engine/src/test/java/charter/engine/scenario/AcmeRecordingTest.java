package charter.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.Simulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The acme Program replayed on the acme recording (15 days, scripted incidents). */
class AcmeRecordingTest {
    static final Path EVENTS = AcmeProgramTest.ACME.resolve("events.jsonl");

    static SimulationResult simulate(CompiledProgram p) {
        EventFileResult events = new EventFileReader().read(EVENTS);
        assertEquals(List.of(), events.errors());
        return new Simulator().run(p, events.events(), List.of(), null);
    }

    @Test
    void recordingYieldsTheIncidentOutcomes() throws Exception {
        CompiledProgram p = AcmeProgramTest.acme();
        SimulationResult r = simulate(p);
        assertEquals(List.of(), r.errors());
        assertEquals(307, r.events());

        Set<String> rules = new TreeSet<>();
        r.actions().stream().filter(a -> a.provenance().kind() == Provenance.Kind.RULE).forEach(a -> rules.add(a.provenance().id()));
        assertTrue(rules.size() >= 10, "rules that planned actions: " + rules);

        // Friday 2026-03-06: the api production deploy error pages Platform.
        var fridayPage = r.actions().stream().filter(a -> a.provenance().id().equals("page_on_failed_prod_deploy")
                && a.tool().equals("pagerduty.page") && a.time().equals(Instant.parse("2026-03-06T16:36:43Z"))).toList();
        assertEquals(1, fridayPage.size());
        assertEquals("platform", String.valueOf(fridayPage.getFirst().args().get("team")));

        // 2026-03-10: the fatal issue assigned after 20 minutes is escalated at 15 minutes and breaks the invariant.
        var escalations = r.actions().stream().filter(a -> a.provenance().id().equals("escalate_unassigned_fatal")).toList();
        assertEquals(1, escalations.size());
        assertEquals(Instant.parse("2026-03-10T14:20:00Z"), escalations.getFirst().time());
        var fatalViolations = r.violations().stream().filter(v -> v.invariant().equals("fatal_issue_assigned_within_15m")).toList();
        assertEquals(1, fatalViolations.size());
        assertEquals(Instant.parse("2026-03-10T14:20:00Z"), fatalViolations.getFirst().time());
        assertEquals(List.of("sentry-000151"), fatalViolations.getFirst().provenance().eventIds());

        // 2026-03-11: three web production deploy errors within an hour make exactly one burst alert.
        var bursts = r.actions().stream().filter(a -> a.provenance().id().equals("prod_deploy_error_burst") && a.tool().equals("slack.post")).toList();
        assertEquals(1, bursts.size());
        assertEquals(Instant.parse("2026-03-11T15:51:56Z"), bursts.getFirst().time());

        // The other scripted incidents.
        assertEquals(1, r.countsByRule().get("force_push_to_main") / 2);
        assertEquals(1, r.countsByRule().get("large_pr_needs_two_reviewers") / 2);
        assertEquals(1, r.countsByRule().get("merged_without_review") / 2);
        assertEquals(3, r.countsByRule().get("deploy_error_tracked_in_linear"));
    }

    @Test
    void twiceRunOutputIsIdentical() throws Exception {
        CompiledProgram p = AcmeProgramTest.acme();
        assertEquals(render(simulate(p)), render(simulate(p)));
        assertEquals(render(simulate(p)), render(simulate(AcmeProgramTest.acme())));
    }

    private static String render(SimulationResult r) {
        StringBuilder b = new StringBuilder();
        for (TimelineEntry e : r.timeline()) b.append(e).append('\n');
        return b.append(r.countsByRule()).toString();
    }
}
