package charter.cli;

import charter.cli.report.DiagnosticSet;
import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading a Program folder and compiling it, with the user errors (missing, unreadable) as one-line messages. */
final class Programs {
    private Programs() {}

    static ProgramFiles read(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("not a Program folder: " + dir + " is a file; give the folder that holds charter.yaml");
        }
        if (Files.isDirectory(dir) && !Files.isReadable(dir)) {
            throw new UserError("cannot read the Program folder " + dir + ": permission denied");
        }
        try {
            return ProgramFiles.fromDirectory(dir);
        } catch (ProgramFiles.NoSuchProgramException e) {
            throw new UserError(e.getMessage());
        } catch (UncheckedIOException e) {
            String why = e.getCause() instanceof AccessDeniedException denied
                    ? "permission denied: " + denied.getFile() : e.getCause().getMessage();
            throw new UserError("cannot read the Program folder " + dir + ": " + why);
        }
    }

    static Compilation compile(Path dir) {
        return new ProgramCompiler(Catalog.standard()).compile(read(dir));
    }

    static Compilation check(Path dir) {
        return new ProgramCompiler(Catalog.standard()).check(read(dir));
    }

    static DiagnosticSet diagnostics(Compilation c) {
        return new DiagnosticSet(c.diagnostics(), c.sources());
    }

    /** An input file given by an option must exist and be a readable file. */
    static void requireFile(Path file, String what) {
        if (!Files.exists(file)) throw new UserError(what + " not found: " + file);
        if (!Files.isRegularFile(file)) throw new UserError(what + " is not a file: " + file);
        if (!Files.isReadable(file)) throw new UserError("cannot read the " + what + " " + file + ": permission denied");
    }
}
