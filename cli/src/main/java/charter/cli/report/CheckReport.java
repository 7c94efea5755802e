package charter.cli.report;

/**
 * `charter check`: every diagnostic of every pass but the Drools build. With {@code strict}
 * (`--strict`), warnings fail the check as errors do.
 */
public record CheckReport(String dir, DiagnosticSet diagnostics, boolean strict) implements CommandResult {
    public CheckReport(String dir, DiagnosticSet diagnostics) {
        this(dir, diagnostics, false);
    }

    @Override
    public int exitCode() {
        return diagnostics.errors() > 0 || strict && diagnostics.warnings() > 0 ? 1 : 0;
    }
}
