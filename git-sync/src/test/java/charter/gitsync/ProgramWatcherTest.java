package charter.gitsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.gitsync.WatchEvent.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramWatcherTest {
    @TempDir
    Path tmp;

    private static List<Kind> kinds(List<WatchEvent> events) {
        return events.stream().map(WatchEvent::kind).toList();
    }

    /** Started on a broken tip, the watcher runs the newest good commit before it, not nothing. */
    @Test
    void startedOnABrokenTipTheLastGoodCommitGoesLive() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            String good = repo.commit("Page on failed deploys");
            repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE.replace("then", "thn"));
            String broken = repo.commit("Oops");
            repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE.replace("#incidents", "#random"));
            String failing = repo.commit("Post to #random");
            try (ProgramRepository r = ProgramRepository.open(repo.dir); ProgramWatcher w = new ProgramWatcher(r, "main", null, false)) {
                List<WatchEvent> first = w.refresh();
                assertEquals(List.of(Kind.REJECTED, Kind.REJECTED, Kind.ACCEPTED), kinds(first));
                assertEquals(List.of(failing, broken, good), first.stream().map(e -> e.commit().sha()).toList());
                assertEquals(good, w.live().orElseThrow().commit().sha());
                assertEquals(List.of(), w.refresh(), "the tip is not taken again");
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
                String fixed = repo.commit("Escalate");
                assertEquals(List.of(Kind.ACCEPTED), kinds(w.refresh()));
                assertEquals(fixed, w.live().orElseThrow().commit().sha());
            }
        }
    }

    /** A commit the swap listener could not put live (the engine refused it) is not recorded as live. */
    @Test
    void aCommitWhoseSwapFailedIsRecordedAsFailedAndThePreviousStaysLive() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            String c1 = repo.commit("Page on failed deploys");
            try (ProgramRepository r = ProgramRepository.open(repo.dir); ProgramWatcher w = new ProgramWatcher(r, "main", null, false)) {
                List<String> failing = new ArrayList<>();
                w.onSwap((previous, next) -> {
                    if (failing.contains(next.commit().sha())) throw new IllegalStateException("the engine did not take it in 60 s");
                });
                assertEquals(List.of(Kind.ACCEPTED), kinds(w.refresh()));

                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
                String c2 = repo.commit("Escalate unassigned fatal issues");
                failing.add(c2);
                List<WatchEvent> e2 = w.refresh();
                assertEquals(List.of(Kind.REJECTED), kinds(e2));
                assertEquals(c2, e2.getFirst().commit().sha());
                assertTrue(e2.getFirst().reasons().getFirst().startsWith(ProgramWatcher.SWAP_FAILED), e2.toString());
                assertTrue(e2.getFirst().reasons().getFirst().contains("the engine did not take it in 60 s"), e2.toString());
                assertEquals(c1, e2.getFirst().live(), "the event says which commit is live");
                assertEquals(c1, w.live().orElseThrow().commit().sha(), "the previous Program stays live");

                // The next good commit is compared with what is live (c1), not with the one that failed.
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE + "\n// again\n");
                String c3 = repo.commit("Escalate, again");
                assertEquals(List.of(Kind.ACCEPTED), kinds(w.refresh()));
                assertEquals(c3, w.live().orElseThrow().commit().sha());
            }
        }
    }

    @Test
    void acceptsGoodCommitsRejectsBadOnesAndKeepsTheLastGoodLive() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            String c1 = repo.commit("Page on failed deploys");
            try (ProgramRepository r = ProgramRepository.open(repo.dir); ProgramWatcher w = new ProgramWatcher(r, "main", null, false)) {
                List<String> swaps = new ArrayList<>();
                w.onSwap((previous, next) -> swaps.add((previous == null ? "-" : previous.commit().shortSha()) + ">" + next.commit().shortSha()));
                assertEquals(List.of(Kind.ACCEPTED), kinds(w.refresh()));
                assertEquals(c1, w.live().orElseThrow().program().version());
                assertEquals(List.of(), w.refresh(), "nothing new");

                // Add a rule: accepted.
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
                String c2 = repo.commit("Escalate unassigned fatal issues");
                List<WatchEvent> e2 = w.refresh();
                assertEquals(List.of(Kind.ACCEPTED), kinds(e2));
                assertEquals(c2, w.live().orElseThrow().commit().sha());
                assertEquals(1, e2.getFirst().timings().scenarios());

                // Break the syntax: rejected with the diagnostic, c2 stays live.
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE.replace("then", "thn") + TestRepo.ESCALATE_RULE);
                String c3 = repo.commit("Oops");
                List<WatchEvent> e3 = w.refresh();
                assertEquals(List.of(Kind.REJECTED), kinds(e3));
                assertEquals(c3, e3.getFirst().commit().sha());
                assertTrue(e3.getFirst().reasons().getFirst().startsWith("company/main.charter:"), e3.toString());
                assertTrue(e3.getFirst().reasons().getFirst().contains("error[CH2"), e3.toString());
                assertEquals(c2, e3.getFirst().live());
                assertEquals(c2, w.live().orElseThrow().program().version());

                // Fix the syntax but break a scenario (the rule now posts elsewhere): rejected, c2 stays live.
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE.replace("#incidents", "#random") + TestRepo.ESCALATE_RULE);
                String c4 = repo.commit("Post to #random");
                List<WatchEvent> e4 = w.refresh();
                assertEquals(List.of(Kind.REJECTED), kinds(e4));
                assertTrue(e4.getFirst().reasons().getFirst().contains("scenario company/scenarios/01_page.yaml"), e4.toString());
                assertTrue(e4.getFirst().reasons().getFirst().contains("missing action"), e4.toString());
                assertEquals(c4, e4.getFirst().commit().sha());
                assertEquals(c2, w.live().orElseThrow().commit().sha());

                // Fix, and a docs-only commit after it, in one push: accepted, then unchanged.
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE + "\n// fixed\n");
                String c5 = repo.commit("Back to #incidents");
                repo.write("README.md", "# docs\n");
                String c6 = repo.commit("Docs");
                List<WatchEvent> e5 = w.refresh();
                assertEquals(List.of(Kind.ACCEPTED, Kind.UNCHANGED), kinds(e5));
                assertEquals(c5, w.live().orElseThrow().commit().sha());
                assertEquals(c6, e5.get(1).commit().sha());

                // A force-push that drops c5 and c6: the rewrite is recorded and the new tip taken.
                repo.resetHard(c2);
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE);
                String c7 = repo.commit("Drop escalation (rewritten history)");
                List<WatchEvent> e7 = w.refresh();
                assertEquals(List.of(Kind.REWRITTEN, Kind.ACCEPTED), kinds(e7));
                assertTrue(e7.getFirst().reasons().getFirst().contains("was rewritten"), e7.toString());
                assertEquals(c7, w.live().orElseThrow().commit().sha());

                // A merge commit is one step, evaluated as its tree.
                repo.checkout("feature", true);
                repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
                repo.commit("Feature: escalate");
                repo.checkout("main", false);
                String merge = repo.merge("feature", "Merge feature");
                List<WatchEvent> em = w.refresh();
                assertEquals(List.of(Kind.ACCEPTED), kinds(em));
                assertEquals(merge, w.live().orElseThrow().commit().sha());
                assertEquals(2, w.live().orElseThrow().commit().parents());

                // A missing Program folder at a commit: rejected, the merge stays live.
                repo.delete("company/charter.yaml").delete("company/main.charter").delete("company/scenarios/01_page.yaml");
                repo.commit("Remove the Program");
                List<WatchEvent> gone = w.refresh();
                assertEquals(List.of(Kind.REJECTED), kinds(gone));
                assertTrue(gone.getFirst().reasons().getFirst().contains("no charter.yaml anywhere"), gone.toString());
                assertEquals(merge, w.live().orElseThrow().commit().sha());

                assertEquals(List.of("->" + c1.substring(0, 7), c1.substring(0, 7) + ">" + c2.substring(0, 7),
                        c2.substring(0, 7) + ">" + c5.substring(0, 7), c5.substring(0, 7) + ">" + c7.substring(0, 7),
                        c7.substring(0, 7) + ">" + merge.substring(0, 7)), swaps);
                assertEquals(10, w.history().size());
            }
        }
    }

    @Test
    void sinceTakesEveryCommitFromARevisionAndAMissingBranchIsAnError() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            String c1 = repo.commit("One");
            repo.write("company/main.charter", "broken {");
            repo.commit("Two");
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                try (ProgramWatcher w = new ProgramWatcher(r, "main", "company", false).since(c1)) {
                    assertEquals(List.of(Kind.ACCEPTED, Kind.REJECTED), kinds(w.refresh()));
                    assertEquals(c1, w.live().orElseThrow().commit().sha());
                }
                try (ProgramWatcher w = new ProgramWatcher(r, "mian", null, false)) {
                    List<WatchEvent> events = w.refresh();
                    assertEquals(List.of(Kind.ERROR), kinds(events));
                    assertTrue(events.getFirst().reasons().getFirst().contains("did you mean `main`?"), events.toString());
                    assertEquals(List.of(), w.refresh(), "the same error is recorded once");
                    assertFalse(w.live().isPresent());
                }
            }
        }
    }

    @Test
    void followsAClonedRemoteThroughFetchIncludingForcePushes() throws Exception {
        try (TestRepo upstream = TestRepo.withProgram(tmp.resolve("up"))) {
            String c1 = upstream.commit("One");
            try (ProgramRepository clone = ProgramRepository.clone(upstream.dir.toUri().toString(), tmp.resolve("clone"));
                 ProgramWatcher w = new ProgramWatcher(clone, "main", null, true)) {
                assertEquals(List.of(Kind.ACCEPTED), kinds(w.refresh()));
                upstream.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
                upstream.commit("Two");
                assertEquals(List.of(Kind.ACCEPTED), kinds(w.refresh()));
                upstream.resetHard(c1);
                upstream.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + "\n// rewritten\n");
                String c3 = upstream.commit("Rewritten");
                assertEquals(List.of(Kind.REWRITTEN, Kind.ACCEPTED), kinds(w.refresh()));
                assertEquals(c3, w.live().orElseThrow().commit().sha());
            }
        }
    }
}
