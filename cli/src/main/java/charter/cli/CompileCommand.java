package charter.cli;

import charter.cli.report.CommandResult;
import charter.cli.report.CompileReport;
import charter.cli.report.DiagnosticSet;
import charter.cli.report.Rejected;
import charter.compiler.Compilation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "compile", description = {
        "Compile a Program and print the generated DRL.",
        "With --format json: {program, version, drl, sourceMap, diagnostics}.",
        "With --repo PATH --rev REV [--path P]: the Program at a Git revision; its version is the commit SHA.",
        "Exit 1 with the diagnostics when it does not compile."})
final class CompileCommand implements Callable<Integer> {
    @Mixin
    ProgramSource source;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        Compilation c = source.compile();
        CommandResult result = c.ok()
                ? new CompileReport(c.program().name(), c.program().version(), c.drl(), Programs.diagnostics(c))
                : Rejected.diagnostics("compile", source.label(), Programs.diagnostics(c));
        return report.emit(result);
    }
}
