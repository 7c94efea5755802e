package charter.engine.store;

import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency key of an output. An action already has one (rule + matched facts + action
 * index). A violation is identified by its invariant, the facts that prove it and its deadline; a
 * rule error by its rule, its facts and its message. Processing the same events again therefore
 * derives the same keys.
 */
public final class OutputIds {
    private OutputIds() {}

    public static String of(TimelineEntry e) {
        return switch (e) {
            case TimelineEntry.PlannedAction a -> a.actionId();
            case TimelineEntry.SkippedAction k -> "skp-" + k.actionId();
            case TimelineEntry.Violation v -> "vio-" + digest(v.invariant(), v.time().toString(), facts(v.provenance()));
            case TimelineEntry.RuleError r -> "err-" + digest(r.provenance() == null ? "" : r.provenance().id(),
                    facts(r.provenance()), r.message());
            case TimelineEntry.Decision d -> throw new IllegalArgumentException("a decision is identified by its intent id");
        };
    }

    /** The rule or invariant that made an output. */
    public static String origin(TimelineEntry e) {
        if (e instanceof TimelineEntry.Violation v) return v.invariant();
        if (e instanceof TimelineEntry.Decision d) return d.intent();
        Provenance p = provenance(e);
        return p == null ? "" : p.id();
    }

    /** Why an output exists (null for a decision, whose reasons are its denials). */
    public static Provenance provenance(TimelineEntry e) {
        return switch (e) {
            case TimelineEntry.PlannedAction a -> a.provenance();
            case TimelineEntry.Violation v -> v.provenance();
            case TimelineEntry.RuleError r -> r.provenance();
            case TimelineEntry.SkippedAction k -> k.provenance();
            case TimelineEntry.Decision d -> null;
        };
    }

    static String programVersion(TimelineEntry e) {
        if (e instanceof TimelineEntry.Decision d) return d.programVersion();
        Provenance p = provenance(e);
        return p == null || p.programVersion() == null ? "" : p.programVersion();
    }

    private static String facts(Provenance p) {
        return p == null ? "" : String.join(",", p.eventIds()) + "|" + (p.intentId() == null ? "" : p.intentId());
    }

    private static String digest(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                md.update(part.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
