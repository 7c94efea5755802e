package charter.cli;

import charter.cli.report.CheckReport;
import charter.compiler.Compilation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "check", description = {
        "Check a Program and report every diagnostic.",
        "Runs every compiler pass but the Drools build (load, parse, resolve, typecheck, lower, generate).",
        "Exit 1 if there is any error."})
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The Program folder (with charter.yaml).")
    Path dir;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        Compilation c = Programs.check(dir);
        return report.emit(new CheckReport(dir.toString(), Programs.diagnostics(c)));
    }
}
