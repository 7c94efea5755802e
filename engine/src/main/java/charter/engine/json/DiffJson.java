package charter.engine.json;

import charter.compiler.diff.ProgramDiff;
import charter.engine.impact.ChangeReport;
import charter.engine.impact.ImpactReport;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A {@link ChangeReport} as JSON: {@code charter diff --format json} and the server's {@code POST /v1/diff}
 * are this one tree. Keys in a fixed order, times ISO-8601 UTC, absent values null.
 */
public final class DiffJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DiffJson() {}

    public static ObjectNode tree(ChangeReport r) {
        ObjectNode out = NODES.objectNode();
        side(out.putObject("before"), r.before());
        side(out.putObject("after"), r.after());
        ObjectNode summary = out.putObject("summary");
        for (ProgramDiff.Op op : ProgramDiff.Op.values()) summary.put(op.label(), r.diff().count(op));
        ArrayNode changes = out.putArray("changes");
        for (ProgramDiff.Change c : r.diff().changes()) {
            ObjectNode node = changes.addObject();
            node.put("category", c.category().label());
            node.put("op", c.op().label());
            node.put("id", c.id());
            node.put("previousId", c.previousId());
            node.put("title", c.title());
            JsonValues.span(node.putObject("before"), c.before());
            JsonValues.span(node.putObject("after"), c.after());
            ArrayNode details = node.putArray("details");
            for (ProgramDiff.Detail d : c.details()) {
                details.addObject().put("aspect", d.aspect()).put("kind", d.kind().name().toLowerCase(java.util.Locale.ROOT))
                        .put("from", d.from()).put("to", d.to());
            }
            ArrayNode affected = node.putArray("affected");
            c.affected().forEach(affected::add);
        }
        if (r.impact() == null) out.putNull("impact");
        else impact(out.putObject("impact"), r.impact());
        return out;
    }

    private static void side(ObjectNode node, ChangeReport.Side side) {
        node.put("source", side.source());
        node.put("program", side.program());
        node.put("version", side.version());
    }

    private static void impact(ObjectNode out, ImpactReport r) {
        out.put("events", r.events());
        out.put("intents", r.intents());
        out.put("from", time(r.from()));
        out.put("until", time(r.until()));
        out.put("examplesPerKind", r.examplesPerKind());
        ObjectNode flips = out.putObject("flips");
        r.flips().forEach(flips::put);
        section(out, "actionsAdded", r.actionsAdded(), DiffJson::action);
        section(out, "actionsRemoved", r.actionsRemoved(), DiffJson::action);
        section(out, "actionsChanged", r.actionsChanged(), DiffJson::action);
        section(out, "decisionsFlipped", r.decisionsFlipped(), DiffJson::decision);
        section(out, "denialsChanged", r.denialsChanged(), DiffJson::decision);
        section(out, "violationsAppeared", r.violationsAppeared(), DiffJson::violation);
        section(out, "violationsVanished", r.violationsVanished(), DiffJson::violation);
        section(out, "violationsMoved", r.violationsMoved(), DiffJson::violation);
        section(out, "errorsAppeared", r.errorsAppeared(), DiffJson::error);
        section(out, "errorsVanished", r.errorsVanished(), DiffJson::error);
        ArrayNode rules = out.putArray("rules");
        for (ImpactReport.RuleCounts c : r.rules()) {
            rules.addObject().put("rule", c.rule()).put("before", c.before()).put("after", c.after()).put("added", c.added())
                    .put("removed", c.removed()).put("changed", c.changed()).put("errorsBefore", c.errorsBefore())
                    .put("errorsAfter", c.errorsAfter());
        }
        ArrayNode invariants = out.putArray("invariants");
        for (ImpactReport.InvariantCounts c : r.invariants()) {
            invariants.addObject().put("invariant", c.invariant()).put("denialsBefore", c.denialsBefore())
                    .put("denialsAfter", c.denialsAfter()).put("violationsBefore", c.violationsBefore())
                    .put("violationsAfter", c.violationsAfter()).put("flips", c.flips());
        }
    }

    private static <T> void section(ObjectNode out, String name, ImpactReport.Section<T> section, BiConsumer<ObjectNode, T> example) {
        ObjectNode node = out.putObject(name);
        node.put("count", section.count());
        ArrayNode examples = node.putArray("examples");
        for (T t : section.examples()) example.accept(examples.addObject(), t);
    }

    private static void action(ObjectNode node, ImpactReport.ActionDelta a) {
        node.put("time", time(a.time()));
        node.put("source", a.source());
        node.put("tool", a.tool());
        node.put("actionIndex", a.actionIndex());
        cites(node, a.events());
        node.put("intentId", a.intentId());
        node.set("argsBefore", a.argsBefore() == null ? NODES.nullNode() : JsonValues.value(a.argsBefore()));
        node.set("argsAfter", a.argsAfter() == null ? NODES.nullNode() : JsonValues.value(a.argsAfter()));
        node.put("error", a.error());
    }

    private static void decision(ObjectNode node, ImpactReport.DecisionDelta d) {
        node.put("time", time(d.time()));
        node.put("intentId", d.intentId());
        node.put("intent", d.intent());
        node.put("actor", d.actor());
        node.set("params", JsonValues.value(d.params()));
        node.put("before", d.before().label());
        node.put("after", d.after().label());
        deniers(node.putArray("deniedBefore"), d.deniedBefore());
        deniers(node.putArray("deniedAfter"), d.deniedAfter());
        node.put("overridden", d.overridden());
        ArrayNode errors = node.putArray("errors");
        d.errors().forEach(errors::add);
    }

    private static void deniers(ArrayNode out, List<ImpactReport.Denier> deniers) {
        for (ImpactReport.Denier d : deniers) out.addObject().put("invariant", d.invariant()).put("level", d.level());
    }

    private static void violation(ObjectNode node, ImpactReport.ViolationDelta v) {
        node.put("invariant", v.invariant());
        node.put("level", v.level());
        node.put("timeBefore", time(v.timeBefore()));
        node.put("timeAfter", time(v.timeAfter()));
        cites(node, v.events());
    }

    private static void error(ObjectNode node, ImpactReport.ErrorDelta e) {
        node.put("time", time(e.time()));
        node.put("source", e.source());
        cites(node, e.events());
        node.put("intentId", e.intentId());
        node.put("message", e.message());
    }

    private static void cites(ObjectNode node, List<ImpactReport.Cite> cites) {
        ArrayNode events = node.putArray("events");
        for (ImpactReport.Cite c : cites) events.addObject().put("id", c.id()).put("type", c.type()).put("time", time(c.time()));
    }

    private static String time(Instant t) {
        return JsonValues.time(t);
    }
}
