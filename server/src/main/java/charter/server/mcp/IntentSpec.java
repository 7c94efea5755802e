package charter.server.mcp;

import charter.compiler.CompiledProgram;
import charter.compiler.eval.CompiledAction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One intent of a Program as an agent sees it: its typed parameters, its title and the tools it
 * resolves to. {@code GET /v1/program/intents} lists these, and the MCP server makes each a tool.
 *
 * @param tools the tools of the actions an allowed intent plans (none: deciding it changes nothing outside Charter)
 */
public record IntentSpec(String name, String title, List<Param> params, List<String> tools) {
    /** {@code type} is the Program's type name: string, number, bool, list (any other name is a string). */
    public record Param(String name, String type) {}

    public IntentSpec {
        params = List.copyOf(params);
        tools = List.copyOf(tools);
    }

    public static List<IntentSpec> of(CompiledProgram program) {
        List<IntentSpec> out = new ArrayList<>();
        for (CompiledProgram.IntentInfo i : program.intents().values()) {
            List<Param> params = new ArrayList<>();
            i.params().forEach((n, t) -> params.add(new Param(n, t)));
            List<String> tools = i.resolve().stream().map(CompiledAction::tool).distinct().toList();
            out.add(new IntentSpec(i.name(), i.title(), params, tools));
        }
        return out;
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("name", name);
        o.put("title", title);
        ArrayNode ps = o.putArray("params");
        for (Param p : params) ps.addObject().put("name", p.name()).put("type", p.type());
        ArrayNode ts = o.putArray("tools");
        tools.forEach(ts::add);
        return o;
    }

    public static IntentSpec fromJson(JsonNode o) {
        List<Param> params = new ArrayList<>();
        for (JsonNode p : o.path("params")) params.add(new Param(p.path("name").asText(), p.path("type").asText()));
        List<String> tools = new ArrayList<>();
        for (JsonNode t : o.path("tools")) tools.add(t.asText());
        return new IntentSpec(o.path("name").asText(), o.path("title").asText(null), params, tools);
    }

    /** The reserved arguments every intent tool takes besides the intent's own parameters. */
    public static final String DRY_RUN = "dry_run";
    public static final String REASON = "reason";

    /**
     * The tool's input: one property per parameter (all required, as the Program requires them),
     * plus {@code dry_run} and {@code reason}; nothing else is accepted. A parameter named like a
     * reserved argument keeps its place, and the reserved argument is left out.
     */
    public Map<String, Object> inputSchema() {
        Map<String, Object> props = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Param p : params) {
            props.put(p.name(), typeSchema(p));
            required.add(p.name());
        }
        props.putIfAbsent(DRY_RUN, Map.of("type", "boolean",
                "description", "Decide without recording anything or planning actions (default false)."));
        props.putIfAbsent(REASON, Map.of("type", "string", "description", "Why the intent is sent; recorded with the decision."));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        schema.put("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Map<String, Object> typeSchema(Param p) {
        String description = "`" + p.name() + "` (" + p.type() + ")";
        return switch (p.type()) {
            case "number" -> Map.of("type", "number", "description", description);
            case "bool" -> Map.of("type", "boolean", "description", description);
            case "list" -> Map.of("type", "array", "items", Map.of("type", "string"), "description", description);
            default -> Map.of("type", "string", "description", description);
        };
    }

    /** Whether deciding it may change anything outside Charter: an allowed intent plans these tools' actions. */
    public boolean resolvesActions() {
        return !tools.isEmpty();
    }
}
