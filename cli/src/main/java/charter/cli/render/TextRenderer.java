package charter.cli.render;

import charter.cli.report.CheckReport;
import charter.cli.report.CommandResult;
import charter.cli.report.CompileReport;
import charter.cli.report.DiagnosticSet;
import charter.cli.report.FmtReport;
import charter.cli.report.Rejected;
import charter.cli.report.SimulationReport;
import charter.cli.report.TestRunReport;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.DiagnosticRenderer;
import charter.engine.event.EventFileError;
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
            case CheckReport r -> new Rendered(counts(r.diagnostics()) + "\n", diagnostics(r.diagnostics()));
            case FmtReport r -> fmt(r);
            case CompileReport r -> new Rendered(r.drl().drl().endsWith("\n") ? r.drl().drl() : r.drl().drl() + "\n",
                    diagnostics(r.warnings()));
            case SimulationReport r -> Rendered.out(simulation(r));
            case TestRunReport r -> Rendered.out(test(r.report()));
            case charter.cli.report.DiffReport r -> Rendered.out(new DiffText(false).render(r));
            case Rejected r -> new Rendered("", rejected(r));
        };
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
                out.append(INDENT).append(provenance(a.provenance())).append('\n');
            }
            case TimelineEntry.Decision d -> {
                out.append(head).append(label("decision")).append(d.intent()).append(' ').append(d.intentId())
                        .append(" by ").append(d.actor()).append(": ").append(d.verdict().label().toUpperCase(java.util.Locale.ROOT))
                        .append('\n');
                if (!d.params().isEmpty()) out.append(INDENT).append("params ").append(args(d.params())).append('\n');
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
                for (TimelineEntry.PlannedAction a : d.actions()) {
                    out.append(INDENT).append("plans ").append(call(a.tool(), a.args())).append('\n');
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

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
