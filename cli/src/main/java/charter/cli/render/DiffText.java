package charter.cli.render;

import charter.cli.report.DiffReport;
import charter.compiler.ast.Span;
import charter.compiler.diff.ProgramDiff;
import charter.engine.impact.ImpactReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * `charter diff` for people: plain text for a terminal, or Markdown ready to paste as
 * a pull-request comment (headings, tables, examples folded in `<details>`). Both walk
 * the same report in the same order; only the markup differs.
 */
public final class DiffText {
    private final boolean markdown;
    private final StringBuilder out = new StringBuilder();

    public DiffText(boolean markdown) {
        this.markdown = markdown;
    }

    public String render(DiffReport r) {
        header(r);
        changes(r.diff());
        if (r.impact() != null) impact(r.impact());
        return out.toString();
    }

    // ---- header

    private void header(DiffReport r) {
        ProgramDiff d = r.diff();
        String counts = d.isEmpty() ? "no semantic change"
                : plural(d.changes().size(), "semantic change") + " (" + d.count(ProgramDiff.Op.ADDED) + " added, "
                + d.count(ProgramDiff.Op.REMOVED) + " removed, " + d.count(ProgramDiff.Op.RENAMED) + " renamed, "
                + d.count(ProgramDiff.Op.CHANGED) + " changed)";
        if (markdown) {
            line("### Charter diff: " + code(r.before().program()) + " → " + code(r.after().program()));
            line("");
            line("| | source | version |");
            line("|---|---|---|");
            line("| before | " + cell(r.before().source()) + " | " + code(r.before().version()) + " |");
            line("| after | " + cell(r.after().source()) + " | " + code(r.after().version()) + " |");
            line("");
            line("**" + counts + "**");
        } else {
            line("charter diff " + r.before().program() + " → " + r.after().program());
            line("  before  " + r.before().source() + "  (" + r.before().version() + ")");
            line("  after   " + r.after().source() + "  (" + r.after().version() + ")");
            line("");
            line(counts.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + counts.substring(1));
        }
    }

    // ---- semantic changes

    private void changes(ProgramDiff diff) {
        if (diff.isEmpty()) return;
        line("");
        if (markdown) line("#### What changed in the rules");
        for (ProgramDiff.Change c : diff.changes()) {
            String where = c.after() != null ? where(c.after()) : where(c.before());
            String title = c.title() == null ? "" : " \"" + c.title() + "\"";
            if (markdown) {
                String head = c.category().label() + " " + code(c.id()) + " " + c.op().label()
                        + (c.op() == ProgramDiff.Op.RENAMED ? " from " + code(c.previousId()) : "");
                line("- **" + head + "**" + cell(title) + " — " + code(where));
            } else {
                line("  " + c.headline() + title + "  (" + where + ")");
            }
            String indent = markdown ? "  - " : "      ";
            for (ProgramDiff.Detail d : c.details()) detail(indent, c, d);
            if (!c.affected().isEmpty()) {
                line(indent + "called by: " + String.join(", ", c.affected().stream().map(this::code).toList()));
            }
        }
    }

    private void detail(String indent, ProgramDiff.Change c, ProgramDiff.Detail d) {
        boolean whole = c.op() == ProgramDiff.Op.ADDED || c.op() == ProgramDiff.Op.REMOVED;
        String value = d.from() != null ? d.from() : d.to();
        if (d.from() != null && d.to() != null && (d.from().contains("\n") || d.to().contains("\n"))) {
            // A function body: the lines that went and came.
            line(indent + d.aspect() + " changed:");
            List<String> before = List.of(d.from().split("\n"));
            List<String> after = List.of(d.to().split("\n"));
            String sub = markdown ? "  " + indent.replace("- ", "  ") : indent + "  ";
            if (markdown) line(sub + "```diff");
            for (String s : before) if (!after.contains(s)) line(sub + "- " + s);
            for (String s : after) if (!before.contains(s)) line(sub + "+ " + s);
            if (markdown) line(sub + "```");
        } else if (whole) {
            line(indent + (value.contains("\n") ? value.replace("\n", " ") : code(value)));
        } else if (d.kind() == ProgramDiff.Detail.Kind.ADDED) {
            line(indent + d.aspect() + " added: " + code(d.to()));
        } else if (d.kind() == ProgramDiff.Detail.Kind.REMOVED) {
            line(indent + d.aspect() + " removed: " + code(d.from()));
        } else {
            line(indent + d.aspect() + ": " + code(d.from()) + " → " + code(d.to()));
        }
    }

