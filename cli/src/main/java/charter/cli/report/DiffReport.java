package charter.cli.report;

import charter.compiler.diff.ProgramDiff;
import charter.engine.impact.ImpactReport;

/**
 * `charter diff`: the semantic diff of two Program versions and, when events or intents
 * were given, the impact analysis. Text, Markdown and JSON are three renderings of it.
 *
 * @param impact null when no events or intents were given
 */
public record DiffReport(Side before, Side after, ProgramDiff diff, ImpactReport impact) implements CommandResult {

    /** One version: where it was read from (a folder, or a repository and revision), its name and content version. */
    public record Side(String source, String program, String version) {}

    @Override
    public int exitCode() {
        return 0;
    }
}
