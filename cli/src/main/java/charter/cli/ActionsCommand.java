package charter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code charter actions …}: the trail and the controls of a running server's outbox, over its API
 * (token in {@code CHARTER_TOKEN}): list and show actions with their attempts; retry, cancel,
 * approve or reject one; pause or resume a tenant's actions, or one tool's.
 */
@Command(name = "actions", description = {"The actions a running server carries out: list, show, retry, cancel, approve, reject, pause, resume.",
        "Against --server URL (or $CHARTER_SERVER) with the token in $CHARTER_TOKEN."},
        subcommands = {ActionsCommand.ListActions.class, ActionsCommand.Show.class, ActionsCommand.Retry.class, ActionsCommand.Cancel.class,
                ActionsCommand.Approve.class, ActionsCommand.Reject.class, ActionsCommand.Pause.class, ActionsCommand.Resume.class})
final class ActionsCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVER_VARIABLE = "CHARTER_SERVER";

    @Spec
    CommandSpec spec;

    /** The environment the command runs in (tests give their own). */
    Map<String, String> env = Map.of();

    @Option(names = "--server", paramLabel = "URL", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The server (default: $" + SERVER_VARIABLE + ").")
    URI server;

    @Option(names = "--format", defaultValue = "text", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "text for people, json for machines (the server's answer) (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USER_ERROR;
    }

    /** Sends one request to the server's API; its JSON answer, or a one-line error. */
    JsonNode call(String method, String path, JsonNode body) throws InterruptedException {
        String token = env.getOrDefault(IntentCommand.TOKEN_VARIABLE, "").strip();
        if (token.isEmpty()) throw new UserError("set " + IntentCommand.TOKEN_VARIABLE + " to an API token of the server (charter token create)");
        String base = server != null ? server.toString() : env.getOrDefault(SERVER_VARIABLE, "");
        if (base.isBlank()) throw new UserError("name the server: --server URL or $" + SERVER_VARIABLE);
        return ServerCall.send(base, method, path, token, body, reply -> true, "the server refused");
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints the answer as JSON, or as text through {@code text}. */
    void print(JsonNode reply, java.util.function.Consumer<JsonNode> text) throws JsonProcessingException {
        if (format == OutputFormat.json) out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reply));
        else text.accept(reply);
        out().flush();
    }

    /** One line per action: id, status, tool, attempts, rule, and the error or the link. */
    void line(JsonNode a) {
        String tail = a.has("lastError") ? "  " + a.get("lastError").asText() : a.has("url") ? "  " + a.get("url").asText() : "";
        out().printf("%-18s %-17s %-20s %2d  %s%s%n", a.path("id").asText(), a.path("status").asText(), a.path("tool").asText(),
                a.path("attempts").asInt(), a.path("provenance").path("id").asText(), tail);
    }

    static String q(String name, String value) {
        return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Command(name = "list", description = "Actions in planning order, filtered by --status, --tool, --rule.")
    static final class ListActions implements Callable<Integer> {
        @ParentCommand
        ActionsCommand parent;
        @Option(names = "--status", description = "planned, awaiting_approval, sending, done, retrying, failed, cancelled or recorded")
        String status;
        @Option(names = "--tool", description = "A catalog tool, such as slack.post.")
        String tool;
        @Option(names = "--rule", description = "The rule or intent that planned them.")
        String rule;
        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            JsonNode reply = parent.call("GET", "/v1/actions?limit=" + limit + q("status", status) + q("tool", tool) + q("rule", rule), null);
            parent.print(reply, r -> {
                if (r.path("actions").isEmpty()) parent.out().println("no actions");
                for (JsonNode a : r.path("actions")) parent.line(a);
                if (!r.path("next").isNull()) parent.out().println("(more: --limit, or GET " + r.path("next").asText() + ")");
            });
            return 0;
        }
    }

    @Command(name = "show", description = "One action: where it stands, every attempt, and the request its connector sends.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ActionsCommand parent;
        @Parameters(paramLabel = "ID", description = "The action id.")
        String id;

        @Override
        public Integer call() throws Exception {
            JsonNode reply = parent.call("GET", "/v1/actions/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
            parent.print(reply, r -> {
                PrintWriter out = parent.out();
                JsonNode a = r.path("action");
                parent.line(a);
                if (a.has("approvers")) out.println("  approvers: " + String.join(", ", texts(a.path("approvers"))));
                if (a.has("decision")) {
                    out.println("  decided by " + a.path("decision").path("by").asText() + " at " + a.path("decision").path("at").asText()
                            + ": " + a.path("decision").path("reason").asText());
                }
                for (JsonNode t : r.path("attempts")) {
                    out.printf("  attempt %d  %s  %s  status %d  %.0f ms%s%n", t.path("attempt").asInt(), t.path("started").asText(),
                            t.path("outcome").asText(), t.path("status").asInt(), t.path("durationMillis").asDouble(),
                            t.has("detail") ? "  " + t.path("detail").asText() : t.has("url") ? "  " + t.path("url").asText() : "");
                }
                JsonNode w = r.path("request");
                if (w.isObject() && w.has("method")) {
                    out.println("  request: " + w.path("method").asText() + " " + w.path("target").asText());
                    w.path("headers").fields().forEachRemaining(h -> out.println("    " + h.getKey() + ": " + h.getValue().asText()));
                    if (!w.path("body").asText().isEmpty()) out.println("    " + w.path("body").asText());
                }
            });
            return 0;
        }

        private static List<String> texts(JsonNode array) {
            List<String> out = new ArrayList<>();
            array.forEach(n -> out.add(n.asText()));
            return out;
        }
    }

    /** A command on one action; approve and reject need --actor and --reason. */
    abstract static class OnAction implements Callable<Integer> {
        @ParentCommand
        ActionsCommand parent;
        @Parameters(paramLabel = "ID", description = "The action id.")
        String id;
        @Option(names = "--actor", description = "Who does it (recorded; for approve and reject, one of the action's approvers).")
        String actor;
        @Option(names = "--reason", description = "Why (recorded).")
        String reason;

        abstract String verb();

        @Override
        public Integer call() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            if (actor != null) body.put("actor", actor);
            if (reason != null) body.put("reason", reason);
            JsonNode reply = parent.call("POST", "/v1/actions/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/" + verb(), body);
            parent.print(reply, r -> parent.line(r.path("action")));
            return 0;
        }
    }

    @Command(name = "retry", description = "Try a failed or cancelled action again, with a fresh attempt budget.")
    static final class Retry extends OnAction {
        String verb() {
            return "retry";
        }
    }

    @Command(name = "cancel", description = "Cancel an action not sent yet.")
    static final class Cancel extends OnAction {
        String verb() {
            return "cancel";
        }
    }

    @Command(name = "approve", description = "Approve an action awaiting approval (--actor, one of its approvers, and --reason).")
    static final class Approve extends OnAction {
        String verb() {
            return "approve";
        }
    }

    @Command(name = "reject", description = "Reject an action awaiting approval (--actor, one of its approvers, and --reason).")
    static final class Reject extends OnAction {
        String verb() {
            return "reject";
        }
    }

    /** The kill switch: every action of the token's tenant, or of one tool. */
    abstract static class Switch implements Callable<Integer> {
        @ParentCommand
        ActionsCommand parent;
        @Option(names = "--tool", description = "Only this tool (default: every tool of the tenant).")
        String tool;
        @Option(names = "--actor", description = "Who (recorded).")
        String actor;
        @Option(names = "--reason", description = "Why (recorded).")
        String reason;

        abstract String verb();

        @Override
        public Integer call() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            if (tool != null) body.put("tool", tool);
            if (actor != null) body.put("actor", actor);
            if (reason != null) body.put("reason", reason);
            JsonNode reply = parent.call("POST", "/v1/actions/" + verb(), body);
            parent.print(reply, r -> {
                if (r.path("paused").isEmpty()) parent.out().println("nothing paused: actions are carried out");
                for (JsonNode p : r.path("paused")) {
                    parent.out().println("paused: " + (p.path("tool").asText().equals("*") ? "every tool" : p.path("tool").asText())
                            + " since " + p.path("since").asText() + (p.path("actor").asText().isEmpty() ? "" : " by " + p.path("actor").asText())
                            + (p.path("reason").asText().isEmpty() ? "" : " (" + p.path("reason").asText() + ")"));
                }
            });
            return 0;
        }
    }

    @Command(name = "pause", description = "Hold every action of the tenant (or of --tool) until resumed; needs an admin token.")
    static final class Pause extends Switch {
        String verb() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Lift a pause of the tenant (or of --tool); needs an admin token.")
    static final class Resume extends Switch {
        String verb() {
            return "resume";
        }
    }
}
