package charter.lsp;

import charter.compiler.load.ProgramFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the files an editor opens live: the Program folder of a document is the nearest folder above it with a `charter.yaml`. */
final class ProgramFolders {
    private ProgramFolders() {}

    /** The local path of a `file:` URI, or empty for any other scheme (an unsaved buffer, a diff view). */
    static Optional<Path> pathOf(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (!"file".equalsIgnoreCase(parsed.getScheme())) return Optional.empty();
            return Optional.of(Path.of(parsed).toAbsolutePath().normalize());
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The Program folder holding `file`, or empty when no folder above it has a `charter.yaml`. */
    static Optional<Path> rootOf(Path file) {
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(ProgramFiles.MANIFEST))) return Optional.of(dir);
        }
        return Optional.empty();
    }

    /** The '/'-separated path of `file` inside `root`, as the compiler names files. */
    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    static String uriOf(Path root, String relative) {
        return root.resolve(relative).toUri().toString();
    }
}
