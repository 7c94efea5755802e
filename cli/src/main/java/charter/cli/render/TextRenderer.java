package charter.cli.render;

import charter.cli.report.BlameReport;
import charter.cli.report.CheckReport;
import charter.cli.report.WatchEventReport;
import charter.gitsync.Blame;
import charter.gitsync.ProgramCommit;
import charter.gitsync.WatchEvent;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.DiagnosticRenderer;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.event.EventFileError;
import charter.engine.ingest.IngestReport;
import charter.engine.ingest.Normalised;
import charter.engine.store.EventStore;
import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.scenario.ScenarioError;
import charter.engine.scenario.ScenarioOutcome;
import charter.engine.scenario.TestReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The rendering for people. Results go to stdout; diagnostics and input errors go to
 * stderr, so `charter compile DIR > rules.drl` captures only the DRL.
 */
public final class TextRenderer {
    /** Continuation lines of a timeline entry start under its description. */
    private static final String INDENT = " ".repeat(22);

    public Rendered render(CommandResult result) {
        return switch (result) {
            case CheckReport r -> new Rendered(counts(r.diagnostics())
                    + (r.strict() && r.diagnostics().warnings() > 0 ? " (--strict: warnings fail the check)" : "") + "\n",
                    diagnostics(r.diagnostics()));
            case FmtReport r -> fmt(r);
            case CompileReport r -> new Rendered(r.drl().drl().endsWith("\n") ? r.drl().drl() : r.drl().drl() + "\n",
                    diagnostics(r.warnings()));
            case SimulationReport r -> Rendered.out(simulation(r));
            case TestRunReport r -> Rendered.out(test(r.report()) + (r.coverage() == null ? "" : CoverageText.render(r)));
            case charter.cli.report.DiffReport r -> Rendered.out(new DiffText(false).render(r));
            case Rejected r -> new Rendered("", rejected(r));
            case IngestRunReport r -> ingest(r);
            case EventsReport r -> Rendered.out(events(r));
            case GraphReport r -> Rendered.out(graph(r));
            case BlameReport r -> Rendered.out(blame(r.result()));
            case WatchEventReport r -> Rendered.out(watch(r));
            case charter.cli.report.CatalogReport r -> Rendered.out(new CatalogText().render(r));
            case charter.cli.report.ExplainReport r -> Rendered.out(new ExplainText().render(r.explanation()));
        };
    }

    // ---- blame and watch

