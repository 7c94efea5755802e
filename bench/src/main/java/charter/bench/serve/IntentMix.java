package charter.bench.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The acme Program's recorded intents ({@code intents.jsonl}: ships, rollbacks, triages, one with an
 * override), as {@code POST /v1/intents} bodies. Each request gets an id of its own and no
 * {@code time}, so the server decides it now against its live state, as a person or agent calling
 * it would.
 */
public final class IntentMix {
    /** One intent request; {@code id} is the intent id it is decided (and, unless a dry run, recorded) under. */
    public record Intent(String intent, String path, Map<String, String> headers, byte[] body, String id) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<ObjectNode> templates;
    private final String token;

    private IntentMix(List<ObjectNode> templates, String token) {
        this.templates = templates;
        this.token = token;
    }

    public static IntentMix load(Path intentsJsonl, String token) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(intentsJsonl)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("//")) continue;
            JsonNode n = JSON.readTree(t);
            if (!(n instanceof ObjectNode o)) throw new IOException(intentsJsonl + ": not an object: " + t);
            o.remove("id");
            o.remove("time");
            out.add(o);
        }
        if (out.isEmpty()) throw new IOException("no intents in " + intentsJsonl);
        return new IntentMix(out, token);
    }

    public int size() {
        return templates.size();
    }

    /** Request {@code i} of run {@code run}: intent {@code i mod size} with id {@code load-<run>-<i>}. */
    public Intent intent(String run, int i, boolean dryRun) {
        ObjectNode n = templates.get(i % templates.size()).deepCopy();
        String id = "load-" + run + "-" + i;
        n.put("id", id);
        n.put("dry_run", dryRun);
        try {
            return new Intent(n.get("intent").asText(), "/v1/intents",
                    Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token), JSON.writeValueAsBytes(n), id);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The verdict of a decision response ({@code "verdict":"allow"}), without parsing the whole body. */
    public static String verdict(String body) {
        int at = body.indexOf("\"verdict\":\"");
        if (at < 0) return "none";
        int from = at + 11;
        int to = body.indexOf('"', from);
        return to < 0 ? "none" : body.substring(from, to);
    }
}
