package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `charter diff` for CI: `--detailed-exitcode` (0 nothing would change, 2 changes, 1 an error, as
 * terraform plan) and `--fail-on` (3 when the impact analysis shows one of the named kinds), on acme
 * with one invariant made hard, which flips two of its recorded intents and removes two actions.
 */
class DiffExitCodeTest {
    @TempDir
    static Path tmp;
    static Path before;
    static Path after;
    static String intents;

    @BeforeAll
    static void programs() throws IOException {
        Path acme = Path.of("../program-examples/acme").toAbsolutePath().normalize();
        before = copy(acme, tmp.resolve("before"));
        after = copy(acme, tmp.resolve("after"));
        intents = acme.resolve("intents.jsonl").toString();
        Path file = after.resolve("intents.charter");
        String soft = "invariant ship_by_owning_team \"Production deploys are made by the owning team\" soft";
        String text = Files.readString(file);
        assertTrue(text.contains(soft));
        Files.writeString(file, text.replace(soft, soft.replace(" soft", " hard")));
    }

    @Test
    void detailedExitcodeIsZeroWithoutChangesAndTwoWithThem() {
        assertEquals(0, MainTest.run("diff", before.toString(), before.toString(), "--detailed-exitcode", "--intents", intents).code());
        MainTest.Run changed = MainTest.run("diff", before.toString(), after.toString(), "--detailed-exitcode");
        assertEquals(2, changed.code(), changed.err());
        assertTrue(changed.out().contains("level: soft → hard"), changed.out());
        assertEquals(0, MainTest.run("diff", before.toString(), after.toString()).code(), "without the flag a diff is a report");
    }

    @Test
    void anErrorIsOneWithDetailedExitcode() {
        MainTest.Run missing = MainTest.run("diff", before.toString(), tmp.resolve("nope").toString(), "--detailed-exitcode");
        assertEquals(1, missing.code(), missing.err());
    }

    @Test
    void failOnExitsThreeAndSaysWhyOnlyForTheKindsItNames() {
        MainTest.Run flipped = MainTest.run("diff", before.toString(), after.toString(), "--intents", intents,
                "--fail-on", "actions-added,decisions-flipped", "--detailed-exitcode");
        assertEquals(3, flipped.code(), flipped.err());
        assertEquals("charter diff: failing: 2 decisions flipped (--fail-on decisions-flipped)", flipped.err().strip());
        MainTest.Run added = MainTest.run("diff", before.toString(), after.toString(), "--intents", intents, "--fail-on", "actions-added");
        assertEquals(0, added.code(), "no action was added: " + added.err());
        MainTest.Run removed = MainTest.run("diff", before.toString(), after.toString(), "--intents", intents, "--fail-on", "actions-removed",
                "--format", "json");
        assertEquals(3, removed.code());
        assertTrue(removed.out().startsWith("{"), "the JSON document is still written whole");
    }

    @Test
    void aFailingKindIsCountedInGoodEnglish() {
        assertEquals("1 decision flipped", charter.cli.report.DiffReport.FailOn.DECISIONS_FLIPPED.counted(1));
        assertEquals("2 decisions flipped", charter.cli.report.DiffReport.FailOn.DECISIONS_FLIPPED.counted(2));
        for (var kind : charter.cli.report.DiffReport.FailOn.values()) {
            String one = kind.counted(1);
            assertTrue(one.matches("1 [a-z]+[^s] [a-z]+"), one);
            assertEquals(kind.counted(3).replace("3 ", "").replaceFirst("s ", " "), one.replace("1 ", ""), kind.label());
        }
    }

    @Test
    void failOnRefusesUnknownKindsAndMissingInputs() {
        MainTest.Run typo = MainTest.run("diff", before.toString(), after.toString(), "--intents", intents, "--fail-on", "decisions-flippd");
        assertEquals(1, typo.code());
        assertTrue(typo.err().contains("did you mean `decisions-flipped`?"), typo.err());
        MainTest.Run noInputs = MainTest.run("diff", before.toString(), after.toString(), "--fail-on", "decisions-flipped");
        assertEquals(1, noInputs.code());
        assertTrue(noInputs.err().contains("give --events, --intents or --from-store"), noInputs.err());
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }
}
