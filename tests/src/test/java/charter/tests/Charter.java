package charter.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the real `./charter` launcher of the repository as a process. */
final class Charter {
    /** Generous: the first run of the launcher may build the CLI. */
    static final long TIMEOUT_SECONDS = 300;

    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }

        /** A user error never shows a Java stack trace or exception name. */
        void assertNoTrace() {
            assertFalse(all().contains("Exception"), () -> "exception in output:\n" + all());
            assertFalse(all().contains("at charter."), () -> "stack trace in output:\n" + all());
            assertFalse(all().contains("\tat "), () -> "stack trace in output:\n" + all());
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Path root() {
        String root = System.getProperty("charter.root");
        if (root == null) fail("run through Maven: the surefire configuration passes -Dcharter.root");
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** The distribution archive the build made (`dist/target/charter-VERSION.tar.gz`). */
    static Path distribution() throws IOException {
        try (Stream<Path> files = Files.list(root().resolve("dist/target"))) {
            return files.filter(p -> p.getFileName().toString().matches("charter-.+\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no dist/target/charter-*.tar.gz: mvn package builds it"));
        }
    }

    static Path resource(String relative) {
        return root().resolve("tests/src/test/resources").resolve(relative);
    }

    static Result run(String... args) {
        return runIn(root(), args);
    }

    /** Runs `<root>/charter args…` with `dir` as the working directory. */
    static Result runIn(Path dir, String... args) {
        return runIn(dir, java.util.Map.of(), args);
    }

    /** As {@link #runIn(Path, String...)}, with extra environment variables. */
    static Result runIn(Path dir, java.util.Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(root().resolve("charter").toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("charter-out", ".txt");
            Path err = Files.createTempFile("charter-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().remove("CHARTER_DEBUG");
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("timed out after " + TIMEOUT_SECONDS + "s: " + command);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Copies a folder tree (a Program to change in a test). */
    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }

    private Charter() {}
}