    private static String commitLine(String label, ProgramCommit c) {
        return String.format("%-13s%s  %s  %s  %s%n", label, c.shortSha(),
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC).format(c.date()), c.author(), c.message());
    }

    private String blame(Blame.Result b) {
        StringBuilder out = new StringBuilder();
        out.append(b.kind()).append(' ').append(b.rule()).append(" (").append(b.folder().isEmpty() ? "" : b.folder() + "/")
                .append(b.file()).append(':').append(b.line()).append(" at ").append(b.revision(), 0, 7).append(")\n");
        out.append(commitLine("introduced", b.introduced()));
        out.append(commitLine("last changed", b.lastChanged()));
        for (Blame.Rename r : b.renames()) {
            out.append(String.format("%-13s%s -> %s in %s%n", "renamed", r.from(), r.to(), r.commit().shortSha()));
        }
        return out.toString();
    }

    private String watch(WatchEventReport r) {
        WatchEvent e = r.event();
        StringBuilder out = new StringBuilder();
        out.append(e.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append(' ').append(String.format("%-9s", e.kind().label()));
        if (e.commit() != null) {
            out.append(' ').append(e.commit().shortSha()).append(" \"").append(e.commit().message()).append("\" (")
                    .append(e.commit().author()).append(')');
        } else {
            out.append(' ').append(r.branch());
        }
        String live = e.live() == null ? "no Program is live" : e.live().substring(0, 7) + " is live";
        switch (e.kind()) {
            case ACCEPTED -> {
                var t = e.timings();
                out.append(": live; compile ").append(t.compileMillis()).append(" ms, ").append(plural(t.scenarios(), "scenario"))
                        .append(' ').append(t.scenarioMillis()).append(" ms, swap ").append(t.swapMillis()).append(" ms, total ")
                        .append(t.totalMillis()).append(" ms");
            }
            case REJECTED -> out.append(": ").append(e.live() == null ? "no Program is live" : e.live().substring(0, 7) + " stays live");
            default -> out.append(": ").append(live);
        }
        out.append('\n');
        for (String reason : e.reasons()) out.append("    ").append(reason.replace("\n", "\n    ")).append('\n');
        return out.toString();
    }

    // ---- diagnostics

    /** Every diagnostic with its source line and caret, a blank line between them. */
    public String diagnostics(DiagnosticSet set) {
        DiagnosticRenderer renderer = new DiagnosticRenderer(set.sources());
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : set.all()) out.append(renderer.render(d)).append('\n');
        return out.toString();
    }

    static String counts(DiagnosticSet set) {
        return plural(set.errors(), "error") + ", " + plural(set.warnings(), "warning");
    }

    private String rejected(Rejected r) {
        StringBuilder out = new StringBuilder(diagnostics(r.diagnostics()));
        for (EventFileError e : r.inputErrors()) out.append(e.file()).append(':').append(e.line()).append(':')
                .append(e.column()).append(": ").append(e.message()).append('\n');
        if (!r.diagnostics().isEmpty()) out.append(counts(r.diagnostics())).append('\n');
        if (!r.inputErrors().isEmpty()) out.append(plural(r.inputErrors().size(), "error")).append(" in input files\n");
        return out.toString();
    }

    // ---- fmt

    private Rendered fmt(FmtReport r) {
        StringBuilder out = new StringBuilder();
        for (String file : r.filesWith(r.checkOnly() ? FmtReport.Status.NOT_CANONICAL : FmtReport.Status.REFORMATTED)) {
            out.append(Path.of(r.dir()).resolve(file)).append('\n');
        }
        StringBuilder err = new StringBuilder(diagnostics(r.diagnostics()));
        List<String> failed = r.filesWith(FmtReport.Status.ERROR);
        if (!failed.isEmpty()) {
            err.append(plural(failed.size(), "file")).append(" not formatted because of errors: ")
                    .append(String.join(", ", failed)).append('\n');
        }
        return new Rendered(out.toString(), err.toString());
    }

    // ---- simulate and demo

    private String simulation(SimulationReport report) {
        SimulationResult r = report.result();
        StringBuilder out = new StringBuilder();
        if (report.demo() != null) {
            out.append("Charter demo: replaying recorded webhook events from GitHub, Vercel, Linear and Sentry\n")
                    .append("through the example Program `").append(report.demo().example())
                    .append("`, as a dry run: nothing is sent anywhere. Below is what\n")
                    .append("the Program would have done, and why.\n\n");
            out.append("  program  ").append(r.program()).append('\n');
            out.append("  version  ").append(r.version()).append('\n');
            out.append("  events   ").append(r.events()).append(" replayed from ").append(report.demo().eventsFile()).append('\n');
            out.append("  period   ").append(r.from()).append(" .. ").append(r.until()).append('\n');
        } else {
            out.append("Dry run of ").append(r.program()).append(" (version ").append(r.version()).append("): ")
                    .append(plural(r.events(), "event")).append(", ").append(plural(r.intents(), "intent"))
                    .append(", ").append(r.from()).append(" .. ").append(r.until()).append('\n');
        }
        out.append("\nTimeline\n");
        if (r.timeline().isEmpty()) out.append("  (nothing happened)\n");
        for (TimelineEntry e : r.timeline()) entry(e, out);
        out.append('\n').append(summary(r));
        return out.toString();
    }

    private void entry(TimelineEntry entry, StringBuilder out) {
        String head = entry.time() + "  ";
        switch (entry) {
            case TimelineEntry.PlannedAction a -> {
                out.append(head).append(label("action")).append(call(a.tool(), a.args())).append('\n');
                if (!a.approvers().isEmpty()) out.append(INDENT).append(approval(a)).append('\n');
                out.append(INDENT).append(provenance(a.provenance())).append('\n');
            }
            case TimelineEntry.Decision d -> {
                out.append(head).append(label("decision")).append(d.intent()).append(' ').append(d.intentId())
                        .append(" by ").append(d.actor()).append(": ").append(d.verdict().label().toUpperCase(java.util.Locale.ROOT))
                        .append('\n');
                if (!d.params().isEmpty()) out.append(INDENT).append("params ").append(args(d.params())).append('\n');
                if (d.reason() != null) out.append(INDENT).append("reason ").append(Values.quote(d.reason())).append('\n');
                for (TimelineEntry.Denial denial : d.denials()) {
                    out.append(INDENT).append("denied by ").append(denial.invariant()).append(" (").append(denial.level()).append(')');
                    if (denial.title() != null) out.append(' ').append(Values.quote(denial.title()));
                    if (denial.because() != null) out.append(" because ").append(Values.quote(denial.because()));
                    out.append('\n').append(INDENT).append("  ").append(provenance(denial.provenance())).append('\n');
                }
                if (d.override() != null) {
                    out.append(INDENT).append("overridden by ").append(d.override().actor()).append(": ")
                            .append(Values.quote(d.override().reason())).append('\n');
                }
                if (d.overrideRefused() != null) out.append(INDENT).append("override refused: ").append(d.overrideRefused()).append('\n');
                for (TimelineEntry.PlannedAction a : d.actions()) {
                    out.append(INDENT).append("plans ").append(call(a.tool(), a.args())).append('\n');
                    if (!a.approvers().isEmpty()) out.append(INDENT).append("  ").append(approval(a)).append('\n');
                    out.append(INDENT).append("  ").append(provenance(a.provenance())).append('\n');
                }
                out.append(INDENT).append("decided on intent ").append(d.intentId()).append("; version ").append(d.programVersion()).append('\n');
            }
            case TimelineEntry.Violation v -> {
                out.append(head).append(label("violation")).append(v.invariant()).append(" (").append(v.level()).append(')');
                if (v.title() != null) out.append(' ').append(Values.quote(v.title()));
                if (v.because() != null) out.append(" because ").append(Values.quote(v.because()));
                out.append('\n').append(INDENT).append(provenance(v.provenance())).append('\n');
            }
            case TimelineEntry.SkippedAction k -> {
                out.append(head).append(label("skipped")).append(k.tool()).append(": ").append(k.reason()).append('\n');
                out.append(INDENT).append(provenance(k.provenance())).append('\n');
            }
            case TimelineEntry.RuleError e -> {
                out.append(head).append(label("error")).append(e.message()).append('\n');
                out.append(INDENT).append(provenance(e.provenance())).append('\n');
            }
        }
    }

    private static String label(String kind) {
        return String.format("%-10s ", kind);
    }

    private static String call(String tool, Map<String, Object> args) {
        return tool + "(" + args(args) + ")";
    }

    private static String args(Map<String, Object> args) {
        StringJoiner joined = new StringJoiner(", ");
        args.forEach((k, v) -> joined.add(k + ": " + Values.text(v)));
        return joined.toString();
    }

    /** `from rule X at file:line:col; events a, b; intent i; version v`, leaving out what does not apply. */
    static String provenance(Provenance p) {
        if (p == null) return "from (unknown)";
        StringBuilder out = new StringBuilder("from ").append(p.kind().name().toLowerCase(java.util.Locale.ROOT))
                .append(' ').append(p.id());
        if (p.span() != null) out.append(" at ").append(p.location());
        if (!p.eventIds().isEmpty()) out.append("; ").append(p.eventIds().size() == 1 ? "event " : "events ")
                .append(String.join(", ", p.eventIds()));
        if (p.intentId() != null) out.append("; intent ").append(p.intentId());
        if (p.programVersion() != null) out.append("; version ").append(p.programVersion());
        return out.toString();
    }

    private static String summary(SimulationResult r) {
        long denied = r.decisions().stream().filter(d -> d.verdict() != TimelineEntry.Verdict.ALLOW).count();
        StringBuilder out = new StringBuilder("Summary: ")
                .append(plural(r.actions().size(), "action")).append(" planned, ")
                .append(plural(r.decisions().size(), "intent")).append(" decided (").append(denied).append(" denied), ")
                .append(plural(r.violations().size(), "violation")).append(", ")
                .append(plural(r.errors().size(), "rule error")).append('\n');
        if (r.duplicateActionsSkipped() > 0) {
            out.append("  ").append(plural(r.duplicateActionsSkipped(), "duplicate action")).append(" skipped (already planned)\n");
        }
        if (!r.countsByRule().isEmpty()) out.append("By rule and invariant (actions, denials, violations):\n");
        int width = r.countsByRule().keySet().stream().mapToInt(String::length).max().orElse(0);
        r.countsByRule().forEach((id, n) -> out.append("  ").append(id).append(" ".repeat(width - id.length() + 2))
                .append(n).append('\n'));
        return out.toString();
    }

    // ---- test

    private String test(TestReport report) {
        StringBuilder out = new StringBuilder("Testing ").append(report.program()).append(" (version ")
                .append(report.version()).append(")\n\n");
        int passed = 0, failed = 0;
        for (ScenarioOutcome s : report.scenarios()) {
            if (s.passed()) passed++; else failed++;
            out.append(s.passed() ? "PASS  " : "FAIL  ").append(s.file()).append(": ").append(s.name()).append('\n');
            for (String difference : s.differences()) {
                out.append("        ").append(difference.replace("\n", "\n        ")).append('\n');
            }
        }
        List<String> errors = new ArrayList<>();
        for (ScenarioError e : report.errors()) {
            errors.add(e.file() + ":" + e.line() + ":" + e.column() + ": " + e.message());
        }
        for (String e : errors) out.append("ERROR ").append(e).append('\n');
        out.append('\n').append(passed).append(" passed, ").append(failed).append(" failed\n");
        if (!errors.isEmpty()) out.append(plural(errors.size(), "error")).append(" in scenario files\n");
        return out.toString();
    }

    // ---- ingest, events, graph

    /** Accepted files listed one by one in text up to this many; JSON lists them all. */
    private static final int MAX_LISTED = 20;

    private Rendered ingest(IngestRunReport r) {
        IngestReport ir = r.result();
        long inInput = ir.duplicates().stream().filter(IngestReport.Duplicate::inInput).count();
        StringBuilder out = new StringBuilder("Ingested ").append(plural(ir.total(), r.source() + " delivery", r.source() + " deliveries"))
                .append(" into ").append(r.data()).append(" (tenant ").append(r.tenant()).append("): ")
                .append(ir.accepted().size()).append(" accepted, ")
                .append(plural(ir.duplicates().size(), "duplicate"))
                .append(ir.duplicates().isEmpty() ? "" : " (" + (ir.duplicates().size() - inInput) + " already stored, "
                        + inInput + " repeated in the input)")
                .append(", ").append(ir.rejected().size()).append(" rejected\n");
        out.append("  signatures    ").append(r.verified() ? "verified with the secret from --secret-env"
                : "not verified (no --secret-env)").append('\n');
        out.append("  significance  ").append(r.program() == null ? "catalog defaults" : "from the Program in " + r.program())
                .append('\n');
        if (ir.accepted().size() <= MAX_LISTED) {
            for (IngestReport.Accepted a : ir.accepted()) {
                out.append("  + ").append(a.label()).append("  ").append(a.type()).append("  ").append(a.eventId())
                        .append("  significance ").append(a.significance()).append('\n');
            }
        } else {
            long types = ir.accepted().stream().map(IngestReport.Accepted::type).distinct().count();
            out.append("  accepted      ").append(plural(ir.accepted().size(), "event")).append(" of ")
                    .append(plural(types, "type")).append(" (--format json lists every file)\n");
        }
        for (IngestReport.Duplicate d : ir.duplicates().size() <= MAX_LISTED ? ir.duplicates() : List.<IngestReport.Duplicate>of()) {
            out.append("  = ").append(d.label()).append("  duplicate of delivery ").append(d.deliveryId())
                    .append(d.inInput() ? " (earlier in this input)" : " (already stored)").append('\n');
        }
        // The same warning for many files (e.g. no delivery id header in saved bodies) reads once, with a count.
        java.util.Map<String, List<IngestReport.Warning>> grouped = new java.util.LinkedHashMap<>();
        for (IngestReport.Warning w : ir.warnings()) {
            grouped.computeIfAbsent(w.message().replaceAll("sha256-[0-9a-f]{32}", "sha256-…"), k -> new ArrayList<>()).add(w);
        }
        if (!grouped.isEmpty()) out.append(plural(ir.warnings().size(), "warning")).append(":\n");
        int shown = 0;
        for (var e : grouped.entrySet()) {
            if (shown++ == MAX_LISTED) {
                out.append("  … (--format json lists every warning)\n");
                break;
            }
            List<IngestReport.Warning> ws = e.getValue();
            if (ws.size() == 1) out.append("  ").append(ws.getFirst()).append('\n');
            else out.append("  ").append(e.getKey()).append("  (").append(ws.size()).append(" files, e.g. ")
                    .append(ws.getFirst().label()).append(")\n");
        }
        StringBuilder err = new StringBuilder();
        for (IngestReport.Rejection x : ir.rejected()) {
            err.append(x.label()).append(": rejected (").append(x.code()).append("): ").append(x.message()).append('\n');
        }
        if (!ir.rejected().isEmpty()) {
            err.append(plural(ir.rejected().size(), "delivery", "deliveries")).append(" rejected; nothing of ")
                    .append(ir.rejected().size() == 1 ? "it" : "them").append(" was stored\n");
        }
        return new Rendered(out.toString(), err.toString());
    }

    private String events(EventsReport r) {
        StringBuilder out = new StringBuilder();
        for (EventStore.StoredEvent s : r.events()) {
            CanonicalEvent e = s.event();
            out.append('#').append(s.sequence()).append("  ").append(e.time()).append("  ").append(e.type())
                    .append("  ").append(e.id());
            if (e.significance() != null) out.append("  significance ").append(e.significance());
            if (!e.entities().isEmpty()) {
                EntityRef subject = e.entities().getFirst();
                out.append("  ").append(subject.type()).append(':').append(subject.key());
                if (e.entities().size() > 1) out.append(" +").append(e.entities().size() - 1);
            }
            out.append('\n');
        }
        out.append(plural(r.events().size(), "event")).append(" (tenant ").append(r.tenant()).append(", ")
                .append(r.data()).append(")\n");
        return out.toString();
    }

    private String graph(GraphReport r) {
        StringBuilder out = new StringBuilder();
        out.append(plural(r.entities().size(), "entity", "entities")).append(" with key ").append(r.key())
                .append(r.type() == null ? "" : " of type " + r.type()).append(" (tenant ").append(r.tenant())
                .append("); current values: ").append(r.truth()).append('\n');
        for (GraphReport.Node n : r.entities()) {
            EventStore.EntityView v = n.view();
            out.append('\n').append(v.type()).append(' ').append(v.key()).append('\n');
            out.append("  seen ").append(plural(v.occurrences(), "time")).append(", ").append(v.firstSeen())
                    .append(" .. ").append(v.lastSeen()).append('\n');
            out.append("  values").append(n.resolved().isEmpty() ? " (none claimed)" : "").append('\n');
            n.resolved().forEach((attribute, c) -> out.append("    ").append(attribute).append(" = ")
                    .append(Values.text(c.value())).append("  (").append(c.source()).append(", ").append(c.time())
                    .append(", event ").append(c.eventId()).append(")\n"));
            if (!v.claims().isEmpty()) out.append("  claims\n");
            for (Normalised.Claim c : v.claims()) {
                out.append("    ").append(c.time()).append("  ").append(c.source()).append("  ").append(c.attribute())
                        .append(" = ").append(Values.text(c.value())).append("  (event ").append(c.eventId()).append(")\n");
            }
            if (!v.relations().isEmpty()) out.append("  relations\n");
            for (int i = 0; i < v.relations().size(); i++) {
                Normalised.Relation rel = v.relations().get(i);
                boolean outgoing = rel.fromType().equals(v.type()) && rel.fromKey().equals(v.key());
                out.append("    ").append(outgoing ? "-> " : "<- ").append(rel.kind()).append(' ')
                        .append(outgoing ? rel.toType() + ":" + rel.toKey() : rel.fromType() + ":" + rel.fromKey())
                        .append("  (event ").append(v.relationEventIds().get(i)).append(")\n");
            }
            if (!n.citations().isEmpty()) out.append("  events\n");
            for (EventStore.StoredEvent s : n.citations()) {
                out.append("    #").append(s.sequence()).append("  ").append(s.event().time()).append("  ")
                        .append(s.event().type()).append("  ").append(s.event().id()).append('\n');
            }
        }
        return out.toString();
    }

    static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Who the Program's `approval by` says must approve the action before it is sent. */
    private static String approval(TimelineEntry.PlannedAction a) {
        return "waits for approval by " + String.join(", ", a.approvers());
    }
}
