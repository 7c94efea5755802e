package charter.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.cli.report.CheckReport;
import charter.cli.report.CommandResult;
import charter.cli.report.DiagnosticSet;
import charter.cli.report.FmtReport;
import charter.cli.report.Rejected;
import charter.cli.report.SimulationReport;
import charter.cli.report.TestRunReport;
import charter.compiler.ast.Span;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.SourceText;
import charter.engine.event.EventFileError;
import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.scenario.ScenarioError;
import charter.engine.scenario.ScenarioOutcome;
import charter.engine.scenario.TestReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text and JSON renderings of one result say the same thing. */
class RenderersTest {
    private final TextRenderer text = new TextRenderer();
    private final JsonRenderer json = new JsonRenderer();
    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode parse(CommandResult r) throws Exception {
        Rendered rendered = json.render(r);
        assertEquals("", rendered.err(), "JSON goes to stdout only");
        return mapper.readTree(rendered.out());
    }

    static DiagnosticSet typo() {
        String line = "  when vercel.deployment.error d where d.targt == \"production\"";
        SourceText source = SourceText.of("rules/deploys.charter", "rule r {\n" + line + "\n}\n");
        Diagnostic d = Diagnostic.error(Code.UNKNOWN_FIELD, new Span("rules/deploys.charter", 2, 41, 2, 46),
                "unknown field `targt` on vercel.deployment.error").withSuggestion("target");
        Diagnostic w = Diagnostic.warning(Code.UNBOUNDED_JOIN, null, "something to look at");
        return new DiagnosticSet(List.of(d, w), Map.of("rules/deploys.charter", source));
    }

    @Test
    void checkReportShowsTheSameDiagnosticsInBothFormats() throws Exception {
        CheckReport report = new CheckReport("prog", typo());
        Rendered t = text.render(report);
        assertEquals("1 error, 1 warning\n", t.out());
        assertTrue(t.err().contains("error[CH402]: unknown field `targt` on vercel.deployment.error"), t.err());
        assertTrue(t.err().contains("--> rules/deploys.charter:2:41"), t.err());
        assertTrue(t.err().contains("^^^^^ did you mean `target`?"), t.err());
        assertTrue(t.err().contains("warning[CH501]: something to look at"), t.err());

        JsonNode j = parse(report);
        assertEquals(List.of("dir", "ok", "strict", "errors", "warnings", "diagnostics"), fieldNames(j));
        assertFalse(j.get("ok").asBoolean());
        assertEquals(1, j.get("errors").asInt());
        assertEquals(1, j.get("warnings").asInt());
        JsonNode d = j.get("diagnostics").get(0);
        assertEquals("error", d.get("severity").asText());
        assertEquals("CH402", d.get("code").asText());
        assertEquals("rules/deploys.charter", d.get("file").asText());
        assertEquals(2, d.get("line").asInt());
        assertEquals(41, d.get("column").asInt());
        assertEquals("target", d.get("suggestion").asText());
        assertTrue(j.get("diagnostics").get(1).get("file").isNull());
        assertEquals(1, report.exitCode());
    }

    @Test
    void fmtReportListsTheSameFiles() throws Exception {
        FmtReport report = new FmtReport("prog", true, List.of(
                new FmtReport.FileStatus("a.charter", FmtReport.Status.CANONICAL),
                new FmtReport.FileStatus("b.charter", FmtReport.Status.NOT_CANONICAL)), DiagnosticSet.EMPTY);
        assertEquals(java.nio.file.Path.of("prog", "b.charter") + "\n", text.render(report).out());
        JsonNode j = parse(report);
        assertEquals("not-canonical", j.get("files").get(1).get("status").asText());
        assertEquals("canonical", j.get("files").get(0).get("status").asText());
        assertFalse(j.get("ok").asBoolean());
        assertEquals(1, report.exitCode());
    }

