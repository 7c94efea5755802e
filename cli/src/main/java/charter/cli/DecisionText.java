package charter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * The text form of a decision, read from its JSON (the server's decision response), so a local
 * decision and one from a server print alike; and the exit code a script branches on.
 */
final class DecisionText {
    static final int NEEDS_OVERRIDE = 3;
    static final int DENY = 4;

    private DecisionText() {}

    static int exitCode(JsonNode decision) {
        return switch (decision.path("verdict").asText()) {
            case "allow" -> Main.OK;
            case "needs-override" -> NEEDS_OVERRIDE;
            case "deny" -> DENY;
            default -> throw new IllegalStateException("a decision with verdict `" + decision.path("verdict").asText() + "`");
        };
    }

    static void print(JsonNode d, PrintWriter out) {
        out.println(d.path("verdict").asText() + ": intent " + d.path("intent").asText() + " (" + d.path("intentId").asText()
                + ") by " + d.path("actor").asText() + " at " + d.path("time").asText());
        if (d.hasNonNull("reason")) out.println("  reason: " + d.path("reason").asText());
        for (JsonNode den : d.path("denials")) {
            String location = den.path("location").isNull() ? "" : "  at " + den.path("location").asText();
            out.println("  " + den.path("level").asText() + " " + den.path("invariant").asText() + ": "
                    + den.path("because").asText(den.path("title").asText()) + location);
        }
        JsonNode override = d.path("override");
        if (override.isObject()) {
            out.println("  overridden by " + override.path("actor").asText() + ": " + override.path("reason").asText());
        }
        if (d.hasNonNull("overrideRefused")) out.println("  override refused: " + d.path("overrideRefused").asText());
        JsonNode actions = d.path("actions");
        if (actions.isEmpty()) out.println("planned actions: none");
        else out.println("planned actions:");
        for (JsonNode a : actions) out.println("  " + a.path("tool").asText() + " " + a.path("args") + "  (" + a.path("actionId").asText() + ")");
        String recorded = d.path("recorded").asBoolean()
                ? "recorded as #" + d.path("sequence").asText()
                : d.path("dryRun").asBoolean() ? "not recorded (dry run)" : "not recorded";
        out.println("program " + d.path("programVersion").asText() + "; " + recorded);
        out.flush();
    }
}
