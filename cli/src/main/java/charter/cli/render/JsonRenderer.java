package charter.cli.render;

import charter.cli.report.BlameReport;
import charter.cli.report.CheckReport;
import charter.cli.report.WatchEventReport;
import charter.gitsync.Blame;
import charter.gitsync.ProgramCommit;
import charter.gitsync.WatchEventJson;
import charter.cli.report.CommandResult;
import charter.cli.report.CompileReport;
import charter.cli.report.DiagnosticSet;
import charter.cli.report.EventsReport;
import charter.cli.report.FmtReport;
import charter.cli.report.GraphReport;
import charter.cli.report.IngestRunReport;
import charter.cli.report.Rejected;
import charter.cli.report.SimulationReport;
import charter.cli.report.TestRunReport;
import charter.compiler.ast.Span;
import charter.compiler.diag.Diagnostic;
import charter.compiler.generate.GeneratedDrl;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.event.EventFileError;
import charter.engine.ingest.IngestReport;
import charter.engine.json.DiffJson;
import charter.engine.json.JsonValues;
import charter.engine.json.SimulationJson;
import charter.engine.ingest.Normalised;
import charter.engine.store.EventStore;
import charter.engine.scenario.ScenarioError;
import charter.engine.scenario.ScenarioOutcome;
import charter.engine.scenario.TestReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * The rendering for machines: one JSON document on stdout per command, keys in a fixed
 * order (built explicitly, never by reflection), times as ISO-8601 instants in UTC.
 */
