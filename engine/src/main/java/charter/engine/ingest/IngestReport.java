package charter.engine.ingest;

import java.util.List;

/**
 * What one {@link Ingestor#ingest} call did. Every input is counted exactly once: accepted
 * (new in the log), duplicate (its delivery id was already stored, or came earlier in the same
 * input: a no-op) or rejected (never reached the log).
 *
 * @param accepted   deliveries appended to the log, with their event ids, in input order
 * @param duplicates deliveries skipped as already ingested
 * @param rejected   deliveries refused, each with a stable code and a message
 * @param warnings   what was tolerated but lost (per delivery), and notes about the whole run
 *                   (e.g. signatures not verified; label null)
 */
public record IngestReport(List<Accepted> accepted, List<Duplicate> duplicates, List<Rejection> rejected,
                           List<Warning> warnings) {
    public IngestReport {
        accepted = List.copyOf(accepted);
        duplicates = List.copyOf(duplicates);
        rejected = List.copyOf(rejected);
        warnings = List.copyOf(warnings);
    }

    /** Codes of a refused signature, next to {@link DeliveryException}'s codes for refused bodies. */
    public static final String SIGNATURE_MISSING = "signature_missing";
    public static final String SIGNATURE_INVALID = "signature_invalid";
    public static final String SIGNATURE_STALE = "signature_stale";

    public record Accepted(String label, String deliveryId, String eventId, String type, int significance) {}

    /** {@code inInput}: repeated within this input rather than already in the store. */
    public record Duplicate(String label, String deliveryId, boolean inInput) {}

    public record Rejection(String label, String code, String message) {}

    /** {@code label} is null for a note about the whole run. */
    public record Warning(String label, String message) {
        @Override
        public String toString() {
            return label == null ? message : label + ": " + message;
        }
    }

    /** What this report says about the delivery labelled {@code label}, with the notes about the whole run. */
    public IngestReport about(String label) {
        return new IngestReport(
                accepted.stream().filter(a -> label.equals(a.label())).toList(),
                duplicates.stream().filter(d -> label.equals(d.label())).toList(),
                rejected.stream().filter(r -> label.equals(r.label())).toList(),
                warnings.stream().filter(w -> w.label() == null || label.equals(w.label())).toList());
    }

    public int total() {
        return accepted.size() + duplicates.size() + rejected.size();
    }
}
