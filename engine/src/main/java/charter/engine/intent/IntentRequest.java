package charter.engine.intent;

import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.Map;

/**
 * An intent sent by a person or an agent: "ship acme/api@4f1c9e2 to production".
 *
 * @param override null, or a named actor's override of soft denials with a reason
 */
public record IntentRequest(String id, String intent, String actor, String reason, Instant time,
                            Map<String, Object> params, TimelineEntry.Override override) {
    public IntentRequest {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }
}
