package charter.engine.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** A delivery that passed every check but could not be stored (a fault of Charter's, logged): not the sender's. */
    public static final String INTERNAL_ERROR = "internal_error";

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

    /**
     * What this report says about each delivery, by its label (each with the notes about the whole
     * run): how a server answers every request of a group commit from the one report.
     */
    public Map<String, IngestReport> perDelivery() {
        Map<String, List<Accepted>> a = new HashMap<>();
        Map<String, List<Duplicate>> d = new HashMap<>();
        Map<String, List<Rejection>> r = new HashMap<>();
        Map<String, List<Warning>> w = new HashMap<>();
        Set<String> labels = new LinkedHashSet<>();
        for (Accepted x : accepted) a.computeIfAbsent(x.label(), k -> new ArrayList<>()).add(x);
        for (Duplicate x : duplicates) d.computeIfAbsent(x.label(), k -> new ArrayList<>()).add(x);
        for (Rejection x : rejected) r.computeIfAbsent(x.label(), k -> new ArrayList<>()).add(x);
        List<Warning> notes = new ArrayList<>();
        for (Warning x : warnings) {
            if (x.label() == null) notes.add(x);
            else w.computeIfAbsent(x.label(), k -> new ArrayList<>()).add(x);
        }
        labels.addAll(a.keySet());
        labels.addAll(d.keySet());
        labels.addAll(r.keySet());
        Map<String, IngestReport> out = new HashMap<>();
        for (String label : labels) {
            List<Warning> mine = new ArrayList<>(notes);
            mine.addAll(w.getOrDefault(label, List.of()));
            out.put(label, new IngestReport(a.getOrDefault(label, List.of()), d.getOrDefault(label, List.of()),
                    r.getOrDefault(label, List.of()), mine));
        }
        return out;
    }

    public int total() {
        return accepted.size() + duplicates.size() + rejected.size();
    }
}
