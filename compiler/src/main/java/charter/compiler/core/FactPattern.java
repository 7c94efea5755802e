package charter.compiler.core;

import java.util.List;

/**
 * One Drools pattern: `var : Class(type == "…", [temporal], [cond.test(conditionId, args…, this)])`.
 *
 * @param conditionArgs variables of earlier facts passed before `this`; empty when conditionId is -1
 * @param temporal      nullable
 * @param distinctFrom  earlier event variables of the same type: two patterns never bind one event,
 *                      and an absence is never filled by an event an earlier pattern bound
 */
public record FactPattern(String var, FactKind kind, String type, int conditionId, List<String> conditionArgs,
                          TemporalLink temporal, List<JoinKey> joinKeys, List<LiteralKey> literalKeys,
                          List<String> distinctFrom) {
    public FactPattern {
        conditionArgs = List.copyOf(conditionArgs);
        joinKeys = List.copyOf(joinKeys);
        literalKeys = List.copyOf(literalKeys);
        distinctFrom = List.copyOf(distinctFrom);
    }

    /**
     * `this.data[field] == value`, from a top-level `b.f == "word"` or `b.f == 3` (value is the
     * DRL literal: a quoted plain word or a double): emitted natively so Drools shares and hashes it in the alpha network, and left out of
     * the compiled condition. Values outside the closed alphabet of DrlText are never emitted.
     */
    public record LiteralKey(String field, String value) {}

    /**
     * `this.data[field] == anchor.data[anchorField]` (and not null, as the language's `==` wants),
     * taken from a top-level `b.f == a.g` of the condition: emitted as a native constraint so
     * Drools can hash-index the join, and left out of the compiled condition.
     */
    public record JoinKey(String field, String anchorVar, String anchorField) {}

    /** EVENT and INTENT facts are Drools events with a timestamp; ENTITY facts are current state and have none. */
    public enum FactKind { EVENT, INTENT, ENTITY }

    /** This fact's time lies within `windowMillis` after (or before) the anchor fact's. */
    public record TemporalLink(String anchorVar, boolean after, long windowMillis) {}
}
