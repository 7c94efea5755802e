package charter.compiler.core;

import java.util.List;

/**
 * One Drools pattern: `var : Class(type == "…", [temporal], [cond.test(conditionId, args…, this)])`.
 *
 * @param conditionArgs variables of earlier facts passed before `this`; empty when conditionId is -1
 * @param temporal      nullable
 */
public record FactPattern(String var, FactKind kind, String type, int conditionId, List<String> conditionArgs,
                          TemporalLink temporal) {
    public FactPattern {
        conditionArgs = List.copyOf(conditionArgs);
    }

    /** EVENT and INTENT facts are Drools events with a timestamp; ENTITY facts are current state and have none. */
    public enum FactKind { EVENT, INTENT, ENTITY }

    /** This fact's time lies within `windowMillis` after (or before) the anchor fact's. */
    public record TemporalLink(String anchorVar, boolean after, long windowMillis) {}
}
