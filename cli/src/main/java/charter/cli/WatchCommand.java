package charter.cli;

import charter.cli.report.WatchEventReport;
import charter.gitsync.GitProgramException;
import charter.gitsync.ProgramRepository;
import charter.gitsync.ProgramWatcher;
import charter.gitsync.WatchEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "watch", description = {
        "Follow a branch and keep the last good Program live.",
        "Each new commit is compiled and its scenarios run as a gate; only then is it swapped in.",
        "A commit that does not compile or fails a scenario is rejected and the last good one stays live.",
        "Prints every accept and reject as it happens (--format json: one JSON object a line).",
        "With --once: takes the pending commits, prints them and exits 1 if any was rejected."})
final class WatchCommand implements Callable<Integer> {
    @Option(names = "--repo", required = true, paramLabel = "PATH|URL",
            description = "A local repository, or a URL (file://, https://, ssh://) to clone and fetch from.")
    String repo;

    @Option(names = "--branch", defaultValue = "main", paramLabel = "BRANCH", description = "The branch to follow (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(names = "--path", paramLabel = "P", description = "The Program folder inside the repository (default: the one holding charter.yaml).")
    String path;

    @Option(names = "--interval", defaultValue = "5s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often to poll (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--once", description = "Take the pending commits once and exit.")
    boolean once;

    @Option(names = "--since", paramLabel = "REV",
            description = "Start from this commit (on the branch) and take every commit after it; default: the tip only.")
    String since;

    @Option(names = "--clone-dir", paramLabel = "DIR", description = "With a URL: clone here (default: a new temporary folder).")
    Path cloneDir;

    @Mixin
    ReportOptions report;

    static boolean isUrl(String s) {
        return s.contains("://") || s.matches("[\\w.-]+@[\\w.-]+:.*");
    }

    @Override
    public Integer call() throws Exception {
        boolean remote = isUrl(repo);
        ProgramRepository repository;
        try {
            if (remote) {
                Path dir = cloneDir != null ? cloneDir : Files.createTempDirectory("charter-watch-");
                repository = ProgramRepository.clone(repo, dir);
            } else {
                repository = ProgramRepository.open(Path.of(repo));
            }
        } catch (GitProgramException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot create a folder to clone into: " + e.getMessage());
        }
        try (repository; ProgramWatcher watcher = new ProgramWatcher(repository, branch, path, remote)) {
            if (since != null) {
                try {
                    repository.resolve(since);
                } catch (GitProgramException e) {
                    throw new UserError(e.getMessage());
                }
                watcher.since(since);
            }
            watcher.onEvent(e -> report.emit(new WatchEventReport(branch, e)));
            if (once) {
                List<WatchEvent> events = watcher.refresh();
                boolean bad = events.stream().anyMatch(e -> e.kind() == WatchEvent.Kind.REJECTED || e.kind() == WatchEvent.Kind.ERROR);
                return bad || watcher.live().isEmpty() ? Main.USER_ERROR : Main.OK;
            }
            watcher.start(interval);
            // Runs until interrupted (Ctrl-C ends the JVM).
            Thread.currentThread().join();
            return Main.OK;
        }
    }
}
