package charter.engine.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * Builds the JSON tree a normaliser reads, in one pass over the parser's tokens, leaving out the
 * values of API link members: a name ending in {@code _url} ({@code followers_url}, {@code
 * commits_url}, …) that is not in {@link #KEPT_LINKS}. GitHub repeats some thirty of them in every
 * repository, user and organisation object; in the corpus they are about half of the bytes and
 * most of the members, and no normaliser reads them. A left-out value is still parsed (the
 * parser skips the string without decoding it), so malformed JSON, bad escapes, nesting limits
 * and truncation are refused exactly as with the whole tree; the raw body is stored verbatim
 * either way. Numbers and duplicate keys come out as Jackson's own tree would have them (ints,
 * longs, big integers, doubles; the last duplicate wins).
 *
 * <p>A normaliser that starts reading another {@code *_url} member must add it to {@link #KEPT_LINKS};
 * {@code TreeReaderTest} normalises the whole corpus both ways and fails on any difference.
 */
final class TreeReader {

    /** The {@code *_url} members some normaliser reads. */
    static final Set<String> KEPT_LINKS = Set.of("html_url", "environment_url", "inspector_url", "issue_url",
            "target_url", "web_url");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final boolean keepEverything;

    /** @param keepEverything build the whole tree (for tests that compare both) */
    TreeReader(boolean keepEverything) {
        this.keepEverything = keepEverything;
    }

    /** Whether the value of member {@code name} is left out of the tree. */
    boolean leavesOut(String name) {
        return !keepEverything && name.endsWith("_url") && !KEPT_LINKS.contains(name);
    }

    /** The value starting at the parser's current token {@code t}; nesting is bounded by the parser's limits. */
    JsonNode read(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> array(p);
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(finite(p, p.getBigIntegerValue()));
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(finite(p, p.getDoubleValue()));
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected JSON token " + t);   // the parser refuses these itself
        };
    }

    /**
     * A number no double can hold (1e999, or an integer of more than 308 digits) is refused: read
     * as a double it is infinite, which JSON cannot write back, so the event would not replay as
     * it was accepted.
     */
    private static double finite(JsonParser p, double d) throws NumberOutOfRange {
        if (!Double.isFinite(d)) throw new NumberOutOfRange(p);
        return d;
    }

    private static java.math.BigInteger finite(JsonParser p, java.math.BigInteger b) throws NumberOutOfRange {
        if (!Double.isFinite(b.doubleValue())) throw new NumberOutOfRange(p);
        return b;
    }

    /** A number beyond the range of a double, at the parser's current token. */
    static final class NumberOutOfRange extends com.fasterxml.jackson.core.JsonParseException {
        NumberOutOfRange(JsonParser p) {
            super(p, "number " + abbreviated(p) + " is beyond the range of a double (about 1.8e308)");
        }

        private static String abbreviated(JsonParser p) {
            try {
                return Json.abbreviate(p.getText());
            } catch (IOException e) {
                return "";
            }
        }
    }

    private ObjectNode object(JsonParser p) throws IOException {
        ObjectNode o = NODES.objectNode();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            if (leavesOut(name)) {
                p.skipChildren();   // a link is a string; anything else is skipped whole, still checked by the parser
                continue;
            }
            o.set(name, read(p, v));
        }
        return o;
    }

    private ArrayNode array(JsonParser p) throws IOException {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) throw new IllegalStateException("unexpected end of input in an array");   // the parser throws first
            a.add(read(p, t));
        }
        return a;
    }
}