    private static String where(Span s) {
        return s == null ? "" : s.file() + ":" + s.line();
    }

    // ---- impact

    private void impact(ImpactReport r) {
        line("");
        String head = "Impact on " + plural(r.events(), "event") + " and " + plural(r.intents(), "intent")
                + (r.events() + r.intents() == 0 ? "" : " (" + r.from() + " – " + r.until() + ")");
        if (markdown) {
            line("#### " + head);
            line("");
        } else {
            line(head);
        }
        if (r.isEmpty()) {
            line(markdown ? "No difference: both versions would have done exactly the same." : "  no difference: both versions would have done exactly the same");
            return;
        }
        if (markdown) {
            line("| what | count |");
            line("|---|---:|");
        }
        summary("decisions flipped", r.decisionsFlipped().count(), flips(r.flips()));
        summary("decisions with other denials", r.denialsChanged().count(), "");
        summary("actions added", r.actionsAdded().count(), "");
        summary("actions removed", r.actionsRemoved().count(), "");
        summary("actions with other arguments", r.actionsChanged().count(), "");
        summary("violations appeared", r.violationsAppeared().count(), "");
        summary("violations vanished", r.violationsVanished().count(), "");
        summary("violations at another time", r.violationsMoved().count(), "");
        summary("rule errors appeared", r.errorsAppeared().count(), "");
        summary("rule errors vanished", r.errorsVanished().count(), "");

        examples("Decisions flipped", r.decisionsFlipped(), this::decision);
        examples("Decisions with other denials", r.denialsChanged(), this::decision);
        examples("Actions added", r.actionsAdded(), this::action);
        examples("Actions removed", r.actionsRemoved(), this::action);
        examples("Actions with other arguments", r.actionsChanged(), this::action);
        examples("Violations appeared", r.violationsAppeared(), this::violation);
        examples("Violations vanished", r.violationsVanished(), this::violation);
        examples("Violations at another time", r.violationsMoved(), this::violation);
        examples("Rule errors appeared", r.errorsAppeared(), this::error);
        examples("Rule errors vanished", r.errorsVanished(), this::error);
        counts(r);
    }

    private static String flips(Map<String, Integer> flips) {
        List<String> parts = new ArrayList<>();
        flips.forEach((k, v) -> parts.add(k + ": " + v));
        return String.join(", ", parts);
    }

    private void summary(String what, int count, String note) {
        if (count == 0) return;
        if (markdown) line("| " + what + (note.isEmpty() ? "" : " (" + note + ")") + " | " + count + " |");
        else line(String.format("  %-30s %6d%s", what, count, note.isEmpty() ? "" : "   " + note));
    }

    private <T> void examples(String title, ImpactReport.Section<T> section, Function<T, String> render) {
        if (section.count() == 0) return;
        String shown = section.examples().size() < section.count()
                ? " (" + section.count() + "; the first " + section.examples().size() + ")" : " (" + section.count() + ")";
        line("");
        if (markdown) {
            line("<details><summary>" + title + shown + "</summary>");
            line("");
            for (T t : section.examples()) line("- " + render.apply(t));
            line("");
            line("</details>");
        } else {
            line(title + shown);
            for (T t : section.examples()) line("  " + render.apply(t).replace("\n", "\n      "));
        }
    }

    private String decision(ImpactReport.DecisionDelta d) {
        StringBuilder s = new StringBuilder();
        s.append(d.time()).append("  intent ").append(code(d.intentId())).append(' ').append(d.intent()).append(" by ")
                .append(d.actor());
        if (!d.params().isEmpty()) s.append(' ').append(code(Values.text(d.params())));
        s.append(": ").append(bold(d.before().label())).append(" → ").append(bold(d.after().label()));
        s.append(sep()).append("denied before by ").append(deniers(d.deniedBefore())).append("; after by ").append(deniers(d.deniedAfter()));
        if (d.overridden()) s.append(" (carries an override)");
        for (String e : d.errors()) s.append(sep()).append("error ").append(e);
        return s.toString();
    }

    private String deniers(List<ImpactReport.Denier> deniers) {
        if (deniers.isEmpty()) return "—";
        return String.join(", ", deniers.stream().map(d -> code(d.invariant()) + " (" + d.level() + ")").toList());
    }

