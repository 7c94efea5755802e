package charter.engine.scenario;

import charter.engine.result.SimulationResult;
import java.util.List;

/**
 * One scenario that ran.
 *
 * @param file the scenario file, relative to the Program folder (`scenarios/x.yaml`)
 * @param differences human-readable lines, one per unmet expectation; empty when passed
 * @param result the dry run the expectations were checked against
 */
public record ScenarioOutcome(String file, String name, boolean passed, List<String> differences, SimulationResult result) {
    public ScenarioOutcome {
        differences = List.copyOf(differences);
    }
}
