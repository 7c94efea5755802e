package charter.server;

import static charter.server.ServerHttpTest.ACME;
import static charter.server.ServerHttpTest.CORPUS;
import static charter.server.ServerHttpTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import charter.engine.ingest.GithubSignatureVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant following its Program on a Git branch (a real JGit repository) polls only once an hour
 * here, so the new commit can only go live through the GitHub push webhook of that repository;
 * the new version rebuilds the engine's state from the tenant's log, so a window open before the
 * swap is still open after it.
 */
class ServerPushRefreshTest {
    static final byte[] GH = "gh-secret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPushOfTheProgramRepositoryPutsTheNewCommitLiveAtOnce() throws Exception {
        Path repoDir = tmp.resolve("program");
        copy(ACME, repoDir);
        try (Git git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            RevCommit first = git.commit().setMessage("acme").setAuthor("t", "t@example.com").setSign(false).call();

            Path tokens = tmp.resolve("tokens.jsonl");
            String read = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ));
            ServerConfig.TenantConfig tenant = new ServerConfig.TenantConfig("acme", null, repoDir.toString(), "main", null,
                    Map.of("github", GH, "vercel", FailedDeploy.SECRET), "acme/charter-program", Duration.ofHours(1));
            try (CharterServer server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens,
                    1024 * 1024, Map.of("acme", tenant)))) {
                String base = "http://127.0.0.1:" + server.port();
                assertEquals(first.getName(), program(base, read).get("version").asText());
                // two of the three production deploy errors within an hour that freeze deploys
                Instant now = Instant.now();
                for (int i = 1; i <= 2; i++) deliver(FailedDeploy.production(base, "acme", "prod-err-" + i, now.minusSeconds(60 - i)));

                Path main = repoDir.resolve("main.charter");
                Files.writeString(main, Files.readString(main) + "\n// reviewed in the pull request\n"
                        + "rule push_refresh_probe \"A rule added by the pushed commit\" {\n"
                        + "  when github.push p where p.branch == \"push-refresh-probe\"\n  then slack.post(channel: \"#deploys\", text: \"probe\")\n}\n");
                git.add().addFilepattern(".").call();
                RevCommit second = git.commit().setMessage("add a rule").setAuthor("t", "t@example.com").setSign(false).call();

                // a push of another repository is only an event; the Program's own repository also refreshes it
                push(base, "Codertocat/Hello-World");
                push(base, "acme/charter-program");
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!program(base, read).get("version").asText().equals(second.getName())) {
                    if (System.nanoTime() > deadline) fail("the pushed commit did not go live within 30 s: " + program(base, read));
                    Thread.sleep(50);
                }
                assertNotEquals(first.getName(), second.getName());

                // the new version rebuilt its state from the log: the third error completes the count
                deliver(FailedDeploy.production(base, "acme", "prod-err-3", now));
                JsonNode burst = null;
                while (burst == null) {
                    if (System.nanoTime() > deadline) fail("no burst action from the new version within 30 s");
                    for (JsonNode a : get(base, "/v1/actions?rule=prod_deploy_error_burst", read).get("actions")) burst = a;
                    Thread.sleep(50);
                }
                assertEquals(second.getName(), burst.get("provenance").get("programVersion").asText());
                assertEquals(3, burst.get("provenance").get("eventIds").size(), burst.toString());
            }
        }
    }

    private void push(String base, String repository) throws Exception {
        String body = Files.readString(CORPUS.resolve("github/push/push.noaction.0.json"))
                .replace("\"full_name\": \"Codertocat/Hello-World\"", "\"full_name\": \"" + repository + "\"");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/acme/github"))
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", java.util.UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", GithubSignatureVerifier.sign(GH, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    private JsonNode program(String base, String token) throws Exception {
        return get(base, "/v1/program", token);
    }

    private JsonNode get(String base, String path, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private void deliver(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
