package charter.gitsync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.diag.Code;
import charter.compiler.load.ProgramFiles;
import charter.gitsync.GitProgramException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramRepositoryTest {
    @TempDir
    Path tmp;

    private static String main(ProgramFiles files) {
        return new String(files.files().get("main.charter"), StandardCharsets.UTF_8);
    }

    @Test
    void readsTheProgramAtBranchTagHeadTildeAndSha() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            String first = repo.commit("Page on failed deploys");
            repo.tag("v1");
            repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
            String second = repo.commit("Escalate unassigned fatal issues");
            // An uncommitted change in the working tree is never read.
            repo.write("company/main.charter", "this is not committed");
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                assertEquals(second, r.resolve("main"));
                assertEquals(second, r.resolve("HEAD"));
                assertEquals(first, r.resolve("HEAD~1"));
                assertEquals(first, r.resolve("v1"));
                assertEquals(first, r.resolve(first));
                assertEquals(first, r.resolve(first.substring(0, 8)));

                ProgramFiles atMain = r.read("main", null);
                assertTrue(main(atMain).contains("escalate_unassigned"));
                assertEquals("company@" + second.substring(0, 7), atMain.root());
                assertEquals(List.of("charter.yaml", "main.charter"), List.copyOf(atMain.files().keySet()));
                for (String rev : List.of("v1", "HEAD~1", first, first.substring(0, 7))) {
                    ProgramFiles old = r.read(rev, "company");
                    assertFalse(main(old).contains("escalate_unassigned"), rev);
                    assertTrue(main(old).contains("page_on_failed_prod_deploy"), rev);
                }
                ProgramSnapshot snapshot = r.snapshot("v1", "./company/");
                assertEquals("company", snapshot.folder());
                assertEquals(List.of("scenarios/01_page.yaml"), List.copyOf(snapshot.scenarios().keySet()));
                assertEquals("Page on failed deploys", snapshot.commit().message());
                assertEquals("Alice Chen", snapshot.commit().author());

                // Compiled from Git, the Program's version is the commit SHA, and its scenarios pass from memory.
                Compilation c = GitPrograms.compile(snapshot);
                assertTrue(c.ok(), c.diagnostics()::toString);
                assertEquals(first, c.program().version());
                var tests = GitPrograms.runScenarios(c.program(), snapshot);
                assertTrue(tests.passed(), tests::toString);
                assertEquals(1, tests.scenarios().size());
            }
            assertEquals("this is not committed", repo.read("company/main.charter"));
        }
    }

    @Test
    void historyListsTheCommitsThatTouchedTheProgram() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            String first = repo.commit("Page on failed deploys");
            repo.write("README.md", "# Only the readme\n");
            repo.commit("Docs");
            repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
            String third = repo.commit("Escalate", "Bob Stone");
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                List<ProgramCommit> history = r.history(null);
                assertEquals(List.of(third, first), history.stream().map(ProgramCommit::sha).toList());
                assertEquals("Bob Stone", history.getFirst().author());
                assertEquals(third.substring(0, 7), history.getFirst().shortSha());
                assertEquals(3, r.history("main", "").size());
            }
        }
    }

    @Test
    void findsTheProgramFolderOrSaysWhyNot() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            repo.commit("One Program");
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                assertEquals("company", r.programFolder("HEAD", null));
                GitProgramException missing = assertThrows(GitProgramException.class, () -> r.read("HEAD", "compnay"));
                assertEquals(Kind.NO_PROGRAM, missing.kind());
                assertTrue(missing.getMessage().contains("no Program folder `compnay`"), missing.getMessage());
                assertTrue(missing.getMessage().contains("did you mean `company`?"), missing.getMessage());
                GitProgramException file = assertThrows(GitProgramException.class, () -> r.read("HEAD", "README.md"));
                assertTrue(file.getMessage().contains("is a file"), file.getMessage());
            }
            repo.write("other/charter.yaml", "name: other\n").write("other/main.charter", "program \"other\"\n");
            repo.commit("A second Program");
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                GitProgramException two = assertThrows(GitProgramException.class, () -> r.read("HEAD", null));
                assertTrue(two.getMessage().contains("several Programs at") && two.getMessage().contains("--path"), two.getMessage());
                assertTrue(main(r.read("HEAD", "other")).contains("other"));
            }
            repo.delete("company/charter.yaml").delete("company/main.charter").delete("company/scenarios/01_page.yaml")
                    .delete("other/charter.yaml").delete("other/main.charter");
            repo.commit("Remove every Program");
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                GitProgramException none = assertThrows(GitProgramException.class, () -> r.read("HEAD", null));
                assertEquals(Kind.NO_PROGRAM, none.kind());
                assertTrue(none.getMessage().contains("no charter.yaml anywhere"), none.getMessage());
                // Gone at HEAD, still there one commit earlier.
                assertThrows(GitProgramException.class, () -> r.read("HEAD", "company"));
                assertNotNull(r.read("HEAD~1", "company").files().get("main.charter"));
            }
        }
    }

    @Test
    void notARepositoryAndUnknownRevisions() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        GitProgramException notRepo = assertThrows(GitProgramException.class, () -> ProgramRepository.open(plain));
        assertEquals(Kind.NOT_A_REPOSITORY, notRepo.kind());
        assertTrue(notRepo.getMessage().contains("not a Git repository"), notRepo.getMessage());
        GitProgramException absent = assertThrows(GitProgramException.class, () -> ProgramRepository.open(tmp.resolve("nope")));
        assertTrue(absent.getMessage().contains("does not exist"), absent.getMessage());

        try (TestRepo repo = new TestRepo(tmp.resolve("empty")); ProgramRepository r = ProgramRepository.open(repo.dir)) {
            GitProgramException empty = assertThrows(GitProgramException.class, () -> r.resolve("HEAD"));
            assertTrue(empty.getMessage().contains("no commits yet"), empty.getMessage());
        }
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            repo.commit("One");
            repo.tag("v1.2");
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                GitProgramException typo = assertThrows(GitProgramException.class, () -> r.read("mian", null));
                assertEquals(Kind.UNKNOWN_REVISION, typo.kind());
                assertTrue(typo.getMessage().contains("unknown revision `mian`") && typo.getMessage().contains("did you mean `main`?"),
                        typo.getMessage());
                GitProgramException tag = assertThrows(GitProgramException.class, () -> r.resolve("v1.3"));
                assertTrue(tag.getMessage().contains("did you mean `v1.2`?"), tag.getMessage());
                assertEquals(Kind.UNKNOWN_REVISION, assertThrows(GitProgramException.class, () -> r.resolve("HEAD~5")).kind());
                assertEquals(Kind.UNKNOWN_REVISION, assertThrows(GitProgramException.class, () -> r.resolve("deadbeef")).kind());
                assertEquals(Kind.UNKNOWN_REVISION, assertThrows(GitProgramException.class, () -> r.resolve("main^^^{tree")).kind());
            }
        }
    }

    @Test
    void binaryAndOversizedFiles() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            repo.write("company/logo.charter", new byte[]{'p', 'r', 0, 1, 2});
            repo.commit("A binary file");
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                GitProgramException binary = assertThrows(GitProgramException.class, () -> r.read("HEAD", null));
                assertEquals(Kind.BINARY_FILE, binary.kind());
                assertTrue(binary.getMessage().contains("company/logo.charter") && binary.getMessage().contains("binary file (NUL byte at offset 2)"),
                        binary.getMessage());
            }
            repo.delete("company/logo.charter");
            byte[] huge = ("// " + "x".repeat((int) ProgramFiles.MAX_FILE_BYTES) + "\n").getBytes(StandardCharsets.UTF_8);
            repo.write("company/huge.charter", huge);
            repo.commit("A huge file");
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                ProgramFiles files = r.read("HEAD", null);
                assertEquals(Long.valueOf(huge.length), files.oversized().get("huge.charter"));
                assertFalse(files.files().containsKey("huge.charter"));
                Compilation c = GitPrograms.compile(r.snapshot("HEAD", null));
                assertTrue(c.diagnostics().stream().anyMatch(d -> d.code() == Code.FILE_TOO_LARGE), c.diagnostics()::toString);
            }
        }
    }

    @Test
    void aCorruptObjectIsAClearError() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            repo.commit("One");
            String blob;
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                blob = repo.git.getRepository().resolve("HEAD:company/main.charter").name();
                assertArrayEquals(r.read("HEAD", null).files().get("main.charter"),
                        (TestRepo.PEOPLE + TestRepo.PAGE_RULE).getBytes(StandardCharsets.UTF_8));
            }
            Files.delete(repo.dir.resolve(".git/objects/" + blob.substring(0, 2) + "/" + blob.substring(2)));
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                GitProgramException e = assertThrows(GitProgramException.class, () -> r.read("HEAD", null));
                assertEquals(Kind.CORRUPT, e.kind());
                assertTrue(e.getMessage().contains("may be damaged"), e.getMessage());
            }
            // A damaged pack file, not only a missing loose object.
            Path objects = repo.dir.resolve(".git/objects");
            try (var walk = Files.walk(objects)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) Files.write(p, new byte[]{1, 2, 3});
            }
            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                GitProgramException e = assertThrows(GitProgramException.class, () -> r.read("HEAD", null));
                assertEquals(Kind.CORRUPT, e.kind(), e.getMessage());
            }
        }
    }

    @Test
    void clonesAndFetchesFromAUrl() throws Exception {
        try (TestRepo upstream = TestRepo.withProgram(tmp.resolve("up"))) {
            String first = upstream.commit("One");
            try (ProgramRepository clone = ProgramRepository.clone(upstream.dir.toUri().toString(), tmp.resolve("clone"))) {
                assertEquals(first, clone.resolve("main"));
                upstream.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
                String second = upstream.commit("Two");
                assertTrue(clone.fetch());
                assertEquals(second, clone.resolve("main"));
            }
            GitProgramException bad = assertThrows(GitProgramException.class,
                    () -> ProgramRepository.clone(tmp.resolve("missing").toUri().toString(), tmp.resolve("c2")));
            assertEquals(Kind.REMOTE, bad.kind());
        }
    }
}
