package charter.cli.report;

/** `charter check`: every diagnostic of every pass but the Drools build. */
public record CheckReport(String dir, DiagnosticSet diagnostics) implements CommandResult {
    @Override
    public int exitCode() {
        return diagnostics.errors() > 0 ? 1 : 0;
    }
}
