package charter.engine.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generated case: a Program (a fixed header plus declarations that can be dropped one by
 * one when shrinking) and a stream of events and intents. Written out, it is a ready-to-run
 * folder: {@code charter simulate DIR --events DIR/events.jsonl --intents DIR/intents.jsonl}.
 */
record DiffCase(String header, List<String> declarations, List<Event> events, List<Intent> intents) {
    private static final ObjectMapper JSON = new ObjectMapper();

    DiffCase {
        declarations = List.copyOf(declarations);
        events = List.copyOf(events);
        intents = List.copyOf(intents);
    }

    record Event(String id, String type, long time, Map<String, Object> data, List<Map<String, String>> entities) {}

    record Intent(String id, String actor, long time, Map<String, Object> params, boolean override) {}

    String manifest() {
        return "name: differential\ntimezone: UTC\n";
    }

    String main() {
        return header + "\n" + String.join("\n", declarations) + "\n";
    }

    String eventsJsonl() {
        StringBuilder out = new StringBuilder();
        for (Event e : events) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("id", e.id());
            line.put("source", e.type().substring(0, e.type().indexOf('.')));
            line.put("type", e.type());
            line.put("time", Instant.ofEpochMilli(e.time()).toString());
            line.put("data", e.data());
            if (!e.entities().isEmpty()) line.put("entities", e.entities());
            out.append(json(line)).append('\n');
        }
        return out.toString();
    }

    String intentsJsonl() {
        StringBuilder out = new StringBuilder();
        for (Intent i : intents) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("id", i.id());
            line.put("intent", "ship");
            line.put("actor", i.actor());
            line.put("time", Instant.ofEpochMilli(i.time()).toString());
            line.put("params", i.params());
            if (i.override()) line.put("override", Map.of("actor", "alice", "reason", "differential"));
            out.append(json(line)).append('\n');
        }
        return out.toString();
    }

    DiffCase withDeclarations(List<String> d) {
        return new DiffCase(header, d, events, intents);
    }

    DiffCase withEvents(List<Event> e) {
        return new DiffCase(header, declarations, e, intents);
    }

    DiffCase withIntents(List<Intent> i) {
        return new DiffCase(header, declarations, events, i);
    }

    /** Writes the folder: charter.yaml, main.charter, events.jsonl, intents.jsonl. */
    Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("charter.yaml"), manifest());
            Files.writeString(dir.resolve("main.charter"), main());
            Files.writeString(dir.resolve("events.jsonl"), eventsJsonl());
            Files.writeString(dir.resolve("intents.jsonl"), intentsJsonl());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder as text, for a failure message. */
    String listing() {
        return "--- charter.yaml\n" + manifest() + "--- main.charter\n" + main() + "--- events.jsonl\n" + eventsJsonl()
                + "--- intents.jsonl\n" + intentsJsonl();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> List<T> without(List<T> list, int index) {
        List<T> out = new ArrayList<>(list);
        out.remove(index);
        return out;
    }
}
