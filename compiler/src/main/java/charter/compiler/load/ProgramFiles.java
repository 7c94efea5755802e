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
 *
 * @param oversized files not read because they are larger than {@link #MAX_FILE_BYTES}, with their size
 * @param outside   files not read because they are symbolic links that lead outside the folder
 */
public record ProgramFiles(String root, Map<String, byte[]> files, Map<String, Long> oversized, java.util.Set<String> outside) {
    public static final String MANIFEST = "charter.yaml";
    /** Files larger than this are refused with a diagnostic instead of being parsed. */
    public static final long MAX_FILE_BYTES = 1L << 20;

    public ProgramFiles {
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        oversized = Map.copyOf(oversized);
        outside = java.util.Set.copyOf(outside);
    }

    public ProgramFiles(String root, Map<String, byte[]> files, Map<String, Long> oversized) {
        this(root, files, oversized, java.util.Set.of());
    }

    public ProgramFiles(String root, Map<String, byte[]> files) {
        this(root, files, Map.of());
    }

    /**
     * Reads `charter.yaml` and every `.charter` file under the folder (scenarios and hidden folders excluded).
     * A symbolic link is followed only when it stays inside the folder: one that leads outside (to
     * `/proc/self/environ`, `/etc/passwd`, a secret) is never read, only named in {@link #outside()}.
     */
    public static ProgramFiles fromDirectory(Path dir) throws NoSuchProgramException {
        if (!Files.isDirectory(dir)) throw new NoSuchProgramException("not a Program folder: " + dir + " (no such directory)");
        Map<String, byte[]> files = new TreeMap<>();
        Map<String, Long> oversized = new TreeMap<>();
        java.util.Set<String> outside = new java.util.TreeSet<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            Path realRoot = dir.toRealPath();
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.startsWith(".") || rel.contains("/.") || rel.startsWith("target/")) continue;
                if (!rel.equals(MANIFEST) && !rel.endsWith(".charter")) continue;
                if (Files.isSymbolicLink(p) && !ProgramFolder.staysInside(realRoot, p)) {
                    outside.add(rel);
                    continue;
                }
                if (!Files.isRegularFile(p)) continue;
                long size = Files.size(p);
                if (size > MAX_FILE_BYTES) oversized.put(rel, size);
                else files.put(rel, Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProgramFiles(dir.toString(), files, oversized, outside);
    }

    /** The folder does not exist or is not a directory. */
    public static final class NoSuchProgramException extends Exception {
        public NoSuchProgramException(String message) {
            super(message);
        }
    }
}
