package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.catalog.Catalog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pruned one-pass tree: normalisers see no difference, and bad input is refused as before. */
class TreeReaderTest {

    private static final Payloads PRUNED = new Payloads(Payloads.Limits.DEFAULT, false);
    private static final Payloads WHOLE = new Payloads(Payloads.Limits.DEFAULT, true);

    @Test
    void everyCorpusPayloadNormalisesTheSameFromThePrunedTreeAsFromTheWholeOne() throws DeliveryException {
        int pruned = 0;
        for (Path file : Corpus.payloads()) {
            RawDelivery d = Corpus.delivery(file);
            Normalised fromPruned = Normalisers.forSource(d.source(), Catalog.standard(), PRUNED).normalise(d);
            Normalised fromWhole = Normalisers.forSource(d.source(), Catalog.standard(), WHOLE).normalise(d);
            assertEquals(fromWhole, fromPruned, file.toString());
            if (PRUNED.parse(d.body(), "x").toString().length() < WHOLE.parse(d.body(), "x").toString().length()) pruned++;
        }
        assertTrue(pruned > 300, "link members were left out of " + pruned + " payloads");
    }

    @Test
    void theWholeTreeIsJacksonsOwnAndThePrunedOneLacksOnlyTheLinks() throws Exception {
        ObjectMapper jackson = new ObjectMapper();
        for (Path file : Corpus.payloads()) {
            byte[] body = Corpus.delivery(file).body();
            JsonNode expected = jackson.readTree(body);
            assertEquals(expected, WHOLE.parse(body, "x"), file.toString());
            assertEquals(withoutLinks(expected.deepCopy()), PRUNED.parse(body, "x"), file.toString());
        }
        JsonNode push = PRUNED.parse(Corpus.read("github/push/push.noaction.4.json"), "x");
        assertFalse(push.path("repository").has("commits_url"));
        assertTrue(push.path("repository").has("html_url"), "a link a normaliser reads is kept");
        assertEquals("Codertocat/Hello-World", push.path("repository").path("full_name").textValue());
    }

    /** Numbers come out as Jackson's tree has them, and the last of duplicate keys wins. */
    @Test
    void numbersAndDuplicateKeysAsJacksonReadsThem() throws Exception {
        String json = "{\"i\":1,\"l\":12345678901,\"b\":123456789012345678901234567890,\"d\":1.5,\"e\":-2e3,"
                + "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[2],{}],\"k\":1,\"k\":2,\"avatar_url\":{\"x\":[1]}}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ObjectNode expected = (ObjectNode) new ObjectMapper().readTree(body);
        assertEquals(expected, WHOLE.parse(body, "x"));
        expected.remove("avatar_url");
        assertEquals(expected, PRUNED.parse(body, "x"));
        assertEquals(2, PRUNED.parse(body, "x").get("k").intValue());
    }

    /** A value left out of the tree is still parsed: whatever is wrong in it is refused as before. */
    @Test
    void badInputInALeftOutValueIsStillRefused() {
        Map<String, String> refused = Map.of(
                "{\"repo\":{\"commits_url\":\"https://api.github.com/x}", DeliveryException.MALFORMED_JSON,   // truncated
                "{\"commits_url\":\"bad \\q escape\"}", DeliveryException.MALFORMED_JSON,
                "{\"commits_url\":[" + "[".repeat(300) + "]" .repeat(300) + "]}", DeliveryException.TOO_DEEP,
                "{\"a\":1} {\"b\":2}", DeliveryException.MALFORMED_JSON,   // a second value
                "{\"a\":1} trailing", DeliveryException.MALFORMED_JSON,
                "", DeliveryException.MALFORMED_JSON,
                "  ", DeliveryException.MALFORMED_JSON);
        refused.forEach((json, code) -> {
            DeliveryException e = assertThrows(DeliveryException.class,
                    () -> PRUNED.parse(json.getBytes(StandardCharsets.UTF_8), "github delivery t"), json);
            assertEquals(code, e.code(), json + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("github delivery t: "), e.getMessage());
        });
        DeliveryException second = assertThrows(DeliveryException.class,
                () -> PRUNED.parse("{\"a\":1}\n{\"b\":2}".getBytes(StandardCharsets.UTF_8), "d"));
        assertEquals("d: malformed JSON at line 2, column 1 (byte 8): trailing content after the JSON value", second.getMessage());
    }

    @Test
    void utf8IsCheckedPastTheAsciiFastPath() {
        for (int offset = 0; offset < 20; offset++) {
            byte[] body = ("{\"k\":\"" + "a".repeat(offset) + "x" + "b".repeat(20) + "\"}").getBytes(StandardCharsets.UTF_8);
            int bad = 6 + offset;
            body[bad] = (byte) 0xC0;   // an overlong lead byte, at every alignment of the 8-byte words
            assertEquals(bad, Payloads.Utf8.firstInvalid(body));
            body[bad] = (byte) 0xC3;   // a lead byte followed by ASCII
            assertEquals(bad, Payloads.Utf8.firstInvalid(body));
        }
        assertEquals(-1, Payloads.Utf8.firstInvalid("{\"k\":\"héllo wörld — ok ✓ 😀 more ascii text\"}".getBytes(StandardCharsets.UTF_8)));
        byte[] tail = "0123456789abcdef\u00e9".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, Payloads.Utf8.firstInvalid(tail));
        assertEquals(16, Payloads.Utf8.firstInvalid(java.util.Arrays.copyOf(tail, 17)));   // cut inside the last character
    }

    private static JsonNode withoutLinks(JsonNode n) {
        TreeReader reader = new TreeReader(false);
        if (n instanceof ObjectNode o) {
            List<String> drop = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (reader.leavesOut(name)) drop.add(name);
            }
            o.remove(drop);
            o.forEach(TreeReaderTest::withoutLinks);
        } else if (n.isArray()) {
            n.forEach(TreeReaderTest::withoutLinks);
        }
        return n;
    }
}
