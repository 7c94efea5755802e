package charter.cli.render;

import charter.engine.explain.Explanation;
import charter.engine.explain.Explanation.Candidate;
import charter.engine.explain.Explanation.Check;
import charter.engine.explain.Explanation.Step;

/**
 * `charter explain` for people: the verdict and its reason first, then each condition with
 * whether it held, its window, and the events it was checked on with each part's value.
 */
final class ExplainText {

    String render(Explanation x) {
        StringBuilder out = new StringBuilder();
        Explanation.Target t = x.target();
        out.append(t.kind()).append(' ').append(t.id());
        if (t.title() != null && !t.title().isEmpty()) out.append(" \"").append(t.title()).append('"');
        if (t.level() != null) out.append(' ').append(t.level());
        if (!t.location().isEmpty()) out.append(" (").append(t.location()).append(')');
        out.append('\n');
        Explanation.Subject s = x.subject();
        out.append(s.kind() == Explanation.SubjectKind.EVENT ? "event " : "intent ").append(s.id()).append(": ")
                .append(s.type()).append(" at ").append(s.time()).append('\n');
        out.append(x.verdict().words().toUpperCase()).append(": ").append(x.reason()).append('\n');
        if (!x.steps().isEmpty()) {
            out.append('\n');
            for (Step step : x.steps()) step(step, out);
        }
        if (!x.occurrences().isEmpty() && x.subject().kind() == Explanation.SubjectKind.EVENT) {
            out.append('\n').append(x.verdict() == Explanation.Verdict.VIOLATED ? "Violations" : "Firings").append(" citing ").append(s.id()).append(":\n");
            for (Explanation.Occurrence o : x.occurrences()) {
                out.append("  ").append(o.time()).append("  ").append(String.join(", ", o.eventIds())).append('\n');
            }
        }
        if (!x.guards().isEmpty()) {
            out.append("\nEvery guard of `").append(s.type()).append("`:\n");
            int width = x.guards().stream().mapToInt(g -> g.invariant().length() + g.level().length() + 3).max().orElse(0);
            for (Explanation.Guard g : x.guards()) {
                String name = g.invariant() + " (" + g.level() + ")";
                out.append("  ").append(g.denies() ? "denies " : "passes ").append(name).append(" ".repeat(width - name.length() + 2))
                        .append(g.reason()).append('\n');
            }
        }
        return out.toString();
    }

    private static void step(Step step, StringBuilder out) {
        // An `unless` that does not hold is what lets a guard deny: not a failure.
        String mark = step.holds() == null ? "-----" : step.holds() ? "holds" : step.role().equals("unless") ? "false" : "FAILS";
        out.append("  ").append(mark).append("  ").append(step.text()).append('\n');
        String pad = "         ";
        if (step.window() != null) {
            out.append(pad).append(step.window().text()).append(": ").append(step.window().from()).append(" .. ").append(step.window().to()).append('\n');
        }
        if (!step.note().isEmpty()) out.append(pad).append(step.note()).append('\n');
        for (Check c : step.checks()) check(c, pad, out);
        for (Candidate c : step.candidates()) {
            out.append(pad).append(c.eventId());
            if (c.time() != null) out.append(" at ").append(c.time());
            if (c.subject()) out.append(" (this event)");
            if (Boolean.FALSE.equals(c.inWindow())) out.append(", outside the window");
            out.append(": ").append(c.matches() ? "matches" : c.held() + " of " + c.checks().size() + " hold").append('\n');
            for (Check check : c.checks()) check(check, pad + "  ", out);
        }
    }

    private static void check(Check c, String pad, StringBuilder out) {
        String outcome = switch (c.outcome()) {
            case TRUE -> "true   ";
            case FALSE -> "false  ";
            case MISSING -> "missing";
        };
        out.append(pad).append(outcome).append("  ").append(c.text());
        if (!c.values().isEmpty()) {
            out.append("   (").append(String.join(", ", c.values().stream().map(v -> v.path() + " = " + v.value()).toList())).append(')');
        }
        out.append('\n');
    }
}
