package charter.compiler.diag;

import java.util.Map;

/**
 * Renders a diagnostic the way compilers people like do:
 * <pre>
 * error[CH402]: unknown field `targt` on vercel.deployment.error
 *   --> rules/deploys.charter:4:41
 *    |
 *  4 |   when vercel.deployment.error d where d.targt == "production"
 *    |                                         ^^^^^^^ did you mean `target`?
 * </pre>
 */
public final class DiagnosticRenderer {
    private final Map<String, SourceText> sources;

    public DiagnosticRenderer(Map<String, SourceText> sources) {
        this.sources = Map.copyOf(sources);
    }

    public String render(Diagnostic d) {
        StringBuilder out = new StringBuilder();
        out.append(d.severity().label()).append('[').append(d.code().id()).append("]: ").append(d.message()).append('\n');
        if (d.span() == null) {
            if (d.suggestion() != null) out.append("  = help: did you mean `").append(d.suggestion()).append("`?\n");
            return help(d, out);
        }
        out.append("  --> ").append(d.span()).append('\n');
        SourceText source = sources.get(d.span().file());
        String lineText = source == null ? "" : source.line(d.span().line());
        String number = Integer.toString(d.span().line());
        String gutter = " ".repeat(number.length() + 2);
        out.append(gutter).append("|\n");
        out.append(' ').append(number).append(" | ").append(printable(lineText)).append('\n');
        int caretStart = Math.max(0, d.span().column() - 1);
        int width = d.span().endLine() == d.span().line()
                ? Math.max(1, d.span().endColumn() - d.span().column())
                : Math.max(1, lineText.length() - caretStart);
        out.append(gutter).append("| ").append(" ".repeat(Math.min(caretStart, lineText.length() + 1)))
                .append("^".repeat(Math.min(width, 120)));
        if (d.suggestion() != null) out.append(" did you mean `").append(d.suggestion()).append("`?");
        out.append('\n');
        return help(d, out);
    }

    /** The code's advice, when it has some (the validator's warnings do). */
    private static String help(Diagnostic d, StringBuilder out) {
        if (!d.code().help().isEmpty()) out.append("  = help: ").append(d.code().help()).append('\n');
        return out.toString();
    }

    /** Tabs keep the caret aligned only when shown as one column; control characters must not reach a terminal. */
    private static String printable(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            out.append(c == '\t' ? ' ' : Character.isISOControl(c) ? '?' : c);
        }
        return out.length() > 400 ? out.substring(0, 400) + "…" : out.toString();
    }
}
