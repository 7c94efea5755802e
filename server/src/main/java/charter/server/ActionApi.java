package charter.server;

import static charter.server.CharterServer.JSON;
import static charter.server.CharterServer.MAX_PAGE;
import static charter.server.CharterServer.longParam;
import static charter.server.CharterServer.reply;

import charter.compiler.builtins.Directory;
import charter.connect.ActionRequest;
import charter.engine.json.SimulationJson;
import charter.engine.store.Outbox;
import charter.server.act.ConnectorRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The trail and the controls of carrying out actions: the actions with where each stands
 * ({@code GET /v1/actions}, {@code /v1/actions/{id}} with every attempt and the request its
 * connector sends), the commands on one ({@code retry}, {@code cancel}, {@code approve},
 * {@code reject}) and the kill switch ({@code /v1/actions/pause}, {@code /resume}). Everything is
 * scoped to the token's tenant.
 */
final class ActionApi {
    private final ConnectorRegistry connectors;
    private final Runnable wake;

    ActionApi(ConnectorRegistry connectors, Runnable wake) {
        this.connectors = connectors;
        this.wake = wake;
    }

    void routes(RoutesConfig r, BiFunction<TokenStore.Scope, CharterServer.TenantHandler, Handler> authed) {
        r.get("/v1/actions", authed.apply(TokenStore.Scope.READ, this::list));
        r.get("/v1/actions/pauses", authed.apply(TokenStore.Scope.READ, this::pauses));
        r.post("/v1/actions/pause", authed.apply(TokenStore.Scope.ADMIN, (ctx, t) -> pause(ctx, t, true)));
        r.post("/v1/actions/resume", authed.apply(TokenStore.Scope.ADMIN, (ctx, t) -> pause(ctx, t, false)));
        r.get("/v1/actions/{id}", authed.apply(TokenStore.Scope.READ, this::show));
        for (Outbox.Command c : Outbox.Command.values()) {
            r.post("/v1/actions/{id}/" + c.name().toLowerCase(Locale.ROOT), authed.apply(TokenStore.Scope.INTENTS, (ctx, t) -> command(ctx, t, c)));
        }
    }

    private void list(Context ctx, Tenant t) {
        long after = longParam(ctx, "after", 0);
        int limit = CharterServer.pageLimit(ctx, 100, MAX_PAGE);
        String status = ctx.queryParam("status");
        Outbox.State state = null;
        if (status != null) {
            state = Outbox.State.parse(status).orElseThrow(() -> new CharterServer.ApiError(400, "bad_parameter", "`status` must be one of "
                    + String.join(", ", java.util.Arrays.stream(Outbox.State.values()).map(Outbox.State::label).toList()) + ", got `" + status + "`"));
        }
        String tool = ctx.queryParam("tool");
        String rule = ctx.queryParam("rule");
        List<Outbox.Row> page = t.outbox().list(t.name, new Outbox.Query(state, tool, rule, after, limit));
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        ArrayNode list = n.putArray("actions");
        for (Outbox.Row row : page) list.add(rowJson(row));
        if (page.size() == limit) {
            n.put("next", "/v1/actions?after=" + page.getLast().sequence() + "&limit=" + limit + CharterServer.param("status", status)
                    + CharterServer.param("tool", tool) + CharterServer.param("rule", rule));
        } else {
            n.putNull("next");
        }
        reply(ctx, 200, n);
    }

