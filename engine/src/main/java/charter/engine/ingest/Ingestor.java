package charter.engine.ingest;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventTimes;
import charter.engine.runtime.SignificanceScorer;
import charter.engine.store.EventStore;
import charter.engine.store.StoreException;
import charter.compiler.catalog.Catalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Webhook deliveries into the durable log: for each delivery, verify its signature (when a
 * secret is configured for its source), normalise it, link the people it mentions to who they
 * are ({@link PersonIdentity}), score its significance, and append it to the store in batches.
 * A rejected delivery never reaches the log and does not stop the others; a delivery already
 * stored, or repeated within the input, is a counted no-op.
 *
 * <p>A store failure (locked, read-only, disk full) is not a rejection: it is thrown as the
 * store's {@link charter.engine.store.StoreException}; the batch that hit it was rolled back and
 * the batches before it stay committed (re-running the same input is safe: ingest is idempotent).
 */
public final class Ingestor {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Ingestor.class);

    /** Deliveries per store transaction unless told otherwise. */
    public static final int DEFAULT_BATCH = 500;

    private final EventStore store;
    private final Map<String, byte[]> secrets;
    private final SignificanceScorer scorer;
    private final PersonIdentity identity;
    private final Clock clock;
    private final int batchSize;

    private Ingestor(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.secrets = Map.copyOf(b.secrets);
        this.scorer = b.scorer != null ? b.scorer : SignificanceScorer.catalogDefaults(Catalog.standard());
        this.identity = b.identity != null ? b.identity : PersonIdentity.byEmail();
        this.clock = b.clock;
        this.batchSize = b.batchSize;
    }

    public static Builder builder(EventStore store) {
        return new Builder(store);
    }

    /** One delivery that passed verification and normalisation, waiting for its batch. */
    private record Pending(String label, EventStore.Ingested ingested) {}

    /** Checks every delivery, then appends those that passed: {@link #check} and {@link #append} in one call. */
    public IngestReport ingest(String tenant, List<LabeledDelivery> deliveries) {
        if (tenant == null || tenant.isBlank()) throw new IllegalArgumentException("tenant is required");
        List<Checked> checked = new ArrayList<>(deliveries.size());
        for (LabeledDelivery in : deliveries) checked.add(check(in));
        return append(tenant, checked);
    }

    /** What checking one delivery gave: ready to append, or refused (it never reaches the log). */
    public sealed interface Checked permits Ready, Refused {
        String label();
    }

    /** @param verified false when no secret was configured for its source */
    public record Ready(String label, EventStore.Ingested ingested, boolean verified) implements Checked {}

    public record Refused(String label, IngestReport.Rejection rejection) implements Checked {}

    /**
     * Verifies, normalises, links and scores one delivery, and has the store prepare it for the
     * append (the body deflated, the JSON written) without touching the store's data: safe to call
     * from many threads at once (a server checks on its request threads and leaves only the
     * writing to the tenant's writer).
     */
    public Checked check(LabeledDelivery in) {
        RawDelivery d = in.delivery();
        String source = d.source() == null ? "" : d.source();
        if (!Normalisers.SOURCES.contains(source)) {
            return new Refused(in.label(), new IngestReport.Rejection(in.label(), DeliveryException.UNKNOWN_SOURCE,
                    "unknown source '" + source + "' (known: " + String.join(", ", Normalisers.SOURCES) + ")"));
        }
        byte[] secret = secrets.get(source);
        if (secret != null) {
            IngestReport.Rejection refused = refusal(in.label(), source,
                    SignatureVerifier.forSource(source).verify(d, secret, clock.instant()));
            if (refused != null) return new Refused(in.label(), refused);
        }
        Normalised n;
        try {
            n = identity.link(Normalisers.forSource(source).normalise(d));
        } catch (DeliveryException e) {
            return new Refused(in.label(), new IngestReport.Rejection(in.label(), e.code(), e.getMessage()));
        }
        Instant receivedAt = d.receivedAt() != null ? d.receivedAt() : clock.instant();
        String badTime = EventTimes.problem(n.event().time(), receivedAt);
        if (badTime != null) {
            return new Refused(in.label(), new IngestReport.Rejection(in.label(), DeliveryException.TIME_OUT_OF_RANGE,
                    source + " delivery " + n.deliveryId() + ": " + badTime));
        }
        CanonicalEvent scored = scorer.score(n.event());
        Normalised withScore = new Normalised(n.deliveryId(), scored, n.mentions(), n.relations(), n.warnings());
        return new Ready(in.label(), store.prepare(new EventStore.Ingested(d, withScore)), secret != null);
    }

    /**
     * Appends the checked deliveries that are ready, in order, in batches (one transaction each),
     * and reports on every one: accepted, duplicate (in the store already, or earlier in this
     * input) or rejected.
     */
    public IngestReport append(String tenant, List<Checked> checked) {
        if (tenant == null || tenant.isBlank()) throw new IllegalArgumentException("tenant is required");
        List<IngestReport.Accepted> accepted = new ArrayList<>();
        List<IngestReport.Duplicate> duplicates = new ArrayList<>();
        List<IngestReport.Rejection> rejected = new ArrayList<>();
        List<IngestReport.Warning> warnings = new ArrayList<>();
        Set<String> unverified = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        List<Pending> batch = new ArrayList<>(Math.min(batchSize, checked.size()));
        Set<String> batchIds = new HashSet<>();

        for (Checked c : checked) {
            Ready ready;
            switch (c) {
                case Refused r -> {
                    rejected.add(r.rejection());
                    continue;
                }
                case Ready r -> ready = r;
            }
            RawDelivery d = ready.ingested().raw();
            Normalised n = ready.ingested().normalised();
            if (!ready.verified()) unverified.add(d.source());
            if (!seen.add(d.source() + "\u0000" + n.deliveryId())) {
                duplicates.add(new IngestReport.Duplicate(ready.label(), n.deliveryId(), true));
                continue;
            }
            for (String w : n.warnings()) warnings.add(new IngestReport.Warning(ready.label(), w));
            // The store answers with the new delivery ids, not their sources: keep an id once per batch.
            if (!batchIds.add(n.deliveryId())) {
                flush(tenant, batch, accepted, duplicates, rejected);
                batchIds.clear();
                batchIds.add(n.deliveryId());
            }
            batch.add(new Pending(ready.label(), ready.ingested()));
            if (batch.size() >= batchSize) {
                flush(tenant, batch, accepted, duplicates, rejected);
                batchIds.clear();
            }
        }
        flush(tenant, batch, accepted, duplicates, rejected);
        List<IngestReport.Warning> notes = new ArrayList<>();
        for (String source : unverified) {
            notes.add(new IngestReport.Warning(null, "signatures of " + source + " deliveries were not verified: no secret given for " + source));
        }
        notes.addAll(warnings);
        return new IngestReport(accepted, duplicates, rejected, notes);
    }

    private void flush(String tenant, List<Pending> batch, List<IngestReport.Accepted> accepted,
                       List<IngestReport.Duplicate> duplicates, List<IngestReport.Rejection> rejected) {
        if (batch.isEmpty()) return;
        List<EventStore.Ingested> items = new ArrayList<>(batch.size());
        for (Pending p : batch) items.add(p.ingested());
        Set<String> fresh;
        try {
            fresh = new HashSet<>(store.append(tenant, items));
        } catch (StoreException e) {
            throw e;   // the store is unavailable: the whole batch failed, and every caller is told
        } catch (RuntimeException e) {
            // Not the store but one delivery it could not take (check should have refused it): the
            // batch was rolled back, so each delivery is tried alone and only that one is refused.
            if (batch.size() == 1) {
                Pending p = batch.getFirst();
                LOG.error("tenant {}: delivery {} ({}) could not be appended to the log", tenant,
                        p.ingested().normalised().deliveryId(), p.label(), e);
                rejected.add(new IngestReport.Rejection(p.label(), IngestReport.INTERNAL_ERROR,
                        "the delivery could not be stored: " + e.getClass().getSimpleName()));
                batch.clear();
                return;
            }
            for (Pending p : List.copyOf(batch)) {
                flush(tenant, new ArrayList<>(List.of(p)), accepted, duplicates, rejected);
            }
            batch.clear();
            return;
        }
        for (Pending p : batch) {
            Normalised n = p.ingested().normalised();
            // a delivery id occurs once per batch (see ingest), so the store's answer is unambiguous
            if (fresh.contains(n.deliveryId())) {
                CanonicalEvent e = n.event();
                accepted.add(new IngestReport.Accepted(p.label(), n.deliveryId(), e.id(), e.type(),
                        e.significance() == null ? 0 : e.significance()));
            } else {
                duplicates.add(new IngestReport.Duplicate(p.label(), n.deliveryId(), false));
            }
        }
        batch.clear();
    }

    private static IngestReport.Rejection refusal(String label, String source, Verification v) {
        return switch (v) {
            case Verification.Valid ok -> null;
            case Verification.Missing m -> new IngestReport.Rejection(label, IngestReport.SIGNATURE_MISSING,
                    source + " delivery has no " + m.header() + (m.header().equals(LinearSignatureVerifier.TIMESTAMP_FIELD)
                            ? " (the signed timestamp)" : " header") + "; a secret was given, so every delivery must be signed");
            case Verification.Invalid i -> new IngestReport.Rejection(label, IngestReport.SIGNATURE_INVALID,
                    source + " signature does not match the body: " + i.reason()
                            + " (wrong secret, or the body was changed after signing)");
            case Verification.Stale s -> new IngestReport.Rejection(label, IngestReport.SIGNATURE_STALE,
                    source + " delivery is stale: its signed timestamp is " + describe(s.age())
                            + ", outside the 60-second replay window");
        };
    }

    private static String describe(Duration age) {
        Duration abs = age.abs();
        String amount = abs.toSeconds() >= 120 ? abs.toMinutes() + " min" : abs.toSeconds() + " s";
        return age.isNegative() ? amount + " in the future" : amount + " old";
    }

    public static final class Builder {
        private final EventStore store;
        private final Map<String, byte[]> secrets = new LinkedHashMap<>();
        private SignificanceScorer scorer;
        private PersonIdentity identity;
        private Clock clock = Clock.systemUTC();
        private int batchSize = DEFAULT_BATCH;

        private Builder(EventStore store) {
            this.store = store;
        }

        /** Verify every delivery of {@code source} with this secret (no secret: not verified). */
        public Builder secret(String source, byte[] secret) {
            if (!Normalisers.SOURCES.contains(source)) {
                throw new IllegalArgumentException("unknown source '" + source + "' (known: " + String.join(", ", Normalisers.SOURCES) + ")");
            }
            secrets.put(source, secret.clone());
            return this;
        }

        /** Scores significance (default: the catalog's default per event type). */
        public Builder scorer(SignificanceScorer scorer) {
            this.scorer = scorer;
            return this;
        }

        /**
         * Links person mentions to the people they are ({@code same_person}); default: by email only.
         * With a Program, {@code PersonIdentity.of(program)} links them to its {@code person} blocks too.
         */
        public Builder identity(PersonIdentity identity) {
            this.identity = identity;
            return this;
        }

        /** The clock replay windows are checked against (Linear's 60 s). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder batchSize(int n) {
            if (n < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + n);
            this.batchSize = n;
            return this;
        }

        public Ingestor build() {
            return new Ingestor(this);
        }
    }
}
