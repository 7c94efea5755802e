package charter.server;

import static charter.server.CharterServer.JSON;
import static charter.server.CharterServer.MAX_PAGE;
import static charter.server.CharterServer.longParam;
import static charter.server.CharterServer.reply;

import charter.engine.json.SimulationJson;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import charter.engine.store.EventStore;
import charter.engine.store.OutcomeStore;
import charter.engine.store.OutcomeStore.Kind;
import charter.engine.store.OutcomeStore.StoredOutput;
import charter.engine.store.OutputIds;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The read side of what the engine made of a tenant's log — planned actions, violations, rule
 * errors, the chain behind any of them or behind a decision ({@code /v1/trace/{id}}), how far the
 * Program has run ({@code /v1/status}) — and the erasure of a tenant's data
 * ({@code DELETE /v1/tenant}). Everything is read from the store, scoped to the token's tenant.
 */
final class OutcomeApi {
    private final EventStore store;

    OutcomeApi(EventStore store) {
        this.store = store;
    }

    void routes(RoutesConfig r, BiFunction<TokenStore.Scope, CharterServer.TenantHandler, Handler> authed) {
        r.get("/v1/violations", authed.apply(TokenStore.Scope.READ, (ctx, t) -> page(ctx, t, Kind.VIOLATION, "violations", "invariant")));
        r.get("/v1/errors", authed.apply(TokenStore.Scope.READ, (ctx, t) -> page(ctx, t, Kind.ERROR, "errors", "rule")));
        r.get("/v1/trace/{id}", authed.apply(TokenStore.Scope.READ, this::trace));
        r.get("/v1/status", authed.apply(TokenStore.Scope.READ, this::status));
        r.delete("/v1/tenant", authed.apply(TokenStore.Scope.ADMIN, this::erase));
    }

    /** One kind of output, in recording order, filtered by the rule or invariant that made it. */
    private void page(Context ctx, Tenant t, Kind kind, String listName, String originParam) {
        long after = longParam(ctx, "after", 0);
        int limit = CharterServer.pageLimit(ctx, 100, MAX_PAGE);
        String origin = ctx.queryParam(originParam);
        List<StoredOutput> page = t.outcomes().outputs(t.name, new OutcomeStore.OutputQuery(kind, origin, after, limit));
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        ArrayNode list = n.putArray(listName);
        for (StoredOutput o : page) list.add(outputJson(o));
        if (page.size() == limit) {
            n.put("next", "/v1/" + listName + "?after=" + page.getLast().sequence() + "&limit=" + limit
                    + CharterServer.param(originParam, origin));
        } else {
            n.putNull("next");
        }
        reply(ctx, 200, n);
    }

    /** An output as {@code charter simulate --format json} shows it, plus where it stands in the store. */
    static ObjectNode outputJson(StoredOutput stored) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sequence", stored.sequence());
        o.put("id", stored.outputId());
        o.put("eventSequence", stored.eventSequence());
        if (stored.entry() instanceof TimelineEntry.PlannedAction) o.put("status", "planned");
        o.setAll(SimulationJson.entry(stored.entry()));
        return o;
    }

    /**
     * The chain behind an output or a decision: what made it (rule or invariant, with its source
     * span), the events (or the intent) that triggered it, and the Program version (the commit when
     * the Program comes from Git). {@code id} is an output id or an intent id.
     */
    private void trace(Context ctx, Tenant t) {
        String id = ctx.pathParam("id");
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("id", id);
        var output = t.outcomes().output(t.name, id);
        if (output.isPresent()) {
            Provenance p = OutputIds.provenance(output.get().entry());
            n.put("kind", Kind.of(output.get().entry()).label());
            n.set("output", outputJson(output.get()));
            n.set("cause", SimulationJson.provenance(p));
            n.set("events", events(t, p.eventIds()));
            if (p.intentId() != null) {
                t.outcomes().latestDecision(t.name, p.intentId())
                        .ifPresent(d -> n.set("intent", CharterServer.decisionJson(d.decision(), d, false)));
            }
            n.put("programVersion", p.programVersion());
            if (output.get().entry() instanceof TimelineEntry.PlannedAction) {   // on to what was done with it
                store.outbox().get(t.name, id).ifPresent(row -> {
                    n.set("carriedOut", ActionApi.rowJson(row));
                    n.set("attempts", ActionApi.attemptsJson(store.outbox().attempts(t.name, id)));
                    if (!row.url().isEmpty()) n.put("url", row.url());
                });
            }
            reply(ctx, 200, n);
            return;
        }
        var decision = t.outcomes().latestDecision(t.name, id)
                .orElseThrow(() -> new CharterServer.ApiError(404, "unknown_id", "no action, violation, error or decision `" + id
                        + "` in this tenant (ids are in GET /v1/actions, /v1/violations, /v1/errors and /v1/decisions)"));
        n.put("kind", "decision");
        n.set("decision", CharterServer.decisionJson(decision.decision(), decision, false));
        ArrayNode causes = n.putArray("invariants");
        for (TimelineEntry.Denial d : decision.decision().denials()) {
            ObjectNode c = JSON.createObjectNode();
            c.setAll((ObjectNode) SimulationJson.provenance(d.provenance()));
            c.put("level", d.level());
            c.put("because", d.because());
            causes.add(c);
        }
        n.putObject("intentRequest")
                .put("id", decision.request().id())
                .put("intent", decision.request().intent())
                .put("actor", decision.request().actor())
                .put("time", decision.request().time().toString())
                .set("params", JSON.valueToTree(decision.request().params()));
        n.put("programVersion", decision.decision().programVersion());
        reply(ctx, 200, n);
    }

    private ArrayNode events(Tenant t, List<String> ids) {
        ArrayNode list = JSON.createArrayNode();
        for (String eventId : ids) {
            var e = store.event(t.name, eventId);
            if (e.isPresent()) list.add(CharterServer.eventJson(e.get()));
            else list.addObject().put("id", eventId).put("missing", "not in this tenant's log (erased, or from a dry run)");
        }
        return list;
    }

    private void status(Context ctx, Tenant t) {
        long processed = t.processedSequence();
        boolean behind = !store.events(t.name, new EventStore.EventQuery(null, null, null, processed, 1)).isEmpty();
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("programVersion", t.engine().version());
        n.put("processedSequence", processed);
        n.put("caughtUp", !behind);
        n.put("webhooksWaiting", t.webhooksWaiting());
        Throwable failure = t.consumerFailure();
        if (failure == null) n.putNull("lastConsumerFailure");
        // A store failure's message names where the store is: the server's log has it.
        else n.put("lastConsumerFailure", failure instanceof charter.engine.store.StoreException
                ? CharterServer.STORE_UNAVAILABLE : String.valueOf(failure.getMessage()));
        reply(ctx, 200, n);
    }

    private void erase(Context ctx, Tenant t) {
        t.erase();
        ObjectNode n = JSON.createObjectNode();
        n.put("tenant", t.name);
        n.put("status", "erased");
        n.put("message", "the tenant's deliveries, events, entities, claims, relations, outputs and decisions were deleted; "
                + "its Program, configuration and API tokens remain");
        reply(ctx, 200, n);
    }
}
