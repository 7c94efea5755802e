package charter.engine.event;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EntityTypeSpec;
import charter.compiler.catalog.EventTypeSpec;
import charter.compiler.catalog.FieldSpec;
import charter.compiler.diag.Suggestions;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads canonical events from JSON lines, validating each against the {@link Catalog}. Every
 * error is collected (up to {@link #MAX_ERRORS}); a line with any error contributes no event.
 * Blank lines and lines starting with {@code #} or {@code //} are skipped. Input is streamed line
 * by line. Thread-safe: holds only the catalog and a configured ObjectReader.
 */
public final class EventFileReader {

    /** After this many errors, reading stops with a final "too many errors" error. */
    public static final int MAX_ERRORS = 1000;

    private static final Set<String> TOP_KEYS = Set.of("id", "source", "type", "time", "significance", "data", "entities");
    private static final List<String> TOP_KEY_LIST = List.of("id", "source", "type", "time", "significance", "data", "entities");

    private final Catalog catalog;
    /** Reads one line's tree; made once, since a mapper's {@code readTree} resolves the tree's type on every call. */
    private final ObjectReader trees;

    public EventFileReader(Catalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.trees = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readerFor(JsonNode.class);
    }

    /** A reader over the standard catalog. */
    public EventFileReader() {
        this(Catalog.standard());
    }

    /** Reads a file; the display name in errors is the path as given. */
    public EventFileResult read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        } catch (IOException e) {
            return new EventFileResult(List.of(), List.of(new EventFileError(file.toString(), 0, 0, "cannot read: " + e.getMessage())));
        }
    }

    /**
     * Reads UTF-8 bytes; invalid UTF-8 is reported with its byte offset, not thrown. A second
     * thread splits, decodes and parses the lines while this one checks them against the catalog
     * and makes the events, in line order: on a long recording the parse is half the work.
     */
    public EventFileResult read(String displayName, InputStream in) {
        State st = new State(displayName);
        ParsedLines parsed = new ParsedLines();
        Thread parser = Thread.ofPlatform().daemon(true).name("charter-parse-events").start(() -> parsed.produce(this, new BufferedInputStream(in, 1 << 16)));
        try {
            for (List<Parsed> batch; (batch = parsed.next()) != ParsedLines.END; ) {
                for (Parsed line : batch) {
                    st.lineNo = line.lineNo();
                    if (line.unreadable() != null) st.error(line.lineNo(), line.column(), line.unreadable());
                    else readParsed(line.text(), line.root(), line.malformed(), st);
                }
            }
        } catch (TooManyErrors e) {
            // reported already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            st.error(st.lineNo, 0, "cannot read: interrupted");
        } finally {
            parsed.stop();
        }
        try {
            parser.join();   // the stream is closed by the caller once this returns: the parser is done with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return st.result();
    }

    /** Reads characters (already decoded). */
    public EventFileResult read(String displayName, Reader reader) {
        State st = new State(displayName);
        try {
            BufferedReader br = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
            String line;
            while ((line = br.readLine()) != null) {
                st.lineNo++;
                if (st.lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                readLine(line, st);
            }
        } catch (IOException e) {
            st.error(st.lineNo, 0, "cannot read: " + e.getMessage());
        } catch (TooManyErrors e) {
            // reported already
        }
        return st.result();
    }

    public EventFileResult read(String displayName, String content) {
        return read(displayName, new StringReader(content));
    }

    // ---- byte level: split lines, decode strictly

    /** Splits the bytes into lines, decodes and parses each, and hands them on in order. */
    private void readBytes(InputStream in, ParsedLines out) throws IOException, InterruptedException {
        LineDecoder lines = new LineDecoder();
        long offset = 0;
        long lineStart = 0;
        int lineNo = 0;
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    lines.append(buf, from, i - from);
                    if (!out.add(decodedLine(lines, lineStart, ++lineNo))) return;
                    from = i + 1;
                    lineStart = offset + i + 1;
                }
            }
            lines.append(buf, from, n - from);
            offset += n;
        }
        if (lines.length > 0) {
            out.add(decodedLine(lines, lineStart, ++lineNo));
        }
    }

    /** A line as the parsing thread leaves it: its text and JSON tree (or why JSON could not be read), or why it is unreadable; null for a line to skip. */
    private record Parsed(int lineNo, String text, JsonNode root, JsonProcessingException malformed, int column, String unreadable) {}

    /**
     * Lines from the parsing thread to the checking one, in batches, in order; {@link #stop} ends
     * the parsing early (too many errors).
     */
    private static final class ParsedLines {
        static final List<Parsed> END = List.of();
        private static final int BATCH = 256;
        private final java.util.concurrent.BlockingQueue<List<Parsed>> queue = new java.util.concurrent.ArrayBlockingQueue<>(16);
        private volatile boolean stopped;
        /** What the parsing thread threw that is not about the input (a bug): thrown again on the reading side. */
        private volatile Throwable crashed;
        private List<Parsed> batch = new ArrayList<>(BATCH);
        private int lastLine;

        void produce(EventFileReader reader, InputStream in) {
            try {
                reader.readBytes(in, this);
            } catch (IOException e) {
                batch.add(new Parsed(lastLine, null, null, null, 0, "cannot read: " + e.getMessage()));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                crashed = e;
            }
            try {
                if (!batch.isEmpty()) put(batch);
                put(END);
            } catch (InterruptedException e) {
                // stopped
            }
        }

        /** Hands on one line (null: skipped); false once the reading side has stopped. */
        boolean add(Parsed line) throws InterruptedException {
            if (line == null) return !stopped;
            lastLine = line.lineNo();
            batch.add(line);
            if (batch.size() == BATCH) {
                put(batch);
                batch = new ArrayList<>(BATCH);
            }
            return !stopped;
        }

        private void put(List<Parsed> b) throws InterruptedException {
            while (!stopped && !queue.offer(b, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // the checking side is busy: wait, unless it stopped
            }
        }

        List<Parsed> next() throws InterruptedException {
            List<Parsed> b = queue.take();
            if (b == END && crashed != null) {
                if (crashed instanceof RuntimeException r) throw r;
                throw (Error) crashed;
            }
            return b;
        }

        void stop() {
            stopped = true;
            queue.clear();
        }
    }

    /**
     * The bytes of the current line, in one buffer reused from line to line (no copy per line),
     * and their strict UTF-8 decoding: a line of ASCII, nearly every line, needs no decoder.
     */
    private static final class LineDecoder {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] bytes = new byte[1024];
        int length;
        private CharBuffer chars = CharBuffer.allocate(1024);

        void append(byte[] from, int offset, int count) {
            if (length + count > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            System.arraycopy(from, offset, bytes, length, count);
            length += count;
        }

        /** Where the UTF-8 of the last {@link #decode} was invalid: the column and the message. */
        int errorColumn;
        String error;

        /** The text of bytes[start, end), or null when the UTF-8 is invalid ({@link #error} says where). */
        String decode(int start, int end, long lineStart) {
            error = null;
            boolean ascii = true;
            for (int i = start; i < end && ascii; i++) ascii = bytes[i] >= 0;
            if (ascii) return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
            ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
            if (chars.capacity() < end - start + 1) chars = CharBuffer.allocate(end - start + 1);
            CharBuffer out = chars.clear();
            decoder.reset();
            CoderResult r = decoder.decode(in, out, true);
            if (!r.isError()) {
                r = decoder.flush(out);
            }
            if (r.isError()) {
                long at = lineStart + in.position();
                errorColumn = out.position() + 1;
                error = String.format("invalid UTF-8 at byte offset %d (byte 0x%02X); event files must be UTF-8", at, bytes[in.position()] & 0xFF);
                return null;
            }
            return out.flip().toString();
        }
    }

    private Parsed decodedLine(LineDecoder line, long lineStart, int lineNo) {
        byte[] bytes = line.bytes;
        int len = line.length;
        line.length = 0;   // the next line starts afresh
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        int start = 0;
        if (lineNo == 1 && len >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        String text = line.decode(start, len, lineStart);
        if (text == null) return new Parsed(lineNo, null, null, null, line.errorColumn, line.error);
        return parse(lineNo, text);
    }

    // ---- one line

    private void readLine(String line, State st) {
        Parsed parsed = parse(st.lineNo, line);
        if (parsed != null) readParsed(line, parsed.root(), parsed.malformed(), st);
    }

    /** A line's JSON tree, or why it is not JSON; null for a blank line or a comment. */
    private Parsed parse(int lineNo, String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("//")) {
            return null;
        }
        try {
            return new Parsed(lineNo, line, trees.readTree(line), null, 0, null);
        } catch (JsonProcessingException e) {
            return new Parsed(lineNo, line, null, e, 0, null);
        }
    }

    /** Checks a parsed line against the catalog and keeps its event, or reports what is wrong with it. */
    private void readParsed(String line, JsonNode root, JsonProcessingException malformed, State st) {
        int ln = st.lineNo;
        if (malformed != null) {
            int col = malformed.getLocation() == null ? 1 : Math.max(1, malformed.getLocation().getColumnNr());
            st.error(ln, col, "malformed JSON: " + malformed.getOriginalMessage().lines().findFirst().orElse(""));
            return;
        }
        if (root == null || !root.isObject()) {
            st.error(ln, firstNonBlank(line), "expected a JSON object, one event per line");
            return;
        }
        int errorsBefore = st.errors.size();
        LineErrors err = (key, msg) -> st.error(ln, column(line, key, 0), msg);

        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP_KEYS.contains(k)) {
                err.add(k, "unknown key '" + k + "'" + didYouMean(k, TOP_KEY_LIST)
                        + " (an event has id, source, type, time, significance, data, entities)");
            }
        }
        String id = requiredString(root, "id", err);
        String source = requiredString(root, "source", err);
        String type = requiredString(root, "type", err);
        String timeText = requiredString(root, "time", err);

        if (id != null) {
            Integer first = st.ids.putIfAbsent(id, ln);
            if (first != null) {
                err.add("id", "duplicate event id '" + id + "' (first on line " + first + ")");
            }
        }
        if (source != null && !catalog.sources().contains(source)) {
            err.add("source", "unknown source '" + source + "'" + didYouMean(source, catalog.sources())
                    + " (known: " + String.join(", ", catalog.sources()) + ")");
        }
        EventTypeSpec spec = null;
        if (type != null) {
            spec = catalog.eventType(type).orElse(null);
            if (spec == null) {
                err.add("type", "unknown event type '" + type + "'" + didYouMean(type, catalog.eventTypeNames()));
            } else if (source != null && !source.equals(spec.source())) {
                err.add("source", "source '" + source + "' does not match event type '" + type + "' (expected '" + spec.source() + "')");
            }
        }
        Instant time = null;
        if (timeText != null) {
            time = parseTime(timeText, "time", err);
        }
        Integer significance = null;
        JsonNode sig = root.get("significance");
        if (sig != null && !sig.isNull()) {
            if (!sig.isNumber() || sig.doubleValue() != Math.rint(sig.doubleValue())
                    || sig.doubleValue() < 0 || sig.doubleValue() > 100) {
                err.add("significance", "significance must be an integer from 0 to 100, got " + sig);
            } else {
                significance = sig.intValue();
            }
        }
        Map<String, Object> data = readData(root.get("data"), spec, line, ln, st);
        List<EntityRef> entities = readEntities(root.get("entities"), line, ln, st);

        if (st.errors.size() == errorsBefore) {
            st.events.add(new CanonicalEvent(id, source, type, time, data, entities, significance));
        }
    }

    private Map<String, Object> readData(JsonNode node, EventTypeSpec spec, String line, int ln, State st) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return data;
        }
        int dataAt = Math.max(0, line.indexOf("\"data\""));
        if (!node.isObject()) {
            st.error(ln, dataAt + 1, "'data' must be a JSON object");
            return data;
        }
        Map<String, FieldSpec> fields = spec == null ? null : spec.dataFields();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            LineErrors err = (key, msg) -> st.error(ln, column(line, key, dataAt), msg);
            if (fields == null) {
                continue; // unknown type: already reported; field names cannot be checked
            }
            FieldSpec f = fields.get(name);
            if (f == null) {
                if (EventTypeSpec.COMMON_FIELDS.contains(name)) {
                    err.add(name, "'" + name + "' is a top-level key of the event, not a data field");
                } else {
                    err.add(name, "unknown field '" + name + "' for " + spec.name() + didYouMean(name, fields.keySet()));
                }
                continue;
            }
            if (v.isNull()) {
                continue; // absent
            }
            Object value = switch (f.type()) {
                case STRING, TEAM, PERSON -> v.isTextual() ? v.textValue() : null;
                case NUMBER -> v.isNumber() && Double.isFinite(v.doubleValue()) ? (Object) v.doubleValue() : null;
                case BOOL -> v.isBoolean() ? (Object) v.booleanValue() : null;
                case TIME -> v.isTextual() ? v.textValue() : null;
                case LIST_STRING -> stringList(v);
            };
            if (value == null && f.type() == charter.compiler.catalog.FieldType.NUMBER && v.isNumber()) {
                err.add(name, "field '" + name + "' of " + spec.name() + " is " + abbreviate(v.toString())
                        + ", beyond the range of a number (about 1.8e308)");
                continue;
            }
            if (value == null) {
                err.add(name, "field '" + name + "' of " + spec.name() + " must be " + article(f.type().displayName())
                        + ", got " + jsonKind(v) + " " + abbreviate(v.toString()));
                continue;
            }
            if (f.type() == charter.compiler.catalog.FieldType.TIME && parseTime((String) value, name, err) == null) {
                continue;
            }
            data.put(name, value);
        }
        return data;
    }

    private List<EntityRef> readEntities(JsonNode node, String line, int ln, State st) {
        List<EntityRef> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        int at = Math.max(0, line.indexOf("\"entities\""));
        if (!node.isArray()) {
            st.error(ln, at + 1, "'entities' must be a JSON array of {\"type\", \"key\"} objects");
            return out;
        }
        int i = 0;
        for (JsonNode e : node) {
            String where = "entities[" + i++ + "]";
            if (!e.isObject()) {
                st.error(ln, at + 1, where + " must be an object {\"type\": …, \"key\": …}");
                continue;
            }
            boolean ok = true;
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!k.equals("type") && !k.equals("key")) {
                    st.error(ln, at + 1, where + ": unknown key '" + k + "' (expected type and key)");
                    ok = false;
                }
            }
            JsonNode t = e.get("type");
            JsonNode k = e.get("key");
            if (t == null || !t.isTextual() || t.textValue().isBlank()) {
                st.error(ln, at + 1, where + ": 'type' must be a non-empty string");
                ok = false;
            } else {
                Optional<EntityTypeSpec> et = catalog.entityType(t.textValue());
                if (et.isEmpty()) {
                    st.error(ln, column(line, t.textValue(), at), where + ": unknown entity type '" + t.textValue() + "'"
                            + didYouMean(t.textValue(), catalog.entityTypes().stream().map(EntityTypeSpec::name).toList()));
                    ok = false;
                }
            }
            if (k == null || !k.isTextual() || k.textValue().isBlank()) {
                st.error(ln, at + 1, where + ": 'key' must be a non-empty string");
                ok = false;
            }
            if (ok) {
                out.add(new EntityRef(t.textValue(), k.textValue()));
            }
        }
        return out;
    }

    // ---- helpers

    @FunctionalInterface
    interface LineErrors {
        void add(String key, String message);
    }

    private static String requiredString(JsonNode root, String key, LineErrors err) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            err.add(key, "missing required key '" + key + "'");
            return null;
        }
        if (!n.isTextual() || n.textValue().isBlank()) {
            err.add(key, "'" + key + "' must be a non-empty string, got " + jsonKind(n) + " " + abbreviate(n.toString()));
            return null;
        }
        return n.textValue();
    }

    /** ISO-8601 with a zone offset (Z or +01:00); reports a missing zone specifically. */
    static Instant parseTime(String text, String key, LineErrors err) {
        try {
            Instant fast = EventTimes.parseUtcFast(text);
            Instant t = fast != null ? fast : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            if (!EventTimes.representable(t)) {
                err.add(key, "'" + key + "' " + quote(text) + " is outside the range Charter accepts ("
                        + EventTimes.EARLIEST + " to " + EventTimes.LATEST + ")");
                return null;
            }
            return t;
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(text);
                err.add(key, "'" + key + "' " + quote(text) + " has no zone offset; write it in UTC with Z, e.g. " + text + "Z");
            } catch (DateTimeParseException e2) {
                err.add(key, "'" + key + "' " + quote(text) + " is not an ISO-8601 time with zone, e.g. 2026-03-02T10:15:00Z");
            }
            return null;
        }
    }

    private static List<String> stringList(JsonNode v) {
        if (!v.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode x : v) {
            if (!x.isTextual()) {
                return null;
            }
            out.add(x.textValue());
        }
        return List.copyOf(out);
    }

    private static String didYouMean(String input, java.util.Collection<String> candidates) {
        return Suggestions.closest(input, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    private static String jsonKind(JsonNode n) {
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return "null";
    }

    private static String article(String typeName) {
        return switch (typeName) {
            case "string" -> "a string";
            case "number" -> "a number";
            case "bool" -> "a boolean (true or false)";
            case "time" -> "an ISO-8601 time string";
            case "list<string>" -> "a list of strings";
            default -> "a " + typeName;
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static String quote(String s) {
        return "\"" + abbreviate(s) + "\"";
    }

    /** 1-based column of {@code "key"} in the line at or after {@code from}, else 1. */
    private static int column(String line, String key, int from) {
        int i = line.indexOf("\"" + key + "\"", from);
        if (i < 0) {
            i = line.indexOf("\"" + key + "\"");
        }
        return i < 0 ? firstNonBlank(line) : i + 1;
    }

    private static int firstNonBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (!Character.isWhitespace(line.charAt(i))) {
                return i + 1;
            }
        }
        return 1;
    }

    private static final class TooManyErrors extends RuntimeException {
        TooManyErrors() {
            super(null, null, false, false);
        }
    }

    private static final class State {
        final String file;
        final List<CanonicalEvent> events = new ArrayList<>();
        final List<EventFileError> errors = new ArrayList<>();
        final Map<String, Integer> ids = new HashMap<>();
        int lineNo;

        State(String file) {
            this.file = file;
        }

        void error(int line, int column, String message) {
            errors.add(new EventFileError(file, line, column, message));
            if (errors.size() >= MAX_ERRORS) {
                errors.add(new EventFileError(file, line, column, "too many errors (" + MAX_ERRORS + "); stopped reading"));
                throw new TooManyErrors();
            }
        }

        EventFileResult result() {
            return new EventFileResult(events, errors);
        }
    }

}
