package charter.cli;

import charter.cli.report.DiagnosticSet;
import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.gitsync.GitProgramException;
import charter.gitsync.GitPrograms;
import charter.gitsync.ProgramRepository;
import charter.gitsync.ProgramSnapshot;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where a command's Program comes from: a folder ({@code DIR}), or a Git repository at a
 * revision ({@code --repo PATH --rev REV [--path P]}), read from Git objects without
 * touching the working tree. From Git, the Program's version is the commit SHA.
 */
public final class ProgramSource {
    @Parameters(paramLabel = "DIR", arity = "0..1", description = "The Program folder (with charter.yaml); or use --repo.")
    Path dir;

    @Option(names = "--repo", paramLabel = "PATH", description = "Read the Program from this Git repository instead of a folder.")
    Path repo;

    @Option(names = "--rev", paramLabel = "REV", description = "With --repo: the revision (branch, tag, HEAD~1, SHA; default: HEAD).")
    String rev;

    @Option(names = "--path", paramLabel = "P", description = "With --repo: the Program folder inside the repository (default: the one holding charter.yaml).")
    String path;

    private ProgramSnapshot snapshot;

    /** The Program read from Git, or null for a folder. */
    ProgramSnapshot snapshot() {
        return snapshot;
    }

    boolean fromGit() {
        return repo != null;
    }

    /** What to call the Program in reports: the folder, or {@code folder@sha7}. */
    String label() {
        return repo == null ? dir.toString() : snapshot.files().root();
    }

    /** Reads the Program (once); every problem is a one-line user error. */
    ProgramFiles read() {
        if (repo == null) {
            if (dir == null) throw new UserError("give the Program folder (DIR) or a repository with --repo PATH");
            if (rev != null || path != null) throw new UserError("--rev and --path go with --repo PATH");
            return Programs.read(dir);
        }
        if (dir != null) throw new UserError("give either the Program folder (DIR) or --repo, not both");
        if (snapshot == null) {
            try (ProgramRepository r = ProgramRepository.open(repo)) {
                snapshot = r.snapshot(rev == null ? "HEAD" : rev, path);
            } catch (GitProgramException e) {
                throw new UserError(e.getMessage());
            }
        }
        return snapshot.files();
    }

    Compilation compile() {
        return compile(ProgramCompiler.Stage.BUILT);
    }

    /** Up to a stage: {@code LINKED} for commands that only interpret the Program (no Drools build). */
    Compilation compile(ProgramCompiler.Stage upTo) {
        ProgramFiles files = read();
        ProgramCompiler compiler = new ProgramCompiler(Catalog.standard());
        return snapshot == null ? compiler.compile(files, upTo) : GitPrograms.compile(compiler, snapshot, upTo);
    }

    Compilation check() {
        return new ProgramCompiler(Catalog.standard()).check(read());
    }

    static DiagnosticSet diagnostics(Compilation c) {
        return Programs.diagnostics(c);
    }
}
