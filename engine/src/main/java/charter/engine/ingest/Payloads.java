package charter.engine.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Parses a delivery body into a JSON tree with the limits of {@link Limits}: size first (before any
 * parsing), then strict UTF-8 (with the byte offset of the first bad byte), then JSON with Jackson's
 * {@link StreamReadConstraints} bounding nesting depth. Every refusal is a {@link DeliveryException}.
 * Thread-safe.
 */
public final class Payloads {

    public static final int DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
    public static final int DEFAULT_MAX_DEPTH = 200;

    /** Input limits: body size in bytes and JSON nesting depth. */
    public record Limits(int maxBytes, int maxDepth) {
        public static final Limits DEFAULT = new Limits(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH);

        public Limits {
            if (maxBytes <= 0 || maxDepth <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final Limits limits;
    private final JsonFactory factory;
    private final TreeReader tree;

    public Payloads(Limits limits) {
        this(limits, false);
    }

    /** @param keepEverything keep API link members in the tree too (see {@link TreeReader}; for tests) */
    Payloads(Limits limits, boolean keepEverything) {
        this.limits = limits;
        this.factory = factory(limits.maxDepth());
        this.tree = new TreeReader(keepEverything);
    }

    public Payloads() {
        this(Limits.DEFAULT);
    }

    private static final java.util.concurrent.ConcurrentHashMap<Limits, Payloads> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /** One parser per limits, shared: Jackson's symbol tables and buffers stay warm across normalisers. */
    public static Payloads shared(Limits limits) {
        return SHARED.computeIfAbsent(limits, Payloads::new);
    }

    public Limits limits() {
        return limits;
    }

    static JsonFactory factory(int maxDepth) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .build();
    }

    /** The body as a JSON object; {@code what} names the delivery in messages (e.g. "github delivery 72d3…"). */
    public ObjectNode parseObject(byte[] body, String what) throws DeliveryException {
        JsonNode root = parse(body, what);
        if (!(root instanceof ObjectNode o)) {
            throw new DeliveryException(DeliveryException.WRONG_TYPE,
                    what + ": the body must be a JSON object, got " + Json.kind(root));
        }
        return o;
    }

    public JsonNode parse(byte[] body, String what) throws DeliveryException {
        if (body.length > limits.maxBytes()) {
            throw new DeliveryException(DeliveryException.TOO_LARGE, what + ": body is " + body.length
                    + " bytes, over the limit of " + limits.maxBytes() + " bytes");
        }
        int bad = Utf8.firstInvalid(body);
        if (bad >= 0) {
            throw new DeliveryException(DeliveryException.NOT_UTF8, String.format(
                    "%s: invalid UTF-8 at byte offset %d (byte 0x%02X); webhook bodies must be UTF-8", what, bad, body[bad] & 0xFF));
        }
        if (body.length == 0) {
            throw new DeliveryException(DeliveryException.MALFORMED_JSON, what + ": empty body, expected a JSON object");
        }
        // One pass: the tree is built from the parser's tokens (TreeReader), then nothing may follow it.
        try (JsonParser p = factory.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new DeliveryException(DeliveryException.MALFORMED_JSON, what + ": empty body, expected a JSON object");
            }
            JsonNode n = tree.read(p, first);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new DeliveryException(DeliveryException.MALFORMED_JSON, what + ": malformed JSON at line "
                        + at.getLineNr() + ", column " + at.getColumnNr() + " (byte " + at.getByteOffset()
                        + "): trailing content after the JSON value");
            }
            return n;
        } catch (StreamConstraintsException e) {
            String loc = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (msg.contains("nesting depth")) {
                throw new DeliveryException(DeliveryException.TOO_DEEP, what + ": JSON nested deeper than "
                        + limits.maxDepth() + " levels" + loc, e);
            }
            // a number, string or member name longer than Jackson reads
            String code = msg.startsWith("Number") ? DeliveryException.NUMBER_OUT_OF_RANGE : DeliveryException.MALFORMED_JSON;
            throw new DeliveryException(code, what + ": " + msg.lines().findFirst().orElse("") + loc, e);
        } catch (TreeReader.NumberOutOfRange e) {
            JsonLocation at = e.getLocation();
            throw new DeliveryException(DeliveryException.NUMBER_OUT_OF_RANGE, what + ": " + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()), e);
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + " (byte " + e.getLocation().getByteOffset() + ")";
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new DeliveryException(DeliveryException.MALFORMED_JSON, what + ": malformed JSON" + loc + ": " + msg, e);
        } catch (IOException e) {
            throw new DeliveryException(DeliveryException.MALFORMED_JSON, what + ": cannot read body: " + e.getMessage(), e);
        }
    }

    /** A strict UTF-8 validator (no overlongs, no surrogates, nothing above U+10FFFF). */
    static final class Utf8 {
        private Utf8() {}

        /** Eight bytes at a time, as one long: webhook JSON is mostly ASCII, which needs no decoding. */
        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final long HIGH_BITS = 0x8080808080808080L;

        /** Offset of the first byte of an invalid sequence, or -1 when all of it is valid UTF-8. */
        static int firstInvalid(byte[] b) {
            int i = 0;
            int n = b.length;
            while (i < n) {
                if (i + 8 <= n && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
                    i += 8;   // eight ASCII bytes
                    continue;
                }
                int c = b[i];
                if (c >= 0) {
                    i++;
                    continue;
                }
                c &= 0xFF;
                int need;
                int min;
                if (c >= 0xC2 && c <= 0xDF) {
                    need = 1;
                    min = 0x80;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    need = 2;
                    min = 0x800;
                } else if (c >= 0xF0 && c <= 0xF4) {
                    need = 3;
                    min = 0x10000;
                } else {
                    return i;
                }
                if (i + need >= n) {
                    return i;
                }
                int cp = c & (0x3F >> need);
                for (int k = 1; k <= need; k++) {
                    int cc = b[i + k] & 0xFF;
                    if ((cc & 0xC0) != 0x80) {
                        return i;
                    }
                    cp = (cp << 6) | (cc & 0x3F);
                }
                if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    return i;
                }
                i += need + 1;
            }
            return -1;
        }
    }
}
