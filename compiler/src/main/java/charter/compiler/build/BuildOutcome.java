package charter.compiler.build;

import java.util.List;

import org.kie.api.KieBase;

/**
 * The result of building DRL: a KieBase when the DRL compiled, otherwise {@code null} and at
 * least one error. Each error reads {@code "DRL line N: message"} when Drools gives a line,
 * else just the message.
 */
public record BuildOutcome(KieBase kieBase, List<String> errors) {
    public BuildOutcome {
        errors = List.copyOf(errors);
        if (kieBase == null && errors.isEmpty()) {
            throw new IllegalArgumentException("a failed build must carry an error");
        }
    }

    public boolean ok() {
        return kieBase != null;
    }
}