    static SimulationResult simulation() {
        Span rule = new Span("main.charter", 7, 1, 10, 2);
        Provenance byRule = new Provenance(Provenance.Kind.RULE, "page", rule, List.of("e1", "e2"), null, "sha256:abc");
        Provenance byGuard = new Provenance(Provenance.Kind.INVARIANT, "no_friday", new Span("main.charter", 18, 1, 22, 2),
                List.of(), "i1", "sha256:abc");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("channel", "#incidents");
        args.put("text", "Deploy \"api\" failed\nnow");
        args.put("priority", 1.0);
        args.put("labels", List.of("a", "b"));
        var action = new TimelineEntry.PlannedAction(Instant.parse("2026-03-06T10:00:00Z"), "act_1", "slack.post", args, 0, byRule);
        var decision = new TimelineEntry.Decision(Instant.parse("2026-03-06T11:00:00Z"), "i1", "ship", "bob",
                null, Map.of("target", "production"), TimelineEntry.Verdict.DENY,
                List.of(new TimelineEntry.Denial("no_friday", "hard", "No Friday deploys", "Weekends", byGuard)),
                List.of(), null, null, "sha256:abc");
        var violation = new TimelineEntry.Violation(Instant.parse("2026-03-06T10:16:00Z"), "fatal_assigned", "soft", null,
                "Owners", new Provenance(Provenance.Kind.INVARIANT, "fatal_assigned", rule, List.of("e2"), null, "sha256:abc"));
        return new SimulationResult("tiny", "sha256:abc", Instant.parse("2026-03-06T10:00:00Z"),
                Instant.parse("2026-03-06T11:00:00Z"), 2, 1, List.of(action, violation, decision),
                Map.of("page", 1, "no_friday", 1, "fatal_assigned", 1), 0);
    }

    @Test
    void anActionThatWaitsForApprovalSaysByWhomInTextAndJson() throws Exception {
        SimulationResult plain = simulation();
        var action = (TimelineEntry.PlannedAction) plain.timeline().getFirst();
        var waiting = new TimelineEntry.PlannedAction(action.time(), action.actionId(), action.tool(), action.args(), 0,
                action.provenance(), List.of("team:platform", "alice"));
        List<TimelineEntry> timeline = new java.util.ArrayList<>(plain.timeline());
        timeline.set(0, waiting);
        SimulationReport report = new SimulationReport(new SimulationResult(plain.program(), plain.version(), plain.from(), plain.until(),
                plain.events(), plain.intents(), timeline, plain.countsByRule(), plain.duplicateActionsSkipped()), null);
        String out = text.render(report).out();
        assertTrue(out.contains("\n" + " ".repeat(22) + "waits for approval by team:platform, alice\n"), out);
        assertEquals("[\"team:platform\",\"alice\"]", parse(report).get("timeline").get(0).get("approvalBy").toString());
        assertFalse(text.render(new SimulationReport(plain, null)).out().contains("waits for approval"));
    }

