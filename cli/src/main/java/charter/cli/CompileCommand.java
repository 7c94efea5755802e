package charter.cli;

import charter.cli.report.CommandResult;
import charter.cli.report.CompileReport;
import charter.cli.report.DiagnosticSet;
import charter.cli.report.Rejected;
import charter.compiler.Compilation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "compile", description = {
        "Compile a Program and print the generated DRL.",
        "With --format json: {program, version, drl, sourceMap, diagnostics}.",
        "Exit 1 with the diagnostics when it does not compile."})
final class CompileCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The Program folder (with charter.yaml).")
    Path dir;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        Compilation c = Programs.compile(dir);
        CommandResult result = c.ok()
                ? new CompileReport(c.program().name(), c.program().version(), c.drl(), Programs.diagnostics(c))
                : Rejected.diagnostics("compile", dir.toString(), Programs.diagnostics(c));
        return report.emit(result);
    }
}
