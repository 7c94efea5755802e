package charter.cli.report;

import charter.engine.explain.Explanation;

/** `charter explain`: one explanation. It exits 0 whatever the verdict: the answer is the output, not the code. */
public record ExplainReport(Explanation explanation) implements CommandResult {
    @Override
    public int exitCode() {
        return 0;
    }
}
