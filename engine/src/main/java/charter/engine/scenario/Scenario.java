package charter.engine.scenario;

import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import com.google.re2j.Pattern;

/**
 * One parsed scenario file: given these events and intents (and a clock run to
 * `until`), expect these actions, decisions and violations. A null expectation list
 * means "not checked"; an empty one means "none at all".
 */
record Scenario(String file, String name, String description, List<CanonicalEvent> events, List<IntentRequest> intents,
                Instant until, List<ExpectedAction> actions, List<ExpectedDecision> decisions,
                List<ExpectedViolation> violations, List<ExpectedSkip> skipped) {

    /**
     * One expected planned action. {@code rule} or {@code intent} (a scenario intent id) say who
     * planned it; {@code args} must be equal on the keys given, {@code matches} are regular
     * expressions found in the rendered argument.
     */
    record ExpectedAction(int line, String rule, String intent, String tool, Map<String, Object> args,
                          Map<String, Pattern> matches, Instant at) {}

    /** @param invariants null: not checked; else exactly the invariants that denied or warned */
    record ExpectedDecision(int line, String intent, String verdict, List<String> invariants, Boolean overridden) {}

    /** An action skipped by `x ?? skip`: who would have planned it, its tool, and (null: not checked) when and why. */
    record ExpectedSkip(int line, String rule, String intent, String tool, Instant at, String reason) {}

    /** @param events null: not checked; else exactly the ids of the facts that prove the violation */
    record ExpectedViolation(int line, String invariant, Instant at, List<String> events) {}
}
