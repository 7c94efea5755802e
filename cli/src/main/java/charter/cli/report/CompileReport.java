package charter.cli.report;

import charter.compiler.generate.GeneratedDrl;

/** `charter compile`: the generated DRL with its source map; `warnings` are the non-fatal diagnostics. */
public record CompileReport(String program, String version, GeneratedDrl drl, DiagnosticSet warnings)
        implements CommandResult {
    @Override
    public int exitCode() {
        return 0;
    }
}
