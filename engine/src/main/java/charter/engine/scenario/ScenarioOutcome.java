package charter.engine.scenario;

import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import charter.engine.result.SimulationResult;
import java.util.List;

/**
 * One scenario that ran.
 *
 * @param file the scenario file, relative to the Program folder (`scenarios/x.yaml`)
 * @param differences human-readable lines, one per unmet expectation; empty when passed
 * @param result the dry run the expectations were checked against
 * @param events the scenario's events and {@code intents} its intents, for condition coverage
 */
public record ScenarioOutcome(String file, String name, boolean passed, List<String> differences, SimulationResult result,
                              List<CanonicalEvent> events, List<IntentRequest> intents) {
    public ScenarioOutcome {
        differences = List.copyOf(differences);
        events = List.copyOf(events);
        intents = List.copyOf(intents);
    }

    public ScenarioOutcome(String file, String name, boolean passed, List<String> differences, SimulationResult result) {
        this(file, name, passed, differences, result, List.of(), List.of());
    }
}
