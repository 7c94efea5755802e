package charter.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every `sh` block of docs/getting-started.md and docs/pull-requests.md, and the tagged
 * examples of README.md, docs/cli.md, docs/language/validator.md and docs/review.md, in order,
 * as a new user would: from an empty folder that has only a `charter` in it (the pages call
 * `./charter`, or `../charter` from a folder they make). A block must exit as its `{exit=N}`
 * says (0 when it says nothing), and a `text {output}` block right after it lists lines the
 * block must print, in that order (blank lines and lines the page leaves out, such as a
 * version hash, are not compared).
 */
class GettingStartedDocTest {
    private static final long TIMEOUT_SECONDS = 300;

    @Test
    void everyCommandOfTheGettingStartedPageDoesWhatThePageSays(@TempDir Path dir) throws Exception {
        assertEquals(5, runInOrder("getting-started.md", blocks("docs/getting-started.md"), dir), "the page's command blocks (update this count when adding one)");
    }

    @Test
    void theReadmesFirstRuleWorksAsWritten(@TempDir Path dir) throws Exception {
        assertEquals(1, runInOrder("README.md", tagged("README.md", "first-rule"), dir), "README.md marks its first rule `sh {first-rule}`");
    }

    @Test
    void theCliPagesExplainExampleWorksAsWritten(@TempDir Path dir) throws Exception {
        assertEquals(1, runInOrder("docs/cli.md", tagged("docs/cli.md", "explain"), dir), "docs/cli.md marks its explain example `sh {explain}`");
    }

    @Test
    void thePullRequestPageFromInitToCoverageWorksAsWritten(@TempDir Path dir) throws Exception {
        assertEquals(3, runInOrder("docs/pull-requests.md", blocks("docs/pull-requests.md"), dir), "the page's command blocks: init, coverage, --min-coverage");
    }

    @Test
    void theCliPagesCatalogExampleWorksAsWritten(@TempDir Path dir) throws Exception {
        assertEquals(1, runInOrder("docs/cli.md", tagged("docs/cli.md", "catalog"), dir), "docs/cli.md marks its catalog example `sh {catalog}`");
    }

    @Test
    void theValidatorPagesStrictCheckFailsAsWritten(@TempDir Path dir) throws Exception {
        String page = "docs/language/validator.md";
        assertEquals(1, runInOrder(page, tagged(page, "strict"), dir), page + " marks its `check --strict` example `sh {strict exit=1}`");
    }

    @Test
    void theReviewPagesExitCodesForCiAreTheOnesItShows(@TempDir Path dir) throws Exception {
        String page = "docs/review.md";
        assertEquals(2, runInOrder(page, tagged(page, "exit-codes"), dir),
                page + " marks its --detailed-exitcode and --fail-on examples `sh {exit-codes exit=N}`");
    }

    /** Every fenced block of a page, in order. */
    private static List<MarkdownBlocks.Block> blocks(String page) throws IOException {
        return MarkdownBlocks.parse(Files.readString(root().resolve(page))).blocks();
    }

    /** The blocks of a page whose info string carries `tag` (`sh {tag}`, `text {output tag}`), in order. */
    private static List<MarkdownBlocks.Block> tagged(String page, String tag) throws IOException {
        return blocks(page).stream().filter(b -> b.has(tag)).toList();
    }

    /** Runs the `sh` blocks in order from `dir`, beside a `charter` launcher, checking exits and outputs; returns how many ran. */
    private static int runInOrder(String page, List<MarkdownBlocks.Block> blocks, Path dir) throws Exception {
        Path launcher = dir.resolve("charter");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + root().resolve("charter") + "' \"$@\"\n");
        launcher.toFile().setExecutable(true);
        Path cwd = dir;
        String lastOutput = null;
        int ran = 0;
        for (MarkdownBlocks.Block block : blocks) {
            switch (block.language()) {
                case "sh" -> {
                    Run run = run(cwd, block.body());
                    ran++;
                    assertEquals(block.expectedExit(), run.exit(),
                            () -> page + ":" + block.line() + " exited " + run.exit() + "\n" + run.output());
                    assertFalse(run.output().contains("Exception"), () -> page + ":" + block.line() + "\n" + run.output());
                    cwd = run.cwd();
                    lastOutput = run.output();
                }
                case "text" -> {
                    if (!block.has("output")) continue;
                    if (lastOutput == null) fail(page + ":" + block.line() + ": an output block before any command");
                    assertPrintsInOrder(page, block, lastOutput);
                }
                default -> { }
            }
        }
        return ran;
    }

    private static void assertPrintsInOrder(String page, MarkdownBlocks.Block expected, String actual) {
        List<String> printed = actual.lines().map(String::stripTrailing).toList();
        int at = 0;
        for (String line : expected.body().lines().map(String::stripTrailing).toList()) {
            if (line.isBlank()) continue;
            int found = printed.subList(at, printed.size()).indexOf(line);
            if (found < 0) {
                fail(page + ":" + expected.line() + ": the command did not print, in this order:\n" + line
                        + "\n--- it printed:\n" + actual);
            }
            at += found + 1;
        }
    }

    private record Run(int exit, String output, Path cwd) {}

    /**
     * Runs a block with `bash -e -o pipefail`; stderr comes before stdout in `output`, as a terminal shows a diagnostic before the summary.
     * The folder it ends in is the next block's, even when it fails (as a reader's shell stays where it was).
     */
    private static Run run(Path cwd, String script) throws IOException, InterruptedException {
        Path cwdFile = Files.createTempFile("charter-doc-cwd", ".txt");
        Path out = Files.createTempFile("charter-doc-out", ".txt");
        Path err = Files.createTempFile("charter-doc-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c",
                    "trap \"pwd > '" + cwdFile + "'\" EXIT\n" + script + "\n").directory(cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("CHARTER_DEBUG");
            // Commits as a reader's configured Git would, whatever (or whether) this machine's
            // global Git configuration says: no identity prompt, no signing.
            pb.environment().putAll(Map.of("GIT_CONFIG_GLOBAL", "/dev/null", "GIT_CONFIG_NOSYSTEM", "1",
                    "GIT_AUTHOR_NAME", "Charter Docs", "GIT_AUTHOR_EMAIL", "docs@example.com",
                    "GIT_COMMITTER_NAME", "Charter Docs", "GIT_COMMITTER_EMAIL", "docs@example.com"));
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + script);
            }
            String after = Files.readString(cwdFile).strip();
            return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8) + Files.readString(out, StandardCharsets.UTF_8),
                    after.isEmpty() ? cwd : Path.of(after));
        } finally {
            Files.deleteIfExists(cwdFile);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Path root() {
        String root = System.getProperty("charter.root");
        if (root == null) fail("run through Maven: the surefire configuration passes -Dcharter.root");
        return Path.of(root).toAbsolutePath().normalize();
    }

    static List<Path> markdownFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (var walk = Files.walk(root.resolve("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }
}
