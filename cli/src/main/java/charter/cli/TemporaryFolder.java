package charter.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A folder under the system's temporary directory, deleted with everything in it on close. */
final class TemporaryFolder implements AutoCloseable {
    private final Path dir;

    private TemporaryFolder(Path dir) {
        this.dir = dir;
    }

    static TemporaryFolder create(String prefix) throws IOException {
        return new TemporaryFolder(Files.createTempDirectory(prefix));
    }

    Path path() {
        return dir;
    }

    @Override
    public void close() {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
