package charter.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every acme scenario passes, and together they exercise every rule and invariant. */
class AcmeScenariosTest {
    @Test
    void allAcmeScenariosPass() throws Exception {
        CompiledProgram p = AcmeProgramTest.acme();
        TestReport report = new ScenarioRunner(p).run(AcmeProgramTest.ACME);
        String failures = report.errors().stream().map(ScenarioError::toString).collect(Collectors.joining("\n"))
                + report.scenarios().stream().filter(s -> !s.passed())
                        .map(s -> s.file() + ": " + s.name() + "\n  " + String.join("\n  ", s.differences()))
                        .collect(Collectors.joining("\n"));
        assertTrue(report.passed(), failures);
        assertTrue(report.scenarios().size() >= 10, "scenarios: " + report.scenarios().size());
        assertEquals("acme", report.program());
        assertEquals(p.version(), report.version());

        Set<String> fired = new TreeSet<>();
        for (ScenarioOutcome o : report.scenarios()) {
            for (TimelineEntry e : o.result().timeline()) {
                switch (e) {
                    case TimelineEntry.PlannedAction a when a.provenance().kind() == Provenance.Kind.RULE -> fired.add(a.provenance().id());
                    case TimelineEntry.Violation v -> fired.add(v.invariant());
                    case TimelineEntry.Decision d -> d.denials().forEach(x -> fired.add(x.invariant()));
                    default -> { }
                }
            }
        }
        Set<String> all = new TreeSet<>();
        p.rules().forEach(r -> all.add(r.id()));
        p.guards().forEach(g -> all.add(g.id()));
        p.stateInvariants().forEach(s -> all.add(s.id()));
        Set<String> missing = new TreeSet<>(all);
        missing.removeAll(fired);
        assertEquals(Set.of(), missing, "rules and invariants no scenario exercises");
    }
}
