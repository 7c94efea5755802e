package charter.gitsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlameTest {
    @TempDir
    Path tmp;

    @Test
    void introducedLastChangedRenamesAndReformatting() throws Exception {
        try (TestRepo repo = TestRepo.withProgram(tmp.resolve("r"))) {
            String added = repo.commit("Page on failed deploys", "Alice Chen");
            repo.write("company/main.charter", TestRepo.PEOPLE + TestRepo.PAGE_RULE + TestRepo.ESCALATE_RULE);
            String escalate = repo.commit("Escalate unassigned fatal issues", "Bob Stone");
            String changed = TestRepo.PAGE_RULE.replace("\"#incidents\"", "\"#ops\"");
            repo.write("company/main.charter", TestRepo.PEOPLE + changed + TestRepo.ESCALATE_RULE);
            repo.write("company/scenarios/01_page.yaml", TestRepo.SCENARIO.replace("\"#incidents\"", "\"#ops\""));
            String channel = repo.commit("Page in #ops", "Carol White");
            // Reformatting and a comment change nothing.
            repo.write("company/main.charter", TestRepo.PEOPLE + "// pages\n" + changed.replace("  then", "      then")
                    + TestRepo.ESCALATE_RULE);
            repo.commit("Reformat", "Dave Ross");
            // A rename: same body, new id.
            String renamed = changed.replace("page_on_failed_prod_deploy", "page_owner_on_failed_deploy");
            repo.write("company/main.charter", TestRepo.PEOPLE + renamed + TestRepo.ESCALATE_RULE);
            repo.write("company/scenarios/01_page.yaml", TestRepo.SCENARIO.replace("\"#incidents\"", "\"#ops\"")
                    .replace("page_on_failed_prod_deploy", "page_owner_on_failed_deploy"));
            String rename = repo.commit("Rename the paging rule", "Eve Park");
            // A broken commit in between is skipped, not taken as a removal.
            repo.write("company/main.charter", TestRepo.PEOPLE + renamed + TestRepo.ESCALATE_RULE + "rule {");
            repo.commit("Broken");
            repo.write("company/main.charter", TestRepo.PEOPLE + renamed + TestRepo.ESCALATE_RULE);
            repo.commit("Fixed");

            try (ProgramRepository r = ProgramRepository.open(repo.dir)) {
                Blame.Result page = new Blame(r).blame("HEAD", null, "page_owner_on_failed_deploy");
                assertEquals("rule", page.kind());
                assertEquals("main.charter", page.file());
                assertEquals(added, page.introduced().sha());
                assertEquals("Alice Chen", page.introduced().author());
                assertEquals(rename, page.lastChanged().sha());
                assertEquals(1, page.renames().size());
                assertEquals("page_on_failed_prod_deploy", page.renames().getFirst().from());

                // Before the rename, the last change is the channel; the reformat is not a change.
                Blame.Result old = new Blame(r).blame(rename + "~1", null, "page_on_failed_prod_deploy");
                assertEquals(channel, old.lastChanged().sha());
                assertEquals(added, old.introduced().sha());
                assertTrue(old.renames().isEmpty());

                Blame.Result esc = new Blame(r).blame("main", "company", "escalate_unassigned");
                assertEquals(escalate, esc.introduced().sha());
                assertEquals(escalate, esc.lastChanged().sha());

                GitProgramException unknown = assertThrows(GitProgramException.class,
                        () -> new Blame(r).blame("HEAD", null, "escalate_unasigned"));
                assertEquals(GitProgramException.Kind.UNKNOWN_RULE, unknown.kind());
                assertTrue(unknown.getMessage().contains("did you mean `escalate_unassigned`?"), unknown.getMessage());
            }
        }
    }
}
