package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit to the Program's branch adds an intent and removes another: the watcher swaps the
 * Program, the MCP tool list follows, and a connected client is told
 * ({@code notifications/tools/list_changed}) and lists the new tools.
 */
class McpToolListChangeTest {
    static final String MANIFEST = "name: tools\ntimezone: UTC\nsources: [vercel]\n";
    static final String PEOPLE = "program \"tools\"\n\nperson alice { github \"alice-gh\" }\n";
    static final String SHIP = "\nintent ship(project: string) \"Deploy a project\" {\n  resolve vercel.deploy(project: intent.project, sha: \"HEAD\", target: \"preview\")\n}\n";
    static final String FREEZE = "\nintent freeze(project: string, hours: number) \"Freeze deploys of a project\" {\n  resolve slack.post(channel: \"#deploys\", text: \"frozen\")\n}\n";

    @TempDir
    Path tmp;

    @Test
    void aPushedCommitChangesTheToolsAndConnectedClientsAreTold() throws Exception {
        Path repo = tmp.resolve("rules");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("charter.yaml"), MANIFEST);
            Files.writeString(repo.resolve("main.charter"), PEOPLE + SHIP);
            commit(git, "ship");
            Path tokens = tmp.resolve("tokens.jsonl");
            String token = TokenStore.create(tokens, "gitco", EnumSet.of(TokenStore.Scope.ADMIN), "alice", null);
            var tenant = new ServerConfig.TenantConfig("gitco", null, repo.toString(), "main", null, Map.of(), null, Duration.ofMillis(200));
            try (CharterServer server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024, Map.of("gitco", tenant)))) {
                LinkedBlockingQueue<List<McpSchema.Tool>> changes = new LinkedBlockingQueue<>();
                try (McpSyncClient client = McpClients.http(server.port(), token, changes::add)) {
                    assertTrue(names(client.listTools().tools()).contains("ship"));
                    Files.writeString(repo.resolve("main.charter"), PEOPLE + FREEZE);
                    String sha = commit(git, "freeze instead of ship");
                    // Bounded wait for the watcher (polling every 200 ms) and the notification; not a timing assertion.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    List<McpSchema.Tool> seen = List.of();
                    while (!(names(seen).contains("freeze") && !names(seen).contains("ship"))) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) throw new AssertionError("no tools/list_changed with the new Program's tools within 60 s; last seen " + names(seen));
                        List<McpSchema.Tool> next = changes.poll(left, TimeUnit.NANOSECONDS);
                        if (next != null) seen = next;
                    }
                    assertEquals(sha, server.tenant("gitco").program().version());
                    McpSchema.Tool freeze = client.listTools().tools().stream().filter(t -> t.name().equals("freeze")).findFirst().orElseThrow();
                    assertEquals("number", ((Map<?, ?>) ((Map<?, ?>) freeze.inputSchema().get("properties")).get("hours")).get("type"));
                    var decided = client.callTool(new McpSchema.CallToolRequest("freeze", Map.of("project", "api", "hours", 2, "dry_run", true)));
                    assertEquals("allow", ((Map<?, ?>) decided.structuredContent()).get("verdict"));
                    assertEquals(sha, ((Map<?, ?>) decided.structuredContent()).get("programVersion"));
                }
            }
        }
    }

    private static Set<String> names(List<McpSchema.Tool> tools) {
        return tools.stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
    }

    private static int tick;

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Alice Chen", "alice@acme.dev", Instant.parse("2026-03-01T09:00:00Z").plusSeconds(60L * tick++), ZoneOffset.UTC);
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call().getName();
    }
}
