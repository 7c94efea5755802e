package charter.engine.ingest;

import charter.compiler.catalog.Catalog;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;

/** What the four normalisers share: parsing with limits, delivery ids, structural checks, text links. */
abstract class AbstractNormaliser implements Normaliser {
    /** An event or action name as the catalog spells them (compiled once: this runs per delivery). */
    static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_]*");
    static final Pattern DOTTED_WORDS = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    static final Pattern DIGITS = Pattern.compile("\\d{1,15}");


    protected final Catalog catalog;
    protected final Payloads payloads;

    AbstractNormaliser(Catalog catalog, Payloads.Limits limits) {
        this(catalog, Payloads.shared(limits));
    }

    AbstractNormaliser(Catalog catalog, Payloads payloads) {
        this.catalog = catalog;
        this.payloads = payloads;
    }

    /** The delivery id header, or a content hash (with a warning) when the sender left it out. */
    static String deliveryId(RawDelivery d, String header, List<String> warnings) {
        String id = d.header(header);
        if (id != null && !id.isBlank()) {
            return id.strip();
        }
        String h = "sha256-" + contentHash(d.body());
        warnings.add("no " + header + " header; delivery id derived from the body: " + h);
        return h;
    }

    static String contentHash(byte[] body) {
        try {
            return Hmac.hex(MessageDigest.getInstance("SHA-256").digest(body)).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String requireHeader(RawDelivery d, String header, String what) throws DeliveryException {
        String v = d.header(header);
        if (v == null || v.isBlank()) {
            throw new DeliveryException(DeliveryException.MISSING_HEADER, what + ": missing the " + header + " header");
        }
        return v.strip();
    }

    /** An optional member that, when present, must be an object. */
    static JsonNode optObject(JsonNode root, String field, String what) throws DeliveryException {
        JsonNode n = Json.at(root, field);
        if (n != null && !n.isObject()) {
            throw new DeliveryException(DeliveryException.WRONG_TYPE, what + ": '" + field + "' must be an object, got " + Json.kind(n));
        }
        return n;
    }

    static JsonNode requireObject(JsonNode root, String field, String what) throws DeliveryException {
        JsonNode n = optObject(root, field, what);
        if (n == null) {
            throw new DeliveryException(DeliveryException.MISSING_FIELD, what + ": missing '" + field + "' (an object)");
        }
        return n;
    }

    /** An optional member that, when present, must be a string. */
    static String optString(JsonNode root, String field, String what) throws DeliveryException {
        JsonNode n = Json.at(root, field);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw new DeliveryException(DeliveryException.WRONG_TYPE, what + ": '" + field + "' must be a string, got " + Json.kind(n)
                    + " " + Json.abbreviate(n.toString()));
        }
        return n.textValue();
    }

    /**
     * A number that forms an entity key (a PR or issue number): a JSON integer, or a string of
     * digits (tolerated). Anything else is refused: the key could not be formed.
     */
    static Long keyNumber(JsonNode root, String what, String... path) throws DeliveryException {
        JsonNode n = Json.at(root, path);
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isTextual() && DIGITS.matcher(n.textValue().strip()).matches()) {
            return Long.parseLong(n.textValue().strip());
        }
        throw new DeliveryException(DeliveryException.WRONG_TYPE, what + ": '" + String.join(".", path)
                + "' must be an integer, got " + Json.kind(n) + " " + Json.abbreviate(n.toString()));
    }

    /** Relates {@code from} to every issue reference found, and returns the keys for the data fields. */
    static void linkRefs(EventDraft ev, String fromType, String fromKey, List<IssueRefs.Ref> refs,
            String fixedField, String referencedField) {
        List<String> fixed = new java.util.ArrayList<>();
        List<String> referenced = new java.util.ArrayList<>();
        for (IssueRefs.Ref r : refs) {
            if (r.type().equals(fromType) && r.key().equals(fromKey)) {
                continue;
            }
            ev.relate(fromType, fromKey, r.kind(), r.type(), r.key());
            (r.kind().equals("fixes") ? fixed : referenced).add(r.key());
        }
        if (fixedField != null && !fixed.isEmpty()) {
            ev.put(fixedField, fixed);
        }
        if (referencedField != null && !referenced.isEmpty()) {
            ev.put(referencedField, referenced);
        }
    }
}
