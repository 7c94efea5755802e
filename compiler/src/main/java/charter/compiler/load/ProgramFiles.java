package charter.compiler.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The raw files of a Program folder: `charter.yaml` and the `.charter` files, by
 * path relative to the folder ('/'-separated), as bytes. Read from a directory
 * here; the Git module reads the same shape from a commit.
 */
public record ProgramFiles(String root, Map<String, byte[]> files, Map<String, Long> oversized) {
    public static final String MANIFEST = "charter.yaml";
    /** Files larger than this are refused with a diagnostic instead of being parsed. */
    public static final long MAX_FILE_BYTES = 1L << 20;

    public ProgramFiles {
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        oversized = Map.copyOf(oversized);
    }

    public ProgramFiles(String root, Map<String, byte[]> files) {
        this(root, files, Map.of());
    }

    /** Reads `charter.yaml` and every `.charter` file under the folder (scenarios and hidden folders excluded). */
    public static ProgramFiles fromDirectory(Path dir) throws NoSuchProgramException {
        if (!Files.isDirectory(dir)) throw new NoSuchProgramException("not a Program folder: " + dir + " (no such directory)");
        Map<String, byte[]> files = new TreeMap<>();
        Map<String, Long> oversized = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!Files.isRegularFile(p)) continue;
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.startsWith(".") || rel.contains("/.") || rel.startsWith("target/")) continue;
                if (!rel.equals(MANIFEST) && !rel.endsWith(".charter")) continue;
                long size = Files.size(p);
                if (size > MAX_FILE_BYTES) oversized.put(rel, size);
                else files.put(rel, Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProgramFiles(dir.toString(), files, oversized);
    }

    /** The folder does not exist or is not a directory. */
    public static final class NoSuchProgramException extends Exception {
        public NoSuchProgramException(String message) {
            super(message);
        }
    }
}
