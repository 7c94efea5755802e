package charter.engine.result;

import charter.compiler.ast.Span;
import java.util.List;

/**
 * Why an output exists: the rule, invariant or intent that made it (with where it
 * is written), the events or intent that triggered it, and the Program version.
 *
 * @param intentId null unless an intent triggered it
 */
public record Provenance(Kind kind, String id, Span span, List<String> eventIds, String intentId, String programVersion) {
    public Provenance {
        eventIds = List.copyOf(eventIds);
    }

    /** SIGNIFICANCE: the Program's {@code significance} block scoring an event (its id is the event type). */
    public enum Kind { RULE, INVARIANT, INTENT, SIGNIFICANCE }

    public String location() {
        return span == null ? "" : span.toString();
    }
}
