package charter.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/** A decision (the REST API's decision JSON) as the few lines an agent reads first; the JSON goes beside it. */
final class DecisionText {
    private DecisionText() {}

    static String of(JsonNode d) {
        StringBuilder s = new StringBuilder();
        s.append(d.path("verdict").asText()).append(": intent ").append(d.path("intent").asText())
                .append(" (").append(d.path("intentId").asText()).append(") by ").append(d.path("actor").asText()).append('\n');
        for (JsonNode den : d.path("denials")) {
            s.append("  ").append(den.path("level").asText()).append(" invariant ").append(den.path("invariant").asText()).append(": ")
                    .append(den.path("because").asText(den.path("title").asText()));
            if (den.hasNonNull("location")) s.append("  (at ").append(den.path("location").asText()).append(')');
            s.append('\n');
        }
        JsonNode override = d.path("override");
        if (override.isObject()) s.append("  overridden by ").append(override.path("actor").asText()).append(": ").append(override.path("reason").asText()).append('\n');
        JsonNode actions = d.path("actions");
        s.append(actions.isEmpty() ? "planned actions: none\n" : "planned actions:\n");
        for (JsonNode a : actions) s.append("  ").append(a.path("tool").asText()).append(' ').append(a.path("args")).append("  (").append(a.path("actionId").asText()).append(")\n");
        String recorded = d.path("recorded").asBoolean() ? "recorded as #" + d.path("sequence").asText()
                : d.path("dryRun").asBoolean() ? "not recorded (dry run)" : "not recorded";
        s.append("Program ").append(d.path("programVersion").asText()).append("; ").append(recorded);
        if (d.path("verdict").asText().equals("needs-override") && d.path("recorded").asBoolean()) {
            s.append("\nOnly soft invariants deny it: someone allowed to may call the `override` tool with intent_id ")
                    .append(d.path("intentId").asText()).append(" and a reason.");
        }
        return s.toString();
    }
}
