package charter.engine.json;

import static charter.engine.json.JsonValues.map;
import static charter.engine.json.JsonValues.span;
import static charter.engine.json.JsonValues.time;

import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A dry run as JSON: {@code charter simulate --format json} and the server's
 * {@code POST /v1/simulate} are this one tree. Keys in a fixed order (built explicitly,
 * never by reflection), times ISO-8601 UTC.
 */
public final class SimulationJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SimulationJson() {}

    /** program, version, from, until, events, intents, timeline, summary. */
    public static ObjectNode tree(SimulationResult r) {
        ObjectNode out = NODES.objectNode();
        out.put("program", r.program());
        out.put("version", r.version());
        out.put("from", time(r.from()));
        out.put("until", time(r.until()));
        out.put("events", r.events());
        out.put("intents", r.intents());
        ArrayNode timeline = out.putArray("timeline");
        for (TimelineEntry e : r.timeline()) timeline.add(entry(e));
        ObjectNode summary = out.putObject("summary");
        summary.put("actions", r.actions().size());
        summary.put("decisions", r.decisions().size());
        summary.put("denied", r.decisions().stream().filter(d -> d.verdict() != TimelineEntry.Verdict.ALLOW).count());
        summary.put("violations", r.violations().size());
        summary.put("ruleErrors", r.errors().size());
        summary.put("duplicateActionsSkipped", r.duplicateActionsSkipped());
        ObjectNode counts = summary.putObject("countsByRule");
        r.countsByRule().forEach(counts::put);
        return out;
    }

    /** One timeline entry with its provenance. */
    public static ObjectNode entry(TimelineEntry entry) {
        return switch (entry) {
            case TimelineEntry.PlannedAction a -> action(a);
            case TimelineEntry.Decision d -> {
                ObjectNode out = NODES.objectNode();
                out.put("kind", "decision");
                out.put("time", time(d.time()));
                out.put("intentId", d.intentId());
                out.put("intent", d.intent());
                out.put("actor", d.actor());
                if (d.reason() != null) out.put("reason", d.reason());
                out.set("params", map(d.params()));
                out.put("verdict", d.verdict().label());
                ArrayNode denials = out.putArray("denials");
                for (TimelineEntry.Denial denial : d.denials()) {
                    ObjectNode node = denials.addObject();
                    node.put("invariant", denial.invariant());
                    node.put("level", denial.level());
                    node.put("title", denial.title());
                    node.put("because", denial.because());
                    node.set("provenance", provenance(denial.provenance()));
                }
                ArrayNode actions = out.putArray("actions");
                for (TimelineEntry.PlannedAction a : d.actions()) actions.add(action(a));
                if (d.override() == null) out.putNull("override");
                else out.putObject("override").put("actor", d.override().actor()).put("reason", d.override().reason());
                if (d.overrideRefused() != null) out.put("overrideRefused", d.overrideRefused());
                out.put("programVersion", d.programVersion());
                yield out;
            }
            case TimelineEntry.Violation v -> {
                ObjectNode out = NODES.objectNode();
                out.put("kind", "violation");
                out.put("time", time(v.time()));
                out.put("invariant", v.invariant());
                out.put("level", v.level());
                out.put("title", v.title());
                out.put("because", v.because());
                out.set("provenance", provenance(v.provenance()));
                yield out;
            }
            case TimelineEntry.SkippedAction k -> {
                ObjectNode out = NODES.objectNode();
                out.put("kind", "skipped");
                out.put("time", time(k.time()));
                out.put("actionId", k.actionId());
                out.put("tool", k.tool());
                out.put("actionIndex", k.actionIndex());
                out.put("reason", k.reason());
                out.set("provenance", provenance(k.provenance()));
                yield out;
            }
            case TimelineEntry.RuleError e -> {
                ObjectNode out = NODES.objectNode();
                out.put("kind", "error");
                out.put("time", time(e.time()));
                out.put("message", e.message());
                out.set("provenance", provenance(e.provenance()));
                yield out;
            }
        };
    }

    private static ObjectNode action(TimelineEntry.PlannedAction a) {
        ObjectNode out = NODES.objectNode();
        out.put("kind", "action");
        out.put("time", time(a.time()));
        out.put("actionId", a.actionId());
        out.put("tool", a.tool());
        out.set("args", map(a.args()));
        out.put("actionIndex", a.actionIndex());
        out.set("provenance", provenance(a.provenance()));
        if (!a.approvers().isEmpty()) {
            // What the Program's `approval by` asks; the outbox row's `approvers` adds the connectors: block's.
            ArrayNode by = out.putArray("approvalBy");
            a.approvers().forEach(by::add);
        }
        return out;
    }

    /** What caused an output: the rule, invariant or intent (with its source span), the events or intent, the version. */
    public static JsonNode provenance(Provenance p) {
        if (p == null) return NODES.nullNode();
        ObjectNode out = NODES.objectNode();
        out.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
        out.put("id", p.id());
        span(out, p.span());
        ArrayNode events = out.putArray("eventIds");
        p.eventIds().forEach(events::add);
        out.put("intentId", p.intentId());
        out.put("programVersion", p.programVersion());
        return out;
    }
}
