package charter.cli;

import charter.cli.report.Rejected;
import charter.cli.report.TestRunReport;
import charter.compiler.Compilation;
import charter.engine.scenario.ScenarioRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import charter.gitsync.GitPrograms;
import charter.gitsync.ProgramSnapshot;

@Command(name = "test", description = {
        "Run the Program's scenarios (DIR/scenarios/*.yaml).",
        "Each gives events and intents at given times and expects actions, denials and violations.",
        "With --repo PATH --rev REV [--path P]: the Program and its scenarios at a Git revision.",
        "Exit 1 on any failed scenario or malformed scenario file."})
final class TestCommand implements Callable<Integer> {
    @Mixin
    ProgramSource source;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        if (!source.fromGit()) {
            Path dir = source.dir;
            if (dir != null && Files.isDirectory(dir) && !Files.isDirectory(dir.resolve("scenarios"))) {
                throw new UserError("no scenarios folder in " + dir + ": add scenarios/*.yaml to test the Program");
            }
        }
        Compilation c = source.compile();
        ProgramSnapshot snapshot = source.snapshot();
        if (snapshot != null && snapshot.scenarios().isEmpty()) {
            throw new UserError("no scenarios folder in " + source.label() + ": add scenarios/*.yaml to test the Program");
        }
        if (!c.ok()) return report.emit(Rejected.diagnostics("test", source.label(), Programs.diagnostics(c)));
        return report.emit(new TestRunReport(snapshot == null ? new ScenarioRunner(c.program()).run(source.dir)
                : GitPrograms.runScenarios(c.program(), snapshot)));
    }
}
