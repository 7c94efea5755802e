package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.tests.Charter.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `--repo/--rev`, `blame` and `watch --once` through the real `./charter`, on a repository made with JGit. */
class GitEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCENARIO = """
            name: A failed production deploy pages the owner
            events:
              - {id: e1, type: vercel.deployment.error, time: "2026-03-06T16:36:00Z", data: {project: api, target: production}}
            expect:
              actions:
                - {rule: page_on_failed_prod_deploy, tool: slack.post, args: {channel: "#incidents"}}
            """;

    @TempDir
    Path tmp;
    private int tick;

    private String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Alice Chen", "alice@acme.dev", Instant.parse("2026-03-01T09:00:00Z").plusSeconds(60L * tick++),
                ZoneOffset.UTC);
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call().getName();
    }

    @Test
    void revisionsBlameAndWatch() throws Exception {
        Path repo = tmp.resolve("repo");
        Charter.copy(Charter.resource("programs/tiny"), repo.resolve("tiny"));
        Files.createDirectories(repo.resolve("tiny/scenarios"));
        Files.writeString(repo.resolve("tiny/scenarios/page.yaml"), SCENARIO);
        Path main = repo.resolve("tiny/main.charter");
        String original = Files.readString(main);
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            String first = commit(git, "The tiny company");
            git.tag().setName("v1").setAnnotated(false).call();
            Files.writeString(main, original.replace("rule escalate_unassigned", "rule escalate_unassigned_fatal"));
            String renamed = commit(git, "Rename the escalation");
            Files.writeString(main, original.replace("rule escalate_unassigned", "rule escalate_unassigned_fatal").replace("then", "thn"));
            String broken = commit(git, "Broken");

            Result check = Charter.run("check", "--repo", repo.toString(), "--rev", "v1");
            assertEquals(0, check.code(), check::toString);
            Result brokenCheck = Charter.run("check", "--repo", repo.toString());
            assertEquals(1, brokenCheck.code(), brokenCheck::toString);
            assertTrue(brokenCheck.err().contains("main.charter:"), brokenCheck::toString);

            Result test = Charter.run("test", "--repo", repo.toString(), "--rev", "HEAD~1", "--path", "tiny");
            assertEquals(0, test.code(), test::toString);
            assertTrue(test.out().contains("1 passed, 0 failed"), test::toString);

            Result sim = Charter.run("simulate", "--repo", repo.toString(), "--rev", first.substring(0, 10), "--events",
                    Charter.resource("inputs/tiny-events.jsonl").toString(), "--format", "json");
            assertEquals(0, sim.code(), sim::toString);
            assertEquals(first, JSON.readTree(sim.out()).get("version").asText());

            Result compile = Charter.run("compile", "--repo", repo.toString(), "--rev", "mian");
            assertEquals(1, compile.code(), compile::toString);
            assertTrue(compile.err().contains("did you mean `main`?"), compile::toString);
            compile.assertNoTrace();
            Result notRepo = Charter.run("check", "--repo", tmp.toString());
            assertEquals(1, notRepo.code(), notRepo::toString);
            assertTrue(notRepo.err().contains("not a Git repository"), notRepo::toString);
            Result both = Charter.run("check", repo.toString(), "--repo", repo.toString());
            assertEquals(1, both.code(), both::toString);

            Result blame = Charter.run("blame", "--repo", repo.toString(), "--rev", "HEAD~1", "escalate_unassigned_fatal", "--format", "json");
            assertEquals(0, blame.code(), blame::toString);
            JsonNode b = JSON.readTree(blame.out());
            assertEquals(first, b.get("introduced").get("sha").asText());
            assertEquals(renamed, b.get("lastChanged").get("sha").asText());
            assertEquals("escalate_unassigned", b.get("renames").get(0).get("from").asText());
            Result blameText = Charter.run("blame", "--repo", repo.toString(), "--rev", "HEAD~1", "page_on_failed_prod_deploy");
            assertTrue(blameText.out().contains("introduced   " + first.substring(0, 7)), blameText::toString);

            Result watch = Charter.run("watch", "--repo", repo.toString(), "--branch", "main", "--since", first, "--once", "--format", "json");
            assertEquals(1, watch.code(), watch::toString);
            List<JsonNode> events = watch.out().lines().map(l -> {
                try {
                    return JSON.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError(l, e);
                }
            }).toList();
            assertEquals(List.of("accepted", "accepted", "rejected"), events.stream().map(e -> e.get("kind").asText()).toList());
            assertEquals(broken, events.get(2).get("commit").get("sha").asText());
            assertEquals(renamed, events.get(2).get("live").asText());
            Result watchText = Charter.run("watch", "--repo", repo.toUri().toString(), "--once", "--clone-dir", tmp.resolve("clone").toString());
            assertEquals(1, watchText.code(), watchText::toString);
            assertTrue(watchText.out().contains("rejected  " + broken.substring(0, 7) + " \"Broken\""), watchText::toString);

            // Reviewing a change between two commits: the rename is a rename, and the versions are the commits.
            Result diff = Charter.run("diff", "--repo", repo.toString(), "v1", renamed.substring(0, 10), "--format", "json");
            assertEquals(0, diff.code(), diff::toString);
            assertTrue(diff.out().contains("\"renamed\""), diff::toString);
            assertTrue(diff.out().contains(renamed), "the Program version is the commit SHA: " + diff);
            Result diffBroken = Charter.run("diff", "--repo", repo.toString(), "v1", "HEAD");
            assertEquals(1, diffBroken.code(), diffBroken::toString);
            Result diffUnknown = Charter.run("diff", "--repo", repo.toString(), "v1", "mian");
            assertEquals(1, diffUnknown.code(), diffUnknown::toString);
            assertTrue(diffUnknown.err().contains("did you mean"), diffUnknown::toString);
        }
    }
}
