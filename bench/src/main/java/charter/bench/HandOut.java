package charter.bench;

import charter.facts.IntentFact;
import charter.facts.Outputs;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trivial {@code out} global of the hand-written DRL: counts firings per rule id. It
 * implements {@link Outputs} only so that {@code RuleSession} accepts it as the global.
 */
public final class HandOut implements Outputs {
    private final Map<String, Integer> fired = new TreeMap<>();

    public void fired(String rule) {
        fired.merge(rule, 1, Integer::sum);
    }

    public Map<String, Integer> counts() {
        return fired;
    }

    @Override public void ruleFired(int ruleIndex, Object[] facts) { throw new UnsupportedOperationException(); }
    @Override public void denied(int invariantIndex, IntentFact intent, Object[] facts) { throw new UnsupportedOperationException(); }
    @Override public void violated(int invariantIndex, Object[] facts) { throw new UnsupportedOperationException(); }
    @Override public void resolved(int intentIndex, IntentFact intent) { throw new UnsupportedOperationException(); }
}
