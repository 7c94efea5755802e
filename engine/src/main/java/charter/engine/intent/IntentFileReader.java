package charter.engine.intent;

import charter.compiler.CompiledProgram;
import charter.compiler.diag.Suggestions;
import charter.engine.event.EventFileError;
import charter.engine.result.TimelineEntry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads intents, one JSON object a line:
 * {"id":"int-1","intent":"ship","actor":"carol","time":"2026-03-06T16:00:00Z","params":{…},"reason":"…","override":{"actor":"alice","reason":"…"}}
 * and checks them against the Program's intents. Every problem is reported with its line.
 */
public final class IntentFileReader {
    private static final Set<String> KEYS = Set.of("id", "intent", "actor", "time", "params", "reason", "override");
    /** Shared: an ObjectMapper is thread-safe once configured, and costly to make (the server reads one intent per request). */
    private static final ObjectMapper json = new ObjectMapper();
    private final CompiledProgram program;

    public record Result(List<IntentRequest> intents, List<EventFileError> errors) {}

    public IntentFileReader(CompiledProgram program) {
        this.program = program;
    }

    public Result read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return read(file.toString(), text);
        } catch (CharacterCodingException e) {
            return new Result(List.of(), List.of(new EventFileError(file.toString(), 1, 1, "the file is not valid UTF-8")));
        } catch (IOException e) {
            return new Result(List.of(), List.of(new EventFileError(file.toString(), 0, 0, "cannot read: " + e.getMessage())));
        }
    }

    public Result read(String name, String text) {
        List<IntentRequest> intents = new ArrayList<>();
        List<EventFileError> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("//")) continue;
            int lineNo = i + 1;
            List<String> problems = new ArrayList<>();
            try {
                JsonNode node = json.readTree(line);
                if (node == null || !node.isObject()) {
                    problems.add("an intent must be a JSON object");
                } else {
                    IntentRequest request = request(node, problems);
                    if (request != null && !ids.add(request.id())) problems.add("duplicate intent id `" + request.id() + "`");
                    if (request != null && problems.isEmpty()) intents.add(request);
                }
            } catch (JsonProcessingException e) {
                int column = e.getLocation() == null ? 1 : e.getLocation().getColumnNr();
                errors.add(new EventFileError(name, lineNo, column, "malformed JSON: " + e.getOriginalMessage()));
                continue;
            }
            for (String p : problems) errors.add(new EventFileError(name, lineNo, 1, p));
        }
        return new Result(intents, errors);
    }

    /** Builds one intent from a JSON object, or reports why not; its {@code time} is required. */
    public IntentRequest request(JsonNode node, List<String> problems) {
        return request(node, problems, null);
    }

    /**
     * Builds one intent from a JSON object, or reports why not; an intent without {@code time} is at
     * {@code timeIfAbsent} (the server's clock for a live intent), or is refused when that is null.
     */
    public IntentRequest request(JsonNode node, List<String> problems, Instant timeIfAbsent) {
        node.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) problems.add("unknown key `" + k + "`" + hint(k, KEYS));
        });
        String id = text(node, "id", problems);
        String intent = text(node, "intent", problems);
        String actor = text(node, "actor", problems);
        boolean timeGiven = timeIfAbsent == null || node.has("time");
        String timeText = timeGiven ? text(node, "time", problems) : null;
        Instant time = timeGiven ? null : timeIfAbsent;
        if (timeText != null) {
            try {
                time = Instant.parse(timeText);
                if (!charter.engine.event.EventTimes.representable(time)) {
                    problems.add("`time` " + timeText + " is outside the range Charter accepts ("
                            + charter.engine.event.EventTimes.EARLIEST + " to " + charter.engine.event.EventTimes.LATEST + ")");
                    time = null;
                }
            } catch (DateTimeParseException e) {
                problems.add("`time` is not an ISO-8601 instant such as 2026-03-06T16:00:00Z: " + timeText);
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        CompiledProgram.IntentInfo info = intent == null ? null : program.intents().get(intent);
        if (intent != null && info == null) {
            problems.add("unknown intent `" + intent + "`" + hint(intent, program.intents().keySet()));
        }
        JsonNode rawParams = node.get("params");
        if (rawParams != null && !rawParams.isObject()) problems.add("`params` must be an object");
        if (info != null) {
            for (var p : info.params().entrySet()) {
                JsonNode v = rawParams == null ? null : rawParams.get(p.getKey());
                if (v == null || v.isNull()) {
                    problems.add("intent `" + intent + "` needs parameter `" + p.getKey() + "` (" + p.getValue() + ")");
                    continue;
                }
                Object value = switch (p.getValue()) {
                    case "number" -> v.isNumber() ? (Object) v.asDouble() : null;
                    case "bool" -> v.isBoolean() ? (Object) v.asBoolean() : null;
                    case "list" -> v.isArray() ? listOf(v) : null;
                    default -> v.isTextual() ? v.asText() : null;
                };
                if (value == null) problems.add("parameter `" + p.getKey() + "` must be a " + p.getValue());
                else params.put(p.getKey(), value);
            }
            if (rawParams != null && rawParams.isObject()) {
                rawParams.fieldNames().forEachRemaining(k -> {
                    if (!info.params().containsKey(k)) problems.add("intent `" + intent + "` has no parameter `" + k + "`" + hint(k, info.params().keySet()));
                });
            }
        }
        String reason = node.hasNonNull("reason") ? node.get("reason").asText() : null;
        TimelineEntry.Override override = null;
        JsonNode rawOverride = node.get("override");
        if (rawOverride != null && !rawOverride.isNull()) {
            String by = rawOverride.path("actor").asText("");
            String why = rawOverride.path("reason").asText("");
            if (by.isBlank() || why.isBlank()) problems.add("an override needs both `actor` and `reason`");
            else override = new TimelineEntry.Override(by, why);
        }
        if (id == null || intent == null || actor == null || time == null) return null;
        return new IntentRequest(id, intent, actor, reason, time, params, override);
    }

    private static List<String> listOf(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String text(JsonNode node, String key, List<String> problems) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            problems.add("missing `" + key + "`");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add("`" + key + "` must be a non-empty string");
            return null;
        }
        return v.asText();
    }

    private static String hint(String name, java.util.Collection<String> known) {
        return Suggestions.closest(name, known).map(s -> "; did you mean `" + s + "`?").orElse("");
    }
}