    private String action(ImpactReport.ActionDelta a) {
        StringBuilder s = new StringBuilder();
        s.append(a.time()).append("  ").append(a.tool()).append(" by ")
                .append(a.intentId() != null ? "intent " + code(a.source()) + " (" + code(a.intentId()) + ")" : "rule " + code(a.source()));
        if (a.argsBefore() != null && a.argsAfter() != null) {
            s.append(sep()).append("before ").append(code(Values.text(a.argsBefore())))
                    .append(sep()).append("after  ").append(code(Values.text(a.argsAfter())));
        } else {
            s.append(' ').append(code(Values.text(a.argsAfter() != null ? a.argsAfter() : a.argsBefore())));
        }
        if (!a.events().isEmpty()) s.append(sep()).append("on ").append(cites(a.events()));
        if (a.error() != null) s.append(sep()).append("error on the other side: ").append(a.error());
        return s.toString();
    }

    private String violation(ImpactReport.ViolationDelta v) {
        String when = v.timeBefore() == null ? "at " + v.timeAfter()
                : v.timeAfter() == null ? "at " + v.timeBefore() : "at " + v.timeBefore() + " → " + v.timeAfter();
        return "invariant " + code(v.invariant()) + " (" + v.level() + ") " + when + sep() + "citing " + cites(v.events());
    }

    private String error(ImpactReport.ErrorDelta e) {
        return e.time() + "  " + code(e.source()) + (e.intentId() != null ? " deciding " + code(e.intentId()) : "")
                + ": " + e.message() + (e.events().isEmpty() ? "" : sep() + "on " + cites(e.events()));
    }

    private String cites(List<ImpactReport.Cite> cites) {
        return String.join(", ", cites.stream().map(c -> code(c.id()) + (c.type() == null ? "" : " (" + c.type() + ")")).toList());
    }

    private void counts(ImpactReport r) {
        if (!r.rules().isEmpty()) {
            line("");
            if (markdown) {
                line("| rule or intent | actions before | after | added | removed | changed | errors before | after |");
                line("|---|---:|---:|---:|---:|---:|---:|---:|");
                for (var c : r.rules()) {
                    line("| " + code(c.rule()) + " | " + c.before() + " | " + c.after() + " | " + c.added() + " | " + c.removed()
                            + " | " + c.changed() + " | " + c.errorsBefore() + " | " + c.errorsAfter() + " |");
                }
            } else {
                line("By rule (planned actions)");
                line(String.format("  %-34s %7s %7s %7s %7s %7s %7s %7s", "", "before", "after", "added", "removed", "changed",
                        "err-bef", "err-aft"));
                for (var c : r.rules()) {
                    line(String.format("  %-34s %7d %7d %7d %7d %7d %7d %7d", c.rule(), c.before(), c.after(), c.added(), c.removed(),
                            c.changed(), c.errorsBefore(), c.errorsAfter()));
                }
            }
        }
        if (!r.invariants().isEmpty()) {
            line("");
            if (markdown) {
                line("| invariant | denials before | after | violations before | after | flips |");
                line("|---|---:|---:|---:|---:|---:|");
                for (var c : r.invariants()) {
                    line("| " + code(c.invariant()) + " | " + c.denialsBefore() + " | " + c.denialsAfter() + " | "
                            + c.violationsBefore() + " | " + c.violationsAfter() + " | " + c.flips() + " |");
                }
            } else {
                line("By invariant");
                line(String.format("  %-34s %9s %9s %11s %11s %7s", "", "denials", "", "violations", "", "flips"));
                line(String.format("  %-34s %9s %9s %11s %11s %7s", "", "before", "after", "before", "after", ""));
                for (var c : r.invariants()) {
                    line(String.format("  %-34s %9d %9d %11d %11d %7d", c.invariant(), c.denialsBefore(), c.denialsAfter(),
                            c.violationsBefore(), c.violationsAfter(), c.flips()));
                }
            }
        }
    }

    // ---- markup

    private String sep() {
        return markdown ? "<br>" : "\n";
    }

    private String bold(String s) {
        return markdown ? "**" + s + "**" : s;
    }

    /** Inline code: backticks in Markdown (doubled when the text has one), plain in text. */
    private String code(String s) {
        if (s == null) return "—";
        if (!markdown) return s.contains("`") || s.contains(" ") || s.contains("\"") ? "`" + s + "`" : s;
        String flat = s.replace("\n", " ").replace("|", "\\|");
        return flat.contains("`") ? "`` " + flat + " ``" : "`" + flat + "`";
    }

    private String cell(String s) {
        return markdown ? s.replace("|", "\\|").replace("\n", " ") : s;
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
