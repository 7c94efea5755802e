package charter.cli.report;

import charter.gitsync.Blame;

/** `charter blame`: the commit that introduced a rule and the one that last changed it, with its renames. */
public record BlameReport(Blame.Result result) implements CommandResult {
    @Override
    public int exitCode() {
        return 0;
    }
}
