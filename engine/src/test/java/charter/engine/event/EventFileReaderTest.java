package charter.engine.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileReaderTest {
    private static final String GOOD = "{\"id\":\"vercel-dpl_8f2k\",\"source\":\"vercel\",\"type\":\"vercel.deployment.error\","
            + "\"time\":\"2026-03-02T10:15:00Z\",\"data\":{\"project\":\"api\",\"target\":\"production\","
            + "\"url\":\"https://api-8f2k.vercel.app\",\"sha\":\"4f1c9e2\"},"
            + "\"entities\":[{\"type\":\"deployment\",\"key\":\"dpl_8f2k\"},{\"type\":\"commit\",\"key\":\"4f1c9e2\"}]}";

    private final EventFileReader reader = new EventFileReader();

    private EventFileResult read(String text) {
        return reader.read("events.jsonl", text);
    }

    private static String line(String id, String source, String type, String time, String data) {
        return "{\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"type\":\"" + type + "\",\"time\":\"" + time
                + "\",\"data\":" + data + "}";
    }

    private static void assertOneError(EventFileResult r, int line, String fragment) {
        assertEquals(1, r.errors().size(), r.errors().toString());
        EventFileError e = r.errors().getFirst();
        assertEquals(line, e.line(), e.toString());
        assertTrue(e.message().contains(fragment), e.toString());
        assertEquals("events.jsonl", e.file());
    }

    @Test
    void happyPath() {
        EventFileResult r = read("# recorded events\n\n// another comment\n" + GOOD + "\n"
                + "{\"id\":\"gh-1\",\"source\":\"github\",\"type\":\"github.pull_request.opened\",\"time\":\"2026-03-02T11:15:00+01:00\","
                + "\"significance\":35,\"data\":{\"repo\":\"acme/api\",\"number\":42,\"draft\":false,\"labels\":[\"bug\",\"p1\"],\"merged\":null}}\n");
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(2, r.events().size());
        CanonicalEvent e = r.events().getFirst();
        assertEquals("vercel-dpl_8f2k", e.id());
        assertEquals("vercel.deployment.error", e.type());
        assertEquals(Instant.parse("2026-03-02T10:15:00Z"), e.time());
        assertEquals("production", e.get("target"));
        assertEquals(List.of(new EntityRef("deployment", "dpl_8f2k"), new EntityRef("commit", "4f1c9e2")), e.entities());
        assertEquals(null, e.significance());
        CanonicalEvent pr = r.events().get(1);
        assertEquals(Instant.parse("2026-03-02T10:15:00Z"), pr.time());
        assertEquals(42.0, pr.get("number"));
        assertEquals(Boolean.FALSE, pr.get("draft"));
        assertEquals(List.of("bug", "p1"), pr.get("labels"));
        assertTrue(!pr.data().containsKey("merged"));
        assertEquals(35, pr.significance());
    }

    @Test
    void writerRoundTrips() {
        CanonicalEvent e = read(GOOD).events().getFirst();
        String json = EventFileWriter.toJsonLine(e);
        assertEquals(GOOD, json);
        assertEquals(e, read(json).events().getFirst());
    }

    @Test
    void missingKeysAndBadTime() {
        EventFileResult r = read("{\"id\":\"a\",\"type\":\"github.push\",\"data\":{}}");
        assertEquals(2, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).message().contains("missing required key 'source'"));
        assertTrue(r.errors().get(1).message().contains("missing required key 'time'"));
        assertTrue(r.events().isEmpty());

        r = read(line("a", "github", "github.push", "2026-03-02T10:15:00", "{}"));
        assertOneError(r, 1, "has no zone offset");
        r = read(line("a", "github", "github.push", "yesterday", "{}"));
        assertOneError(r, 1, "not an ISO-8601 time");
        assertTrue(r.errors().getFirst().column() > 1);
    }

    @Test
    void aBadTimeAmongManyGoodLinesIsReportedAtItsLineAndColumn(@TempDir Path dir) throws IOException {
        // Times in the common UTC shape take a fast path; those it declines must still get the formatter's message.
        List<String> bad = List.of("2026-02-30T10:15:00Z", "2026-03-02T24:00:00Z", "2026-03-02T10:15:60Z",
                "2026-3-02T10:15:00Z", "2026-03-02T10:15:00.1234567890Z");
        for (String time : bad) {
            StringBuilder text = new StringBuilder();
            for (int i = 1; i <= 500; i++) {
                String t = i == 317 ? time : String.format("2026-03-02T10:%02d:%02d.%03dZ", i / 60 % 60, i % 60, i);
                text.append(line("e" + i, "github", "github.push", t, "{}")).append('\n');
            }
            Path file = dir.resolve("events.jsonl");
            Files.writeString(file, text);
            EventFileResult r = reader.read(file);
            assertEquals(1, r.errors().size(), time + ": " + r.errors());
            EventFileError e = r.errors().getFirst();
            assertEquals(317, e.line(), e.toString());
            assertEquals(text.toString().lines().toList().get(316).indexOf("\"time\"") + 1, e.column(), e.toString());
            assertTrue(e.message().contains("is not an ISO-8601 time with zone"), e.toString());
            assertEquals(499, r.events().size());
            assertEquals(Instant.parse("2026-03-02T10:00:01.001Z"), r.events().getFirst().time());
        }
    }

    @Test
    void unknownSourceTypeAndMismatch() {
        EventFileResult r = read(line("a", "githb", "github.push", "2026-03-02T10:15:00Z", "{}"));
        assertEquals(2, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().getFirst().message().contains("unknown source 'githb' (did you mean 'github'?)"));
        assertTrue(r.errors().get(1).message().contains("does not match"));

        r = read(line("a", "vercel", "vercel.deploymnet.eror", "2026-03-02T10:15:00Z", "{}"));
        assertOneError(r, 1, "unknown event type 'vercel.deploymnet.eror' (did you mean 'vercel.deployment.error'?)");

        r = read(line("a", "github", "vercel.deployment.error", "2026-03-02T10:15:00Z", "{}"));
        assertOneError(r, 1, "source 'github' does not match event type 'vercel.deployment.error' (expected 'vercel')");
    }

    @Test
    void dataFieldsAndTypes() {
        EventFileResult r = read(line("a", "vercel", "vercel.deployment.error", "2026-03-02T10:15:00Z",
                "{\"projct\":\"api\",\"target\":1,\"time\":\"x\"}"));
        assertEquals(3, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).message().contains("unknown field 'projct' for vercel.deployment.error (did you mean 'project'?)"));
        assertTrue(r.errors().get(1).message().contains("field 'target' of vercel.deployment.error must be a string, got a number 1"));
        assertTrue(r.errors().get(2).message().contains("top-level key"));
        int col = r.errors().getFirst().column();
        assertTrue(col > 80, "column points at the field: " + col);

        r = read(line("a", "github", "github.pull_request.opened", "2026-03-02T10:15:00Z",
                "{\"number\":\"42\",\"draft\":\"no\",\"labels\":[\"a\",1]}"));
        assertEquals(3, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(1).message().contains("must be a boolean"));
        assertTrue(r.errors().get(2).message().contains("must be a list of strings"));

        r = read(line("a", "linear", "linear.cycle.created", "2026-03-02T10:15:00Z", "{\"starts_at\":\"2026-03-02\"}"));
        assertOneError(r, 1, "'starts_at'");

        r = read(line("a", "github", "github.push", "2026-03-02T10:15:00Z", "[]"));
        assertOneError(r, 1, "'data' must be a JSON object");
    }

    @Test
    void topLevelKeysSignificanceAndEntities() {
        EventFileResult r = read("{\"id\":\"a\",\"source\":\"github\",\"type\":\"github.push\",\"time\":\"2026-03-02T10:15:00Z\","
                + "\"signifcance\":5,\"data\":{}}");
        assertOneError(r, 1, "unknown key 'signifcance' (did you mean 'significance'?)");
        r = read("{\"id\":\"a\",\"source\":\"github\",\"type\":\"github.push\",\"time\":\"2026-03-02T10:15:00Z\",\"significance\":101}");
        assertOneError(r, 1, "significance must be an integer from 0 to 100");
        r = read("{\"id\":\"a\",\"source\":\"github\",\"type\":\"github.push\",\"time\":\"2026-03-02T10:15:00Z\","
                + "\"entities\":[{\"type\":\"comit\",\"key\":\"abc\"},{\"type\":\"commit\"},\"x\"]}");
        assertEquals(3, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).message().contains("unknown entity type 'comit' (did you mean 'commit'?)"));
        assertTrue(r.errors().get(1).message().contains("'key' must be a non-empty string"));
        assertTrue(r.errors().get(2).message().contains("entities[2] must be an object"));
    }

    @Test
    void duplicateIds() {
        String a = line("dup", "github", "github.push", "2026-03-02T10:15:00Z", "{}");
        EventFileResult r = read(a + "\n" + a + "\n" + a + "\n");
        assertEquals(2, r.errors().size());
        assertEquals(2, r.errors().get(0).line());
        assertTrue(r.errors().get(0).message().contains("duplicate event id 'dup' (first on line 1)"));
        assertEquals(1, r.events().size());
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        EventFileResult r = read(GOOD + "\n{\"id\": \"a\", \"source\": }\n" + "[1,2]\n{\"id\":1}{\"x\":2}\n");
        assertEquals(1, r.events().size());
        EventFileError e = r.errors().getFirst();
        assertEquals(2, e.line());
        assertEquals(23, e.column(), e.toString()); // the offending "}"
        assertTrue(e.message().startsWith("malformed JSON"), e.message());
        assertTrue(e.toString().startsWith("events.jsonl:2:23: malformed JSON"), e.toString());
        assertEquals(3, r.errors().get(1).line());
        assertTrue(r.errors().get(1).message().contains("expected a JSON object"));
        assertEquals(4, r.errors().get(2).line());
        assertTrue(r.errors().get(2).message().contains("malformed JSON"), r.errors().get(2).message());
    }

    /**
     * Property: reading bytes (a file: lines split and decoded in a reused buffer, ASCII without a
     * decoder) gives the same events and errors, lines and columns as reading the decoded text, on
     * random files of good and bad lines with non-ASCII text, CRLF ends, blank and comment lines,
     * and lines longer than the read buffer.
     */
    @Test
    void readingBytesAgreesWithReadingTheDecodedText() {
        java.util.Random random = new java.util.Random(Long.getLong("eventfile.seed", 20261205L));
        List<String> texts = List.of("api", "caf\u00e9 \u2603", "\ud83d\ude80 ship", "x".repeat(70_000), "\u00fcber", "plain");
        for (int file = 0; file < 40; file++) {
            StringBuilder text = new StringBuilder();
            int lines = 1 + random.nextInt(30);
            for (int i = 0; i < lines; i++) {
                String t = texts.get(random.nextInt(texts.size()));
                String row = switch (random.nextInt(8)) {
                    case 0 -> "";
                    case 1 -> "# a comment with " + t;
                    case 2 -> line("dup", "sentry", "sentry.issue.created", "2026-03-02T10:15:00Z", "{\"title\":\"" + t + "\"}");
                    case 3 -> line("b" + i, "sentry", "sentry.issue.created", "2026-03-02T10:15:00", "{\"title\":\"" + t + "\"}");
                    case 4 -> "{\"id\": \"" + t + "\", oops";
                    default -> line("e" + i, "sentry", "sentry.issue.created",
                            String.format("2026-03-02T10:%02d:00.%dZ", i % 60, random.nextInt(1000)), "{\"title\":\"" + t + "\"}");
                };
                text.append(row).append(random.nextInt(4) == 0 ? "\r\n" : "\n");
            }
            if (random.nextBoolean()) text.setLength(text.length() - 1);   // no newline at the end
            EventFileResult fromText = reader.read("events.jsonl", text.toString());
            EventFileResult fromBytes = reader.read("events.jsonl", new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
            assertEquals(fromText.errors(), fromBytes.errors(), "file " + file);
            // assertTrue, not assertEquals: a failure would print the 70,000-character lines twice.
            assertTrue(fromText.events().equals(fromBytes.events()), "file " + file + ": the events read differ");
        }
    }

    @Test
    void collectsEveryErrorAcrossLines() {
        String text = String.join("\n",
                line("1", "github", "github.psh", "2026-03-02T10:15:00Z", "{}"),
                GOOD,
                line("2", "vercel", "vercel.deployment.ready", "2026-03-02T10:15:00", "{\"tagret\":\"x\"}"),
                "{oops");
        EventFileResult r = read(text);
        assertEquals(1, r.events().size());
        assertEquals(List.of(1, 3, 3, 4), r.errors().stream().map(EventFileError::line).toList(), r.errors().toString());
    }

    @Test
    void nonUtf8IsAnErrorWithByteOffset() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] good = (GOOD + "\n").getBytes(StandardCharsets.UTF_8);
        b.writeBytes(good);
        String bad = line("x", "github", "github.push", "2026-03-02T10:15:00Z", "{\"message\":\"caf\u00e9\"}");
        byte[] badBytes = bad.getBytes(StandardCharsets.ISO_8859_1);
        b.writeBytes(badBytes);
        b.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(line("y", "github", "github.push", "2026-03-02T10:15:00Z", "{\"message\":\"caf\u00e9 \u2615\"}").getBytes(StandardCharsets.UTF_8));
        EventFileResult r = reader.read("latin1.jsonl", new ByteArrayInputStream(b.toByteArray()));
        assertEquals(2, r.events().size(), r.errors().toString());
        assertEquals(1, r.errors().size());
        EventFileError e = r.errors().getFirst();
        int expected = good.length + bad.indexOf('\u00e9');
        assertEquals(2, e.line());
        assertTrue(e.message().contains("invalid UTF-8 at byte offset " + expected + " (byte 0xE9)"), e.message());
        assertEquals("caf\u00e9 \u2615", r.events().get(1).get("message"));
    }

    @Test
    void readsFilesWithBomAndCrlf(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("e.jsonl");
        Files.write(f, ("\uFEFF" + GOOD + "\r\n# c\r\n").getBytes(StandardCharsets.UTF_8));
        EventFileResult r = reader.read(f);
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(1, r.events().size());
        r = reader.read(dir.resolve("missing.jsonl"));
        assertTrue(r.errors().getFirst().message().startsWith("cannot read"));
    }

    @Test
    void tenMegabyteFileStreams(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("big.jsonl");
        int n = 0;
        try (Writer w = Files.newBufferedWriter(f)) {
            while (Files.size(f) < 0 || n < 40_000) {
                w.write(line("e" + n, "github", "github.push", "2026-03-02T10:15:00Z",
                        "{\"repo\":\"acme/api\",\"branch\":\"main\",\"sha\":\"4f1c9e2a7b3d5e6f8a9b0c1d2e3f4a5b6c7d8e9f\","
                                + "\"forced\":false,\"commit_count\":3,\"message\":\"Fix the thing that broke the other thing\"}"));
                w.write('\n');
                n++;
            }
        }
        assertTrue(Files.size(f) > 10_000_000, "size " + Files.size(f));
        EventFileResult r = reader.read(f);
        assertTrue(r.ok());
        assertEquals(n, r.events().size());
        assertEquals(Map.of("repo", "acme/api"), Map.of("repo", r.events().getLast().get("repo")));
    }

    @Test
    void errorFloodStops() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append("{bad\n");
        }
        EventFileResult r = read(sb.toString());
        assertEquals(EventFileReader.MAX_ERRORS + 1, r.errors().size());
        assertTrue(r.errors().getLast().message().startsWith("too many errors"));
    }
}
