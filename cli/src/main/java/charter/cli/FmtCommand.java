package charter.cli;

import charter.cli.report.DiagnosticSet;
import charter.cli.report.FmtReport;
import charter.cli.report.FmtReport.FileStatus;
import charter.cli.report.FmtReport.Status;
import charter.cli.report.Rejected;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.SourceText;
import charter.compiler.fmt.FormatResult;
import charter.compiler.fmt.ProgramFormatter;
import charter.compiler.load.LoadedProgram;
import charter.compiler.load.ProgramFiles;
import charter.compiler.passes.Diagnostics;
import charter.compiler.passes.LoadPass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fmt", description = {
        "Format the Program's .charter files in place.",
        "Rewrites the files that are not in canonical form and prints their names.",
        "A file with syntax errors is reported and never rewritten (exit 1).",
        "Folders only: fmt rewrites files, so it has no --repo/--rev (format a checkout, then commit)."})
final class FmtCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The Program folder (with charter.yaml).")
    Path dir;

    @Option(names = "--check", description = "Change nothing; list the files that are not canonical and exit 1 if there are any.")
    boolean check;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        ProgramFiles files = Programs.read(dir);
        Diagnostics loadDiagnostics = new Diagnostics();
        LoadedProgram loaded = new LoadPass().run(files, loadDiagnostics);
        if (loaded == null) {
            return report.emit(Rejected.diagnostics("fmt", dir.toString(), new DiagnosticSet(loadDiagnostics.all(), Map.of())));
        }
        TreeSet<String> paths = new TreeSet<>();
        for (String p : files.files().keySet()) if (p.endsWith(".charter")) paths.add(p);
        for (String p : files.oversized().keySet()) if (p.endsWith(".charter")) paths.add(p);
        for (String p : files.outside()) if (p.endsWith(".charter")) paths.add(p);

        List<FileStatus> statuses = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        Map<String, SourceText> sources = new HashMap<>();
        for (String path : paths) {
            SourceText source = loaded.sources().get(path);
            if (source == null) {
                // Not decoded: too large, not UTF-8 or a link out of the folder; the load pass said why.
                loadDiagnostics.all().stream().filter(d -> d.span() != null && d.span().file().equals(path)).forEach(diagnostics::add);
                statuses.add(new FileStatus(path, Status.ERROR));
                continue;
            }
            FormatResult result = ProgramFormatter.check(path, source.text());
            if (!result.formattable()) {
                diagnostics.addAll(result.diagnostics());
                sources.put(path, source);
                statuses.add(new FileStatus(path, Status.ERROR));
            } else if (result.canonical()) {
                statuses.add(new FileStatus(path, Status.CANONICAL));
            } else if (check) {
                statuses.add(new FileStatus(path, Status.NOT_CANONICAL));
            } else {
                rewrite(dir.resolve(path), result.formatted());
                statuses.add(new FileStatus(path, Status.REFORMATTED));
            }
        }
        return report.emit(new FmtReport(dir.toString(), check, statuses, new DiagnosticSet(diagnostics, sources)));
    }

    /** Writes a sibling temporary file and moves it over the original, so an interrupted run never leaves half a file. */
    private static void rewrite(Path file, String text) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".fmt");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException notPosix) {
                // keep the default permissions
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new UserError("cannot rewrite " + file + ": " + e.getMessage());
        }
    }
}