    /** An action as the lists show it: the planned action (as {@code charter simulate} shows it) and where it stands. */
    static ObjectNode rowJson(Outbox.Row row) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sequence", row.sequence());
        o.put("id", row.actionId());
        o.put("eventSequence", row.eventSequence());
        o.setAll(SimulationJson.entry(row.action()));
        o.put("status", row.state().label());
        if (row.created() != null && row.created().isAfter(java.time.Instant.EPOCH)) o.put("recorded", row.created().toString());
        o.put("attempts", row.attempts());
        if (row.state() == Outbox.State.RETRYING || row.state() == Outbox.State.PLANNED) o.put("nextAttempt", row.nextAttempt().toString());
        if (!row.lastError().isEmpty()) o.put("lastError", row.lastError());
        if (!row.externalId().isEmpty()) o.put("externalId", row.externalId());
        if (!row.url().isEmpty()) o.put("url", row.url());
        if (!row.approvers().isEmpty()) {
            ArrayNode a = o.putArray("approvers");
            row.approvers().forEach(a::add);
        }
        if (!row.decidedBy().isEmpty()) {
            o.putObject("decision").put("by", row.decidedBy()).put("reason", row.decisionReason())
                    .put("at", row.decidedAt() == null ? null : row.decidedAt().toString());
        }
        return o;
    }

    private void show(Context ctx, Tenant t) {
        String id = ctx.pathParam("id");
        Outbox.Row row = t.outbox().get(t.name, id).orElseThrow(() -> notFound(id));
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.set("action", rowJson(row));
        n.set("attempts", attemptsJson(t.outbox().attempts(t.name, id)));
        n.set("request", wouldSend(t.name, row));
        reply(ctx, 200, n);
    }

    /** Every attempt: when, how long, what came back, and the request as sent (secrets redacted). */
    static ArrayNode attemptsJson(List<Outbox.Attempt> attempts) {
        ArrayNode list = JSON.createArrayNode();
        for (Outbox.Attempt a : attempts) {
            ObjectNode o = list.addObject();
            o.put("attempt", a.attempt());
            o.put("started", a.started().toString());
            o.put("durationMillis", a.duration().toNanos() / 1e6);
            o.put("outcome", a.outcome());
            o.put("status", a.status());
            if (!a.detail().isEmpty()) o.put("detail", a.detail());
            if (!a.externalId().isEmpty()) o.put("externalId", a.externalId());
            if (!a.url().isEmpty()) o.put("url", a.url());
            try {
                JsonNode req = JSON.readTree(a.request());
                if (req.size() > 0) o.set("request", req);
            } catch (java.io.IOException e) {
                o.put("request", a.request());
            }
        }
        return list;
    }

    /**
     * The exact request the action's connector sends (or would send: for a recorded action, a wire-level
     * dry run), secrets redacted; null when this server has no connector for the tool.
     */
    JsonNode wouldSend(String tenant, Outbox.Row row) {
        return connectors.renderer(tenant, row.tool()).<JsonNode>map(c -> {
            try {
                var w = c.render(new ActionRequest(tenant, row.actionId(), row.tool(), row.args(), Math.max(1, row.attempts())));
                ObjectNode o = JSON.createObjectNode();
                o.put("method", w.method());
                o.put("target", w.target());
                ObjectNode h = o.putObject("headers");
                w.headers().forEach(h::put);
                o.put("body", w.body());
                return o;
            } catch (RuntimeException e) {
                return JSON.createObjectNode().put("error", "the " + row.tool() + " connector cannot render this action: " + e.getMessage());
            }
        }).orElse(JSON.nullNode());
    }

    private void command(Context ctx, Tenant t, Outbox.Command command) {
        String id = ctx.pathParam("id");
        JsonNode body = ctx.bodyAsBytes().length == 0 ? JSON.createObjectNode() : CharterServer.body(ctx);
        String actor = body.path("actor").asText("").strip();
        String reason = body.path("reason").asText("").strip();
        if ((command == Outbox.Command.APPROVE || command == Outbox.Command.REJECT) && (actor.isEmpty() || reason.isEmpty())) {
            throw new CharterServer.ApiError(400, "invalid_" + command.name().toLowerCase(Locale.ROOT),
                    "to " + command.name().toLowerCase(Locale.ROOT) + " an action, send both `actor` and `reason`");
        }
        if (command == Outbox.Command.APPROVE || command == Outbox.Command.REJECT) {
            Outbox.Row row = t.outbox().get(t.name, id).orElseThrow(() -> notFound(id));
            if (row.approvers().equals(List.of(charter.compiler.eval.ApprovalPolicy.NOBODY))) {
                throw new CharterServer.ApiError(403, "not_an_approver", "nobody may approve or reject this action: every `owner(...)` of"
                        + " its `approval by` named no team when it was planned; cancel it, or give the thing an owner and plan it again");
            }
            if (!row.approvers().isEmpty() && !mayApprove(t.program().directory(), actor, row.approvers())) {
                throw new CharterServer.ApiError(403, "not_an_approver", "`" + actor + "` may not approve or reject this action; its approvers are "
                        + String.join(", ", row.approvers()));
            }
        }
        Outbox.CommandResult result = t.outbox().command(t.name, id, command, actor, reason, Instant.now());
        switch (result) {
            case Outbox.CommandResult.NotFound nf -> throw notFound(id);
            case Outbox.CommandResult.Conflict c -> throw new CharterServer.ApiError(409, "action_state", c.message());
            case Outbox.CommandResult.Applied a -> {
                if (a.row().state() == Outbox.State.PLANNED) wake.run();
                reply(ctx, 200, JSON.createObjectNode().put("tenant", t.name).set("action", rowJson(a.row())));
            }
        }
    }

    /** Whether the actor (a person's id or any of their identities) is a named approver or in a named team. */
    static boolean mayApprove(Directory directory, String actor, List<String> approvers) {
        String person = directory.person(actor);
        for (String a : approvers) {
            // What an `approval by` whose owner(...) found no team leaves: it names no one, whatever the actor calls themself.
            if (a.equals(charter.compiler.eval.ApprovalPolicy.NOBODY)) continue;
            if (a.startsWith("team:")) {
                if (directory.inTeam(actor, a.substring(5))) return true;
            } else if (a.equals(actor) || a.equals(person)) {
                return true;
            }
        }
        return false;
    }

    private void pause(Context ctx, Tenant t, boolean pause) {
        JsonNode body = ctx.bodyAsBytes().length == 0 ? JSON.createObjectNode() : CharterServer.body(ctx);
        String tool = body.path("tool").asText("").strip();
        if (tool.isEmpty()) tool = Outbox.ALL_TOOLS;
        if (!tool.equals(Outbox.ALL_TOOLS) && charter.compiler.catalog.Catalog.standard().tool(tool).isEmpty()) {
            throw new CharterServer.ApiError(400, "unknown_tool", "unknown tool `" + tool + "`; name a tool of the catalog, such as pagerduty.page, or none for every tool");
        }
        if (pause) {
            String actor = body.path("actor").asText("").strip();
            String reason = body.path("reason").asText("").strip();
            t.outbox().pause(new Outbox.Pause(t.name, tool, actor, reason, Instant.now()));
        } else {
            t.outbox().resume(t.name, tool);
            wake.run();
        }
        pauses(ctx, t);
    }

    private void pauses(Context ctx, Tenant t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        ArrayNode list = n.putArray("paused");
        for (Outbox.Pause p : t.outbox().pauses(t.name)) {
            list.addObject().put("tool", p.tool()).put("actor", p.actor()).put("reason", p.reason()).put("since", p.since().toString());
        }
        reply(ctx, 200, n);
    }

    private static CharterServer.ApiError notFound(String id) {
        return new CharterServer.ApiError(404, "unknown_action", "no action `" + id + "` in this tenant (ids are in GET /v1/actions)");
    }
}
