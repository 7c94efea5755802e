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
import picocli.CommandLine.Parameters;

@Command(name = "test", description = {
        "Run the Program's scenarios (DIR/scenarios/*.yaml).",
        "Each gives events and intents at given times and expects actions, denials and violations.",
        "Exit 1 on any failed scenario or malformed scenario file."})
final class TestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The Program folder (with charter.yaml and scenarios/).")
    Path dir;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        Path scenarios = dir.resolve("scenarios");
        if (Files.isDirectory(dir) && !Files.isDirectory(scenarios)) {
            throw new UserError("no scenarios folder in " + dir + ": add scenarios/*.yaml to test the Program");
        }
        Compilation c = Programs.compile(dir);
        if (!c.ok()) return report.emit(Rejected.diagnostics("test", dir.toString(), Programs.diagnostics(c)));
        return report.emit(new TestRunReport(new ScenarioRunner(c.program()).run(dir)));
    }
}
