package charter.engine.ingest;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EntityRefSpec;
import charter.compiler.catalog.EntityTypeSpec;
import charter.compiler.catalog.EventTypeSpec;
import charter.compiler.catalog.FieldSpec;
import charter.compiler.catalog.FieldType;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.event.EventTimes;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One event being normalised. Driven by the catalog: {@link #put} keeps only fields the event type
 * declares and coerces values to the declared type (a numeric string where a number is declared is
 * read as the number; an id number where a string is declared becomes its text); a value that
 * cannot be coerced is dropped with a warning. Entity references come from the catalog's key
 * templates, rendered over the data; normalisers add further mentions, claims and relations.
 * Claims are filtered to the entity type's declared attributes and coerced the same way.
 */
final class EventDraft {

    static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    private final Catalog catalog;
    private final String source;
    private final EventTypeSpec spec;
    private final Map<String, FieldSpec> fields;
    private final String deliveryId;
    private final Instant time;
    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> mentions = new LinkedHashMap<>(); // "type\0key" -> claims
    private final Set<Normalised.Relation> relations = new LinkedHashSet<>();
    private final List<String> warnings = new ArrayList<>();

    EventDraft(Catalog catalog, String source, String type, String deliveryId, Instant time) {
        this.catalog = catalog;
        this.source = source;
        this.spec = catalog.eventType(type).orElseThrow(() -> new IllegalStateException("event type not in catalog: " + type));
        this.fields = spec.dataFields();
        this.deliveryId = deliveryId;
        this.time = time;
    }

    String type() {
        return spec.name();
    }

    void warn(String w) {
        warnings.add(w);
    }

    Object get(String field) {
        return data.get(field);
    }

    String str(String field) {
        Object v = data.get(field);
        return v == null ? null : v.toString();
    }

    /** Sets a data field from a JSON node ({@code where} names its place in the body for warnings). */
    EventDraft putJson(String field, JsonNode node, String where) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return this;
        }
        FieldSpec f = fields.get(field);
        if (f == null) {
            return this; // not a field of this type
        }
        Object v = coerce(f.type(), node);
        if (v == null) {
            warn(spec.name() + "." + field + ": expected " + f.type().displayName() + " at " + where + ", got "
                    + Json.kind(node) + " " + Json.abbreviate(node.toString()) + "; field left out");
            return this;
        }
        data.put(field, v);
        return this;
    }

    /** Sets a data field from a path in a JSON tree. */
    EventDraft put(String field, JsonNode root, String... path) {
        return putJson(field, Json.at(root, path), String.join(".", path));
    }

    /** Sets a data field from a Java value (String, Number, Boolean, Instant, List). Null leaves it unset. */
    EventDraft put(String field, Object value) {
        if (value == null) {
            return this;
        }
        FieldSpec f = fields.get(field);
        if (f == null) {
            return this;
        }
        Object v = coerceJava(f.type(), value);
        if (v == null) {
            warn(spec.name() + "." + field + ": expected " + f.type().displayName() + ", got "
                    + Json.abbreviate(String.valueOf(value)) + "; field left out");
            return this;
        }
        data.put(field, v);
        return this;
    }

    /** Mentions an entity (no-op for a null/blank key); returns nothing, claims go through {@link #claim}. */
    void mention(String type, String key) {
        if (type == null || key == null || key.isBlank()) {
            return;
        }
        mentions.computeIfAbsent(type + "\0" + key, k -> new LinkedHashMap<>());
    }

    /** Claims an attribute value of an entity (mentioning it); values not fitting the attribute's type are dropped. */
    void claim(String type, String key, String attribute, Object value) {
        if (key == null || key.isBlank() || value == null) {
            return;
        }
        EntityTypeSpec et = catalog.entityType(type).orElse(null);
        if (et == null) {
            return;
        }
        FieldSpec a = et.attributes().get(attribute);
        if (a == null) {
            return;
        }
        Object v = value instanceof JsonNode n ? coerce(a.type(), n) : coerceJava(a.type(), value);
        if (v == null) {
            return;
        }
        mentions.computeIfAbsent(type + "\0" + key, k -> new LinkedHashMap<>()).put(attribute, v);
    }

    /** Claims several attributes from this event's data fields: {@code attribute=field} pairs. */
    void claimFields(String type, String key, String... attributeEqField) {
        for (String af : attributeEqField) {
            int eq = af.indexOf('=');
            String attr = eq < 0 ? af : af.substring(0, eq);
            String field = eq < 0 ? af : af.substring(eq + 1);
            claim(type, key, attr, data.get(field));
        }
    }

    /** Asserts a relation; both ends are mentioned. No-op when either key is missing. */
    void relate(String fromType, String fromKey, String kind, String toType, String toKey) {
        if (fromKey == null || fromKey.isBlank() || toKey == null || toKey.isBlank()) {
            return;
        }
        if (fromType.equals(toType) && fromKey.equals(toKey)) {
            return;
        }
        mention(fromType, fromKey);
        mention(toType, toKey);
        relations.add(new Normalised.Relation(fromType, fromKey, kind, toType, toKey));
    }

    Normalised build() {
        // catalog references first, in catalog order, then the normaliser's own mentions
        Map<String, Map<String, Object>> ordered = new LinkedHashMap<>();
        for (EntityRefSpec ref : spec.entities()) {
            ref.render(data::get).ifPresent(key -> ordered.putIfAbsent(ref.type() + "\0" + key, new LinkedHashMap<>()));
        }
        mentions.forEach((k, claims) -> ordered.computeIfAbsent(k, x -> new LinkedHashMap<>()).putAll(claims));

        List<Normalised.Mention> out = new ArrayList<>();
        List<EntityRef> refs = new ArrayList<>();
        Set<String> kept = new LinkedHashSet<>();
        int dropped = 0;
        for (var e : ordered.entrySet()) {
            int sep = e.getKey().indexOf('\0');
            String type = e.getKey().substring(0, sep);
            String key = e.getKey().substring(sep + 1);
            if (type.equals("commit") && !SHA.matcher(key).matches()) {
                warn("commit key '" + Json.abbreviate(key) + "' is not a 40-hex SHA; not mentioned");
                continue;
            }
            if (out.size() >= Normalised.MAX_ENTITIES) {
                dropped++;
                continue;
            }
            Map<String, Object> claims = new LinkedHashMap<>(e.getValue());
            if (type.equals("person")) {
                EntityTypeSpec person = catalog.entityType("person").orElse(null);
                // (a GitHub login never holds an '@': a GitHub person keyed by email has no login to claim)
                if (person != null && person.attributes().containsKey(source) && !(source.equals("github") && key.indexOf('@') >= 0)) {
                    claims.putIfAbsent(source, key); // the identity as the source gives it
                }
            }
            out.add(new Normalised.Mention(type, key, claims));
            refs.add(new EntityRef(type, key));
            kept.add(e.getKey());
        }
        if (dropped > 0) {
            warn(dropped + " entities left out: at most " + Normalised.MAX_ENTITIES + " per event");
        }
        List<Normalised.Relation> rels = new ArrayList<>();
        for (Normalised.Relation r : relations) {
            if (kept.contains(r.fromType() + "\0" + r.fromKey()) && kept.contains(r.toType() + "\0" + r.toKey())) {
                rels.add(r);
            }
        }
        CanonicalEvent event = new CanonicalEvent(source + ":" + deliveryId, source, spec.name(), time, data, refs, null);
        return new Normalised(deliveryId, event, out, rels, warnings);
    }

    // ---- coercion

    static Object coerce(FieldType type, JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return switch (type) {
            case STRING, TEAM, PERSON -> n.isTextual() ? n.textValue() : (n.isNumber() || n.isBoolean()) ? n.asText() : null;
            case NUMBER -> n.isNumber() ? finite(n.doubleValue()) : n.isTextual() ? parseNumber(n.textValue()) : null;
            case BOOL -> n.isBoolean() ? (Object) n.booleanValue() : n.isTextual() ? parseBool(n.textValue()) : null;
            case TIME -> n.isTextual() ? time(n.textValue()) : n.isIntegralNumber() && n.canConvertToLong() ? epochMillis(n.longValue()) : null;
            case LIST_STRING -> {
                if (!n.isArray()) {
                    yield null;
                }
                List<String> out = new ArrayList<>(n.size());
                for (JsonNode x : n) {
                    if (x.isTextual()) {
                        out.add(x.textValue());
                    } else if (x.isNumber()) {
                        out.add(x.asText());
                    } else {
                        yield null;
                    }
                }
                yield List.copyOf(out);
            }
        };
    }

    static Object coerceJava(FieldType type, Object v) {
        return switch (type) {
            case STRING, TEAM, PERSON -> v instanceof String s ? (s.isEmpty() ? null : s)
                    : v instanceof Number n ? numberText(n) : v instanceof Boolean b ? b.toString() : null;
            case NUMBER -> v instanceof Number n ? finite(n.doubleValue()) : v instanceof String s ? parseNumber(s) : null;
            case BOOL -> v instanceof Boolean b ? b : v instanceof String s ? parseBool(s) : null;
            case TIME -> v instanceof Instant i ? (EventTimes.representable(i) ? i.toString() : null) : v instanceof String s ? time(s) : null;
            case LIST_STRING -> {
                if (!(v instanceof List<?> l)) {
                    yield null;
                }
                List<String> out = new ArrayList<>(l.size());
                for (Object x : l) {
                    if (!(x instanceof String s)) {
                        yield null;
                    }
                    out.add(s);
                }
                yield List.copyOf(out);
            }
        };
    }

    private static String numberText(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : n.toString();
    }

    /** Only finite numbers are data: JSON cannot write an infinity or NaN back as a number. */
    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    private static String epochMillis(long millis) {
        Instant t = EventTimes.ofEpochMilli(millis);
        return t == null ? null : t.toString();
    }

    private static Double parseNumber(String s) {
        try {
            double d = Double.parseDouble(s.strip());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Boolean parseBool(String s) {
        return switch (s.strip()) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** An ISO-8601 time with an offset, normalised to UTC; null when it is not one, or not a representable time. */
    static String time(String s) {
        try {
            Instant t = OffsetDateTime.parse(s).toInstant();
            return EventTimes.representable(t) ? t.toString() : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * An ISO-8601 time with an offset, whatever its year (null when it is not one): an event time,
     * which the ingestor then refuses when it is out of range, rather than the normaliser
     * quietly falling back to the time of receipt.
     */
    static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Lower-cased SHA when the text is 40 hex digits, else null. */
    static String sha(String s) {
        if (s == null) {
            return null;
        }
        String l = s.strip().toLowerCase(java.util.Locale.ROOT);
        return SHA.matcher(l).matches() ? l : null;
    }
}
