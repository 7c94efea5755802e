package charter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An example Program shipped on the classpath under {@code charter-examples/NAME/} (the
 * program-examples jar), copied into a temporary folder so it reads like any other Program
 * folder. Close it to delete the copy.
 */
final class ExampleProgram implements AutoCloseable {
    static final String PREFIX = "charter-examples/";
    static final String EVENTS = "events.jsonl";
    static final String INTENTS = "intents.jsonl";

    private final String name;
    private final Path dir;

    private ExampleProgram(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    String name() {
        return name;
    }

    Path dir() {
        return dir;
    }

    Path intents() {
        return dir.resolve(INTENTS);
    }

    Path events() {
        return dir.resolve(EVENTS);
    }

    /** Copies every resource under {@code charter-examples/NAME/} into a new temporary folder. */
    static ExampleProgram materialise(String name, ClassLoader loader) throws IOException {
        String prefix = PREFIX + name + "/";
        URL marker = loader.getResource(prefix + EVENTS);
        if (marker == null) throw new IllegalStateException("the example Program `" + name + "` is not on the classpath (" + prefix + ")");
        Path target = Files.createTempDirectory("charter-" + name + "-");
        ExampleProgram example = new ExampleProgram(name, target);
        try {
            if ("jar".equals(marker.getProtocol())) {
                JarURLConnection connection = (JarURLConnection) marker.openConnection();
                connection.setUseCaches(false);
                Path jar = Path.of(connection.getJarFileURL().toURI());
                try (FileSystem fs = FileSystems.newFileSystem(jar)) {
                    copyTree(fs.getPath("/" + prefix), target);
                }
            } else {
                copyTree(Path.of(marker.toURI()).getParent(), target);
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            example.close();
            if (e instanceof IOException io) throw io;
            throw new IllegalStateException("cannot read the example Program `" + name + "`: " + e.getMessage(), e);
        }
        return example;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(resolve(from, d, to));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                try (InputStream in = Files.newInputStream(f)) {
                    Files.copy(in, resolve(from, f, to));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** `f` relative to `from`, resolved against `to`, name by name (the two may be different file systems). */
    private static Path resolve(Path from, Path f, Path to) {
        Path out = to;
        for (Path part : from.relativize(f)) out = out.resolve(part.toString());
        return out;
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
