package charter.facts;

import java.util.Map;
import java.util.Objects;

/**
 * An intent ("ship this") submitted by a person or an agent. Declared in generated DRL as
 * {@code @role(event) @timestamp(time)}.
 *
 * <p>Two phases: the engine inserts it with phase {@link #DECIDE}; invariant rules match
 * {@code phase == "decide"} and report denials. If the engine allows it, it sets the phase to
 * {@link #RESOLVE} and calls {@code update}; resolve rules match {@code phase == "resolve"}.
 * The phase is the only mutable field. Equality is identity.
 */
public final class IntentFact {
    public static final String DECIDE = "decide";
    public static final String RESOLVE = "resolve";

    private final String id;
    private final String name;
    private final String actor;
    private final String reason;
    private final long time;
    private final Map<String, Object> params;
    private volatile String phase = DECIDE;

    public IntentFact(String id, String name, String actor, String reason, long time,
                      Map<String, Object> params) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = Objects.requireNonNull(name, "name");
        this.actor = actor;
        this.reason = reason;
        this.time = time;
        this.params = params == null ? Map.of() : Map.copyOf(params);
    }

    public String getId() { return id; }
    public String getName() { return name; }
    public String getActor() { return actor; }
    public String getReason() { return reason; }
    public long getTime() { return time; }
    public Map<String, Object> getParams() { return params; }
    public String getPhase() { return phase; }

    public void setPhase(String phase) {
        this.phase = Objects.requireNonNull(phase, "phase");
    }

    /**
     * A field by name: {@code id, name, actor, reason, time, phase}, otherwise the parameter
     * value, or {@code null} when absent.
     */
    public Object get(String field) {
        return switch (field) {
            case "id" -> id;
            case "name" -> name;
            case "actor" -> actor;
            case "reason" -> reason;
            case "time" -> time;
            case "phase" -> phase;
            default -> params.get(field);
        };
    }

    @Override
    public String toString() {
        return "IntentFact[" + id + " " + name + " by " + actor + " @" + time + " " + phase + "]";
    }
}
