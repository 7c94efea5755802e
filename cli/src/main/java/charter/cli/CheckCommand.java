package charter.cli;

import charter.cli.report.CheckReport;
import charter.compiler.Compilation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check", description = {
        "Check a Program and report every diagnostic.",
        "Runs every compiler pass but the Drools build (load, parse, resolve, typecheck, lower, validate, generate).",
        "With --repo PATH --rev REV [--path P]: the Program at a Git revision.",
        "Exit 1 if there is any error (with --strict, any warning too)."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ProgramSource source;

    @Mixin
    ReportOptions report;

    @picocli.CommandLine.Option(names = "--strict",
            description = "Treat warnings (the validator's CH6xx among them) as errors: exit 1 if there is any.")
    boolean strict;

    @Override
    public Integer call() {
        Compilation c = source.check();
        return report.emit(new CheckReport(source.label(), Programs.diagnostics(c), strict));
    }
}
