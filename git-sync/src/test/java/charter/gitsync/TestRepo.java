package charter.gitsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real repository made with JGit in a temporary folder, with a small Program and helpers to commit changes. */
final class TestRepo implements AutoCloseable {
    static final String MANIFEST = "name: tiny\ntimezone: UTC\nsources: [vercel, sentry]\n";
    static final String PEOPLE = """
            program "tiny"

            person alice { github "alice-gh" }
            team platform { members alice  owns project "api" }
            """;
    static final String PAGE_RULE = """

            rule page_on_failed_prod_deploy "Page the owner when a production deploy fails" {
              when vercel.deployment.error d where d.target == "production"
              then slack.post(channel: "#incidents", text: "Deploy of ${d.project} failed")
            }
            """;
    static final String ESCALATE_RULE = """

            rule escalate_unassigned {
              when sentry.issue.created i where i.level == "fatal"
                and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
              then pagerduty.page(team: owner(i.project), summary: "Unassigned: ${i.title}")
            }
            """;
    static final String SCENARIO = """
            name: A failed production deploy pages the owner
            events:
              - {id: e1, type: vercel.deployment.error, time: "2026-03-06T16:36:00Z", data: {project: api, target: production}}
            expect:
              actions:
                - {rule: page_on_failed_prod_deploy, tool: slack.post, args: {channel: "#incidents"}}
            """;

    final Path dir;
    final Git git;
    private int tick;

    TestRepo(Path dir) throws GitAPIException {
        this.dir = dir;
        this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    }

    /** The Program folder `company/` with the page rule and its scenario. */
    static TestRepo withProgram(Path dir) throws Exception {
        TestRepo repo = new TestRepo(dir);
        repo.write("README.md", "# The company\n");
        repo.write("company/charter.yaml", MANIFEST);
        repo.write("company/main.charter", PEOPLE + PAGE_RULE);
        repo.write("company/scenarios/01_page.yaml", SCENARIO);
        return repo;
    }

    TestRepo write(String path, String text) throws IOException {
        return write(path, text.getBytes(StandardCharsets.UTF_8));
    }

    TestRepo write(String path, byte[] bytes) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return this;
    }

    TestRepo delete(String path) throws IOException {
        Files.delete(dir.resolve(path));
        return this;
    }

    String read(String path) throws IOException {
        return Files.readString(dir.resolve(path));
    }

    /** Stages everything (deletions included) and commits; returns the SHA. Dates increase by a minute a commit. */
    String commit(String message) throws GitAPIException {
        return commit(message, "Alice Chen");
    }

    String commit(String message, String author) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        PersonIdent who = new PersonIdent(author, author.toLowerCase().replace(' ', '.') + "@acme.dev",
                Instant.parse("2026-03-01T09:00:00Z").plusSeconds(60L * tick++), ZoneOffset.UTC);
        RevCommit c = git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
        return c.getName();
    }

    void tag(String name) throws GitAPIException {
        git.tag().setName(name).setAnnotated(false).call();
    }

    /** Moves the branch back (like a force-push that drops commits). */
    void resetHard(String rev) throws GitAPIException {
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(rev).call();
    }

    void checkout(String branch, boolean create) throws GitAPIException {
        git.checkout().setName(branch).setCreateBranch(create).call();
    }

    /** Merges {@code branch} into the current branch with a merge commit; returns the SHA. */
    String merge(String branch, String message) throws Exception {
        var result = git.merge().include(git.getRepository().resolve(branch)).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                .setCommit(false).call();
        if (!result.getMergeStatus().isSuccessful()) throw new IllegalStateException("merge failed: " + result);
        return commit(message);
    }

    @Override
    public void close() {
        git.close();
    }
}
