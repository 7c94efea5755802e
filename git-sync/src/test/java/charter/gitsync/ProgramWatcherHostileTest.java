package charter.gitsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.gitsync.WatchEvent.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 item 10: hostile commits neither wedge the watcher nor make it retry for ever, and a damaged repository heals. */
class ProgramWatcherHostileTest {
    @TempDir
    Path tmp;

    private static List<Kind> kinds(List<WatchEvent> events) {
        return events.stream().map(WatchEvent::kind).toList();
    }

    @Test
    void aScenarioCallingAFunctionThatNeverStopsIsRejectedAndTheNextGoodCommitGoesLive() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            repo.commit("Page on failed deploys");
            try (ProgramRepository r = ProgramRepository.open(repo.dir); ProgramWatcher w = new ProgramWatcher(r, "main", null, false)) {
                assertEquals(List.of(Kind.ACCEPTED), kinds(w.refresh()));
                String spin = """

                        function js spin(x: string): string { return String([].lastIndexOf.call({length: 2 ** 53 - 1}, x)) }
                        function js stall(x: string): string {
                          const o = { length: 4194304 }
                          let r = 0
                          for (let i = 0; i < 40; i++) r = [].lastIndexOf.call(o, x)
                          return x
                        }
                        """;
                repo.write("company/main.charter", TestRepo.PEOPLE + spin
                        + TestRepo.PAGE_RULE.replace("${d.project}", "${spin(d.project)} ${stall(d.project)}"));
                String bad = repo.commit("Spin");
                List<WatchEvent> e = assertTimeoutPreemptively(Duration.ofSeconds(90), w::refresh);
                assertEquals(List.of(Kind.REJECTED), kinds(e), e.toString());
                assertEquals(bad, e.getFirst().commit().sha());

                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
                String good = repo.commit("Escalate");
                List<WatchEvent> next = assertTimeoutPreemptively(Duration.ofSeconds(90), w::refresh);
                assertEquals(List.of(Kind.ACCEPTED), kinds(next), next.toString());
                assertEquals(good, w.live().orElseThrow().commit().sha());
            }
        }
    }

    @Test
    void aCommitThatOverflowsTheCompilersStackIsRejectedOnceNotAtEveryPoll() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            repo.commit("Page on failed deploys");
            try (ProgramRepository r = ProgramRepository.open(repo.dir); ProgramWatcher w = new ProgramWatcher(r, "main", null, false)) {
                assertEquals(List.of(Kind.ACCEPTED), kinds(w.refresh()));
                // Issue 12 item 12: some thousands of `not` overflowed the parser's stack (it may become a diagnostic).
                String deep = "not ".repeat(6_000) + "d.target == \"production\"";
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE.replace("d.target == \"production\"", deep));
                String bad = repo.commit("Deep");
                List<WatchEvent> e = w.refresh();
                assertEquals(List.of(Kind.REJECTED), kinds(e), e.toString());
                assertEquals(bad, e.getFirst().commit().sha());
                assertEquals(List.of(), w.refresh(), "a rejected commit is not taken again");
            }
        }
    }

    @Test
    void aCommitWithAMissingObjectIsRetriedAndGoesLiveOnceTheObjectIsRestored() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            repo.commit("Page on failed deploys");
            try (ProgramRepository r = ProgramRepository.open(repo.dir); ProgramWatcher w = new ProgramWatcher(r, "main", null, false)) {
                assertEquals(List.of(Kind.ACCEPTED), kinds(w.refresh()));
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
                String c2 = repo.commit("Escalate");
                ObjectId blob = repo.git.getRepository().resolve(c2 + ":company/main.charter");
                Path object = repo.dir.resolve(".git/objects/" + blob.name().substring(0, 2) + "/" + blob.name().substring(2));
                Path aside = tmp.resolve("aside");
                Files.move(object, aside);

                List<WatchEvent> e = w.refresh();
                assertEquals(List.of(Kind.ERROR), kinds(e), e.toString());
                assertTrue(e.getFirst().reasons().getFirst().contains("cannot read the Git repository"), e.toString());
                assertEquals(List.of(), w.refresh(), "the same failure is recorded once");

                Files.move(aside, object);
                List<WatchEvent> healed = w.refresh();
                assertEquals(List.of(Kind.ACCEPTED), kinds(healed), healed.toString());
                assertEquals(c2, w.live().orElseThrow().commit().sha());
            }
        }
    }
}
