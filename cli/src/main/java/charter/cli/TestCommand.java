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

    @picocli.CommandLine.Option(names = "--coverage",
            description = "Also report what the scenarios exercised: each rule fired, each guard both denied and let through, each state invariant violated, each intent decided and allowed, each condition seen true and false.")
    boolean coverage;

    @picocli.CommandLine.Option(names = "--min-coverage", paramLabel = "PERCENT",
            description = "Fail (exit 1) when coverage is below PERCENT (0-100); implies --coverage.")
    Double minCoverage;

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
        if (minCoverage != null && (minCoverage < 0 || minCoverage > 100 || minCoverage.isNaN())) {
            throw new UserError("--min-coverage must be a percentage from 0 to 100, got " + minCoverage);
        }
        if (!c.ok()) return report.emit(Rejected.diagnostics("test", source.label(), Programs.diagnostics(c)));
        charter.engine.scenario.TestReport run = snapshot == null ? new ScenarioRunner(c.program()).run(source.dir)
                : GitPrograms.runScenarios(c.program(), snapshot);
        boolean withCoverage = coverage || minCoverage != null;
        return report.emit(new TestRunReport(run, withCoverage ? charter.engine.scenario.Coverage.of(c.program(), run) : null, minCoverage));
    }
}
