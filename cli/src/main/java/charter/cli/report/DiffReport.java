package charter.cli.report;

import charter.compiler.diff.ProgramDiff;
import charter.engine.impact.ChangeReport;
import charter.engine.impact.ImpactReport;

/**
 * `charter diff`: the {@link ChangeReport} of two Program versions (the semantic diff and,
 * when events or intents were given, the impact analysis). Text, Markdown and JSON are three
 * renderings of it; the server's {@code POST /v1/diff} renders the same object.
 */
public record DiffReport(ChangeReport result) implements CommandResult {

    public ChangeReport.Side before() {
        return result.before();
    }

    public ChangeReport.Side after() {
        return result.after();
    }

    public ProgramDiff diff() {
        return result.diff();
    }

    /** null when no events or intents were given. */
    public ImpactReport impact() {
        return result.impact();
    }

    @Override
    public int exitCode() {
        return 0;
    }
}
