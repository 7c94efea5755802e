package charter.cli.report;

import charter.engine.scenario.Coverage;
import charter.engine.scenario.TestReport;

/**
 * `charter test`: every scenario's outcome and every malformed scenario file, and with
 * `--coverage` what the scenarios exercised.
 *
 * @param coverage    null unless asked for
 * @param minCoverage the percentage below which the run fails, or null
 */
public record TestRunReport(TestReport report, Coverage coverage, Double minCoverage) implements CommandResult {
    public TestRunReport(TestReport report) {
        this(report, null, null);
    }

    /** Coverage was asked for with a minimum, and the scenarios fall short of it. */
    public boolean belowMinimum() {
        return coverage != null && minCoverage != null && coverage.percent() < minCoverage;
    }

    @Override
    public int exitCode() {
        return report.passed() && report.errors().isEmpty() && !belowMinimum() ? 0 : 1;
    }
}