    @Test
    void simulationTimelineAndSummaryAgree() throws Exception {
        SimulationReport report = new SimulationReport(simulation(), null);
        String out = text.render(report).out();
        assertTrue(out.contains("2026-03-06T10:00:00Z  action     slack.post(channel: \"#incidents\", "
                + "text: \"Deploy \\\"api\\\" failed\\nnow\", priority: 1, labels: [\"a\", \"b\"])"), out);
        assertTrue(out.contains("from rule page at main.charter:7:1; events e1, e2; version sha256:abc"), out);
        assertTrue(out.contains("ship i1 by bob: DENY"), out);
        assertTrue(out.contains("denied by no_friday (hard) \"No Friday deploys\" because \"Weekends\""), out);
        assertTrue(out.contains("from invariant no_friday at main.charter:18:1; intent i1; version sha256:abc"), out);
        assertTrue(out.contains("violation  fatal_assigned (soft) because \"Owners\""), out);
        assertTrue(out.contains("Summary: 1 action planned, 1 intent decided (1 denied), 1 violation, 0 rule errors"), out);
        assertTrue(out.contains("  fatal_assigned  1\n  no_friday       1\n  page            1\n"), out);
        assertEquals(3, out.lines().filter(l -> l.startsWith("2026-")).count());

        JsonNode j = parse(report);
        assertEquals(List.of("program", "version", "from", "until", "events", "intents", "timeline", "summary"), fieldNames(j));
        JsonNode timeline = j.get("timeline");
        assertEquals(3, timeline.size());
        assertEquals(List.of("action", "violation", "decision"), List.of(timeline.get(0).get("kind").asText(),
                timeline.get(1).get("kind").asText(), timeline.get(2).get("kind").asText()));
        JsonNode a = timeline.get(0);
        assertEquals("2026-03-06T10:00:00Z", a.get("time").asText());
        assertEquals(1, a.get("args").get("priority").asInt());
        assertTrue(a.get("args").get("priority").isIntegralNumber());
        assertEquals("Deploy \"api\" failed\nnow", a.get("args").get("text").asText());
        assertEquals(List.of("e1", "e2"), List.of(a.at("/provenance/eventIds/0").asText(), a.at("/provenance/eventIds/1").asText()));
        assertEquals("main.charter", a.at("/provenance/file").asText());
        assertEquals(7, a.at("/provenance/line").asInt());
        assertEquals("sha256:abc", a.at("/provenance/programVersion").asText());
        assertEquals("deny", timeline.get(2).get("verdict").asText());
        assertEquals("i1", timeline.get(2).at("/denials/0/provenance/intentId").asText());
        assertEquals(1, j.at("/summary/denied").asInt());
        assertEquals(List.of("fatal_assigned", "no_friday", "page"), fieldNames(j.at("/summary/countsByRule")));
    }

    @Test
    void renderingIsDeterministic() {
        SimulationReport report = new SimulationReport(simulation(), new SimulationReport.Demo("acme", "events.jsonl"));
        assertEquals(text.render(report), text.render(report));
        assertEquals(json.render(report), json.render(new SimulationReport(simulation(), new SimulationReport.Demo("acme", "events.jsonl"))));
        assertTrue(text.render(report).out().contains("events   2 replayed from events.jsonl"));
        assertTrue(json.render(report).out().startsWith("{\n  \"demo\" : {"));
    }

    @Test
    void testReportCountsMatch() throws Exception {
        TestReport tr = new TestReport("acme", "sha256:abc", List.of(
                new ScenarioOutcome("scenarios/a.yaml", "pages on failure", true, List.of(), null),
                new ScenarioOutcome("scenarios/b.yaml", "no friday deploys", false, List.of("expected a denial by no_friday, got allow"), null)),
                List.of(new ScenarioError("scenarios/c.yaml", 3, 5, "unknown key `expcet`")));
        TestRunReport report = new TestRunReport(tr);
        String out = text.render(report).out();
        assertTrue(out.contains("PASS  scenarios/a.yaml: pages on failure\n"), out);
        assertTrue(out.contains("FAIL  scenarios/b.yaml: no friday deploys\n        expected a denial by no_friday, got allow\n"), out);
        assertTrue(out.contains("ERROR scenarios/c.yaml:3:5: unknown key `expcet`\n"), out);
        assertTrue(out.lines().anyMatch(l -> l.equals("1 passed, 1 failed")), out);
        JsonNode j = parse(report);
        assertEquals(1, j.get("passed").asInt());
        assertEquals(1, j.get("failed").asInt());
        assertEquals(3, j.at("/errors/0/line").asInt());
        assertEquals("expected a denial by no_friday, got allow", j.at("/scenarios/1/differences/0").asText());
        assertEquals(1, report.exitCode());
    }

    @Test
    void rejectedGoesToStderrAsTextAndStdoutAsJson() throws Exception {
        Rejected r = new Rejected("simulate", "prog", DiagnosticSet.EMPTY,
                List.of(new EventFileError("events.jsonl", 2, 7, "unknown event type")));
        Rendered t = text.render(r);
        assertEquals("", t.out());
        assertTrue(t.err().startsWith("events.jsonl:2:7: unknown event type\n"), t.err());
        JsonNode j = parse(r);
        assertFalse(j.get("ok").asBoolean());
        assertEquals("simulate", j.get("command").asText());
        assertEquals(7, j.at("/inputErrors/0/column").asInt());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