public final class JsonRenderer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ObjectMapper mapper = new ObjectMapper();

    public Rendered render(CommandResult result) {
        if (result instanceof WatchEventReport) {
            // A stream: one compact object a line, so a reader can act on each as it comes.
            try {
                return Rendered.out(mapper.writeValueAsString(tree(result)) + "\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON", e);
            }
        }
        return Rendered.out(write(tree(result)));
    }

    /** The JSON tree of a result, before it is written. */
    public ObjectNode tree(CommandResult result) {
        return switch (result) {
            case CheckReport r -> check(r);
            case FmtReport r -> fmt(r);
            case CompileReport r -> compile(r);
            case SimulationReport r -> simulation(r);
            case TestRunReport r -> {
                ObjectNode node = test(r.report());
                if (r.coverage() != null) node.set("coverage", coverage(r));
                yield node;
            }
            case charter.cli.report.DiffReport r -> DiffJson.tree(r.result());
            case Rejected r -> rejected(r);
            case IngestRunReport r -> ingest(r);
            case EventsReport r -> events(r);
            case GraphReport r -> graph(r);
            case BlameReport r -> blame(r.result());
            case WatchEventReport r -> watch(r);
            case charter.cli.report.CatalogReport r -> catalog(r);
            case charter.cli.report.ExplainReport r -> charter.engine.json.ExplanationJson.tree(r.explanation());
        };
    }

    private static ObjectNode commit(ProgramCommit c) {
        return WatchEventJson.commit(c);
    }

    private ObjectNode blame(Blame.Result b) {
        ObjectNode out = NODES.objectNode();
        out.put("rule", b.rule());
        out.put("kind", b.kind());
        out.put("folder", b.folder());
        out.put("file", b.file());
        out.put("line", b.line());
        out.put("revision", b.revision());
        out.set("introduced", commit(b.introduced()));
        out.set("lastChanged", commit(b.lastChanged()));
        ArrayNode renames = out.putArray("renames");
        for (Blame.Rename r : b.renames()) {
            ObjectNode n = renames.addObject();
            n.put("from", r.from());
            n.put("to", r.to());
            n.set("commit", commit(r.commit()));
        }
        out.put("commitsExamined", b.commitsExamined());
        return out;
    }

    private ObjectNode watch(WatchEventReport r) {
        ObjectNode out = NODES.objectNode();
        out.put("kind", r.event().kind().label());
        out.put("branch", r.branch());
        out.setAll(WatchEventJson.tree(r.event()));   // keeps kind first and branch second
        return out;
    }

    private String write(JsonNode node) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private ObjectNode check(CheckReport r) {
        ObjectNode out = NODES.objectNode();
        out.put("dir", r.dir());
        out.put("ok", r.exitCode() == 0);
        out.put("strict", r.strict());
        counts(out, r.diagnostics());
        out.set("diagnostics", diagnostics(r.diagnostics()));
        return out;
    }

    private ObjectNode fmt(FmtReport r) {
        ObjectNode out = NODES.objectNode();
        out.put("dir", r.dir());
        out.put("check", r.checkOnly());
        out.put("ok", r.exitCode() == 0);
        ArrayNode files = out.putArray("files");
        for (FmtReport.FileStatus f : r.files()) files.addObject().put("file", f.file()).put("status", f.status().label());
        out.set("diagnostics", diagnostics(r.diagnostics()));
        return out;
    }

    private ObjectNode compile(CompileReport r) {
        ObjectNode out = NODES.objectNode();
        out.put("program", r.program());
        out.put("version", r.version());
        out.put("drl", r.drl().drl());
        ArrayNode map = out.putArray("sourceMap");
        for (GeneratedDrl.SourceMapEntry e : r.drl().sourceMap()) {
            ObjectNode entry = map.addObject();
            entry.put("drlRule", e.drlRule());
            entry.put("firstLine", e.firstLine());
            entry.put("lastLine", e.lastLine());
            entry.put("owner", e.ownerId());
            span(entry, e.span());
        }
        out.set("diagnostics", diagnostics(r.warnings()));
        return out;
    }

    private ObjectNode rejected(Rejected r) {
        ObjectNode out = NODES.objectNode();
        out.put("command", r.command());
        out.put("dir", r.dir());
        out.put("ok", false);
        counts(out, r.diagnostics());
        out.set("diagnostics", diagnostics(r.diagnostics()));
        ArrayNode input = out.putArray("inputErrors");
        for (EventFileError e : r.inputErrors()) {
            input.addObject().put("file", e.file()).put("line", e.line()).put("column", e.column()).put("message", e.message());
        }
        return out;
    }

    // ---- diagnostics

    private static void counts(ObjectNode out, DiagnosticSet set) {
        out.put("errors", set.errors());
        out.put("warnings", set.warnings());
    }

    static ArrayNode diagnostics(DiagnosticSet set) {
        ArrayNode out = NODES.arrayNode();
        for (Diagnostic d : set.all()) out.add(JsonValues.diagnostic(d));
        return out;
    }

    /** file, line, column, endLine, endColumn; all null when there is no span ({@link JsonValues#span}). */
    static void span(ObjectNode node, Span span) {
        JsonValues.span(node, span);
    }

    // ---- simulate and demo

    private ObjectNode simulation(SimulationReport report) {
        ObjectNode out = NODES.objectNode();
        if (report.demo() != null) {
            out.putObject("demo").put("example", report.demo().example()).put("eventsFile", report.demo().eventsFile());
        }
        out.setAll(SimulationJson.tree(report.result()));
        return out;
    }

    private static ObjectNode map(Map<String, Object> values) {
        return JsonValues.map(values);
    }

    /** A runtime value, as every JSON rendering writes it ({@link JsonValues#value}). */
    static JsonNode value(Object v) {
        return JsonValues.value(v);
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    // ---- ingest, events, graph

    private ObjectNode ingest(IngestRunReport r) {
        IngestReport ir = r.result();
        ObjectNode out = NODES.objectNode();
        out.put("source", r.source());
        out.put("tenant", r.tenant());
        out.put("data", r.data());
        out.put("ok", r.exitCode() == 0);
        out.put("verified", r.verified());
        out.put("program", r.program());
        ObjectNode counts = out.putObject("counts");
        counts.put("accepted", ir.accepted().size());
        counts.put("duplicates", ir.duplicates().size());
        counts.put("rejected", ir.rejected().size());
        ArrayNode accepted = out.putArray("accepted");
        for (IngestReport.Accepted a : ir.accepted()) {
            accepted.addObject().put("file", a.label()).put("deliveryId", a.deliveryId()).put("eventId", a.eventId())
                    .put("type", a.type()).put("significance", a.significance());
        }
        ArrayNode duplicates = out.putArray("duplicates");
        for (IngestReport.Duplicate d : ir.duplicates()) {
            duplicates.addObject().put("file", d.label()).put("deliveryId", d.deliveryId())
                    .put("repeatedInInput", d.inInput());
        }
        ArrayNode rejected = out.putArray("rejected");
        for (IngestReport.Rejection x : ir.rejected()) {
            rejected.addObject().put("file", x.label()).put("code", x.code()).put("message", x.message());
        }
        ArrayNode warnings = out.putArray("warnings");
        for (IngestReport.Warning w : ir.warnings()) warnings.addObject().put("file", w.label()).put("message", w.message());
        return out;
    }

    /** `{view: listing|entry|search, filter|query, count, entries}`; each entry in `CatalogJson`'s shape. */
    private ObjectNode catalog(charter.cli.report.CatalogReport r) {
        ObjectNode out = NODES.objectNode();
        switch (r.view()) {
            case charter.cli.report.CatalogReport.View.Listing l -> {
                out.put("view", "listing").put("filter", l.filter()).put("count", l.entries().size());
                ArrayNode entries = out.putArray("entries");
                l.entries().forEach(e -> entries.add(charter.engine.json.CatalogJson.entry(e)));
            }
            case charter.cli.report.CatalogReport.View.One o -> {
                out.put("view", "entry").put("count", 1);
                out.putArray("entries").add(charter.engine.json.CatalogJson.entry(o.entry()));
            }
            case charter.cli.report.CatalogReport.View.Search s -> {
                out.put("view", "search").put("query", s.query()).put("count", s.hits().size());
                ArrayNode entries = out.putArray("entries");
                s.hits().forEach(h -> entries.add(charter.engine.json.CatalogJson.hit(h)));
            }
        }
        return out;
    }

    private ObjectNode events(EventsReport r) {
        ObjectNode out = NODES.objectNode();
        out.put("tenant", r.tenant());
        out.put("data", r.data());
        ObjectNode query = out.putObject("query");
        query.put("since", time(r.query().since()));
        query.put("type", r.query().type());
        query.put("source", r.query().source());
        if (r.query().limit() == Integer.MAX_VALUE) query.putNull("limit");
        else query.put("limit", r.query().limit());
        out.put("count", r.events().size());
        ArrayNode events = out.putArray("events");
        for (EventStore.StoredEvent s : r.events()) events.add(storedEvent(s));
        return out;
    }

    /** A stored event: its place in the log, then the canonical event in the --events file format. */
    private static ObjectNode storedEvent(EventStore.StoredEvent s) {
        CanonicalEvent e = s.event();
        ObjectNode node = NODES.objectNode();
        node.put("sequence", s.sequence());
        node.put("deliveryId", s.deliveryId());
        node.put("id", e.id());
        node.put("source", e.source());
        node.put("type", e.type());
        node.put("time", time(e.time()));
        node.set("data", map(e.data()));
        ArrayNode refs = node.putArray("entities");
        for (EntityRef ref : e.entities()) refs.addObject().put("type", ref.type()).put("key", ref.key());
        if (e.significance() == null) node.putNull("significance");
        else node.put("significance", e.significance());
        return node;
    }

    private ObjectNode graph(GraphReport r) {
        ObjectNode out = NODES.objectNode();
        out.put("tenant", r.tenant());
        out.put("data", r.data());
        out.put("key", r.key());
        out.put("type", r.type());
        out.put("truth", r.truth());
        ArrayNode entities = out.putArray("entities");
        for (GraphReport.Node n : r.entities()) {
            EventStore.EntityView v = n.view();
            ObjectNode node = entities.addObject();
            node.put("type", v.type());
            node.put("key", v.key());
            node.put("firstSeen", time(v.firstSeen()));
            node.put("lastSeen", time(v.lastSeen()));
            node.put("occurrences", v.occurrences());
            ObjectNode values = node.putObject("values");
            n.resolved().forEach((attribute, c) -> values.set(attribute, claim(c, false)));
            ArrayNode claims = node.putArray("claims");
            for (Normalised.Claim c : v.claims()) claims.add(claim(c, true));
            ArrayNode relations = node.putArray("relations");
            for (int i = 0; i < v.relations().size(); i++) {
                Normalised.Relation rel = v.relations().get(i);
                boolean outgoing = rel.fromType().equals(v.type()) && rel.fromKey().equals(v.key());
                ObjectNode edge = relations.addObject();
                edge.put("direction", outgoing ? "out" : "in");
                edge.put("kind", rel.kind());
                edge.putObject("from").put("type", rel.fromType()).put("key", rel.fromKey());
                edge.putObject("to").put("type", rel.toType()).put("key", rel.toKey());
                edge.put("eventId", v.relationEventIds().get(i));
            }
            ArrayNode citations = node.putArray("citations");
            for (EventStore.StoredEvent s : n.citations()) {
                citations.addObject().put("sequence", s.sequence()).put("id", s.event().id())
                        .put("type", s.event().type()).put("source", s.event().source()).put("time", time(s.event().time()));
            }
        }
        return out;
    }

    private static ObjectNode claim(Normalised.Claim c, boolean withAttribute) {
        ObjectNode node = NODES.objectNode();
        if (withAttribute) node.put("attribute", c.attribute());
        node.set("value", value(c.value()));
        node.put("source", c.source());
        node.put("time", time(c.time()));
        node.put("eventId", c.eventId());
        return node;
    }

    // ---- test

    /** `{percent, outcomesSeen, outcomesTotal, minimum, belowMinimum, items: [{kind, id, file, line, covered, outcomes: [{name, seenIn}]}]}`. */
    private static ObjectNode coverage(TestRunReport r) {
        charter.engine.scenario.Coverage c = r.coverage();
        ObjectNode out = NODES.objectNode();
        out.put("percent", Math.round(c.percent() * 10) / 10.0);
        out.put("outcomesSeen", c.outcomesSeen());
        out.put("outcomesTotal", c.outcomesTotal());
        if (r.minCoverage() == null) out.putNull("minimum"); else out.put("minimum", r.minCoverage());
        out.put("belowMinimum", r.belowMinimum());
        ArrayNode items = out.putArray("items");
        for (charter.engine.scenario.Coverage.Item item : c.items()) {
            ObjectNode node = items.addObject();
            node.put("kind", item.kind().label()).put("id", item.id());
            node.put("file", item.span() == null ? null : item.span().file());
            if (item.span() == null) node.putNull("line"); else node.put("line", item.span().line());
            node.put("covered", item.covered());
            ArrayNode outcomes = node.putArray("outcomes");
            for (charter.engine.scenario.Coverage.Outcome o : item.outcomes()) {
                ArrayNode seen = outcomes.addObject().put("name", o.name()).putArray("seenIn");
                o.seenIn().forEach(seen::add);
            }
        }
        ArrayNode conditions = out.putArray("conditions");
        for (charter.engine.scenario.Coverage.ConditionItem cond : c.conditions()) {
            ObjectNode node = conditions.addObject();
            node.put("owner", cond.owner()).put("text", cond.text());
            span(node, cond.span());
            node.put("covered", cond.covered());
            cond.trueIn().forEach(node.putArray("trueIn")::add);
            cond.falseIn().forEach(node.putArray("falseIn")::add);
        }
        return out;
    }

    private ObjectNode test(TestReport report) {
        ObjectNode out = NODES.objectNode();
        out.put("program", report.program());
        out.put("version", report.version());
        out.put("ok", report.passed() && report.errors().isEmpty());
        out.put("passed", report.scenarios().stream().filter(ScenarioOutcome::passed).count());
        out.put("failed", report.scenarios().stream().filter(s -> !s.passed()).count());
        ArrayNode scenarios = out.putArray("scenarios");
        for (ScenarioOutcome s : report.scenarios()) {
            ObjectNode node = scenarios.addObject();
            node.put("file", s.file());
            node.put("name", s.name());
            node.put("passed", s.passed());
            ArrayNode differences = node.putArray("differences");
            s.differences().forEach(differences::add);
        }
        ArrayNode errors = out.putArray("errors");
        for (ScenarioError e : report.errors()) {
            errors.addObject().put("file", e.file()).put("line", e.line()).put("column", e.column()).put("message", e.message());
        }
        return out;
    }
}
