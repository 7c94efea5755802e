package charter.engine.ingest;

import java.util.Objects;

/**
 * A delivery to ingest and the label it is reported under (a file path, a request id): every
 * rejection and warning names it.
 */
public record LabeledDelivery(String label, RawDelivery delivery) {
    public LabeledDelivery {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(delivery, "delivery");
    }
}
