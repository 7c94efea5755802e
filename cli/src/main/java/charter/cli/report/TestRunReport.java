package charter.cli.report;

import charter.engine.scenario.TestReport;

/** `charter test`: every scenario's outcome and every malformed scenario file. */
public record TestRunReport(TestReport report) implements CommandResult {
    @Override
    public int exitCode() {
        return report.passed() && report.errors().isEmpty() ? 0 : 1;
    }
}
