package charter.engine.scenario;

import java.util.List;

/**
 * What `charter test` reports for one Program: every scenario that ran, with its
 * outcome, and every scenario that could not run because its file is malformed.
 */
public record TestReport(String program, String version, List<ScenarioOutcome> scenarios, List<ScenarioError> errors) {
    public TestReport {
        scenarios = List.copyOf(scenarios);
        errors = List.copyOf(errors);
    }

    /** No malformed scenario and every scenario met its expectations. */
    public boolean passed() {
        return errors.isEmpty() && scenarios.stream().allMatch(ScenarioOutcome::passed);
    }
}
