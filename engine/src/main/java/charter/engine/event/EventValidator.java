package charter.engine.event;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EventTypeSpec;
import charter.compiler.catalog.FieldSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks an in-memory {@link CanonicalEvent} against the catalog by the same rules as
 * {@link EventFileReader} applies to an event file line: known source and type, the source matching
 * the type, only the type's data fields, each of its declared type (String, Double, Boolean,
 * List&lt;String&gt;, ISO-8601 time with zone), and known entity types. Used for normalised webhooks.
 */
public final class EventValidator {

    private final Catalog catalog;

    public EventValidator(Catalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    public EventValidator() {
        this(Catalog.standard());
    }

    /** Every problem found; empty when the event is valid. */
    public List<String> validate(CanonicalEvent e) {
        List<String> errors = new ArrayList<>();
        if (!catalog.sources().contains(e.source())) {
            errors.add("unknown source '" + e.source() + "'");
        }
        EventTypeSpec spec = catalog.eventType(e.type()).orElse(null);
        if (spec == null) {
            errors.add("unknown event type '" + e.type() + "'");
        } else {
            if (!spec.source().equals(e.source())) {
                errors.add("source '" + e.source() + "' does not match event type '" + e.type() + "'");
            }
            Map<String, FieldSpec> fields = spec.dataFields();
            for (var d : e.data().entrySet()) {
                FieldSpec f = fields.get(d.getKey());
                Object v = d.getValue();
                if (f == null) {
                    errors.add("unknown field '" + d.getKey() + "' for " + e.type());
                    continue;
                }
                boolean ok = switch (f.type()) {
                    case STRING, TEAM, PERSON -> v instanceof String;
                    case NUMBER -> v instanceof Double;
                    case BOOL -> v instanceof Boolean;
                    case TIME -> v instanceof String s && isTime(s);
                    case LIST_STRING -> v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String);
                };
                if (!ok) {
                    errors.add("field '" + d.getKey() + "' of " + e.type() + " must be " + f.type().displayName() + ", got "
                            + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
                }
            }
        }
        for (EntityRef r : e.entities()) {
            if (catalog.entityType(r.type()).isEmpty()) {
                errors.add("unknown entity type '" + r.type() + "'");
            }
            if (r.key().isBlank()) {
                errors.add("blank key for entity type '" + r.type() + "'");
            }
        }
        return errors;
    }

    private static boolean isTime(String s) {
        List<String> errs = new ArrayList<>();
        Instant t = EventFileReader.parseTime(s, "time", (k, m) -> errs.add(m));
        return t != null;
    }
}
