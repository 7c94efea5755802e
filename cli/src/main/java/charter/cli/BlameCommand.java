package charter.cli;

import charter.cli.report.BlameReport;
import charter.gitsync.Blame;
import charter.gitsync.GitProgramException;
import charter.gitsync.ProgramRepository;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "blame", description = {
        "Which commit introduced a rule (or invariant, or intent) and which last changed it.",
        "Follows renames (the same body under a new id); reformatting and comments are not changes.",
        "Exit 1 if the repository, revision, Program folder or rule is not found."})
final class BlameCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RULE", description = "The id of the rule, invariant or intent.")
    String rule;

    @Option(names = "--repo", required = true, paramLabel = "PATH", description = "The Git repository holding the Program.")
    Path repo;

    @Option(names = "--rev", defaultValue = "HEAD", paramLabel = "REV", description = "Blame as of this revision (default: ${DEFAULT-VALUE}).")
    String rev;

    @Option(names = "--path", paramLabel = "P", description = "The Program folder inside the repository (default: the one holding charter.yaml).")
    String path;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        try (ProgramRepository r = ProgramRepository.open(repo)) {
            Blame.Result result = new Blame(r).blame(rev, path, rule);
            return report.emit(new BlameReport(result));
        } catch (GitProgramException e) {
            throw new UserError(e.getMessage());
        }
    }
}
