package charter.cli.render;

import charter.cli.report.TestRunReport;
import charter.engine.scenario.Coverage;
import java.util.Locale;

/** The coverage part of `charter test --coverage` for people: the figure, then what no scenario showed. */
final class CoverageText {
    private CoverageText() {}

    static String render(TestRunReport r) {
        Coverage c = r.coverage();
        StringBuilder out = new StringBuilder("\nCoverage: ").append(c.outcomesSeen()).append(" of ").append(c.outcomesTotal())
                .append(" outcomes (").append(String.format(Locale.ROOT, "%.1f", c.percent())).append("%)");
        if (r.minCoverage() != null) {
            out.append(r.belowMinimum() ? ", below the minimum of " : ", at least the minimum of ")
                    .append(String.format(Locale.ROOT, "%.1f", r.minCoverage())).append('%');
        }
        out.append('\n');
        if (!c.conditions().isEmpty()) {
            out.append("  conditions seen true and false: ").append(c.conditionOutcomesSeen()).append(" of ")
                    .append(2 * c.conditions().size()).append(" outcomes\n");
        }
        for (Coverage.Item item : c.items()) {
            if (item.covered()) continue;
            out.append("  ").append(item.kind().label()).append(' ').append(item.id());
            if (item.span() != null) out.append(" (").append(item.span()).append(')');
            out.append(": never ");
            out.append(String.join(", never ", item.outcomes().stream().filter(o -> !o.seen()).map(Coverage.Outcome::name).toList()));
            out.append('\n');
        }
        for (Coverage.ConditionItem cond : c.conditions()) {
            if (cond.covered()) continue;
            out.append("  condition `").append(cond.text()).append("` of ").append(cond.owner());
            if (cond.span() != null) out.append(" (").append(cond.span()).append(')');
            out.append(": never ").append(cond.trueIn().isEmpty() && cond.falseIn().isEmpty() ? "true, never false"
                    : cond.trueIn().isEmpty() ? "true" : "false").append('\n');
        }
        return out.toString();
    }
}
