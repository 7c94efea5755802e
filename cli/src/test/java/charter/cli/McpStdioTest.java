package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code charter mcp --program DIR --data DIR} as a real child process, driven by the official SDK's
 * stdio client: its stdout must carry JSON-RPC alone for the client to work at all.
 */
class McpStdioTest {
    static final Path ACME = Path.of("../program-examples/acme").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void aLocalProgramsIntentsAreToolsOverStdio() {
        String java = ProcessHandle.current().info().command().orElse("java");
        var params = ServerParameters.builder(java)
                .args("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false",
                        "-cp", System.getProperty("java.class.path"), "charter.cli.Main",
                        "mcp", "--program", ACME.toString(), "--data", tmp.resolve("data").toString(), "--actor", "carol")
                .build();
        var transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        StringBuilder stderr = new StringBuilder();
        transport.setStdErrorHandler(line -> stderr.append(line).append('\n'));
        try (McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(120)).build()) {
            c.initialize();
            Set<String> tools = c.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
            assertTrue(tools.containsAll(List.of("ship", "rollback", "triage", "get_entity", "trace", "override", "simulate", "diff")), tools.toString());
            var allowed = c.callTool(new McpSchema.CallToolRequest("triage", Map.of("issue_id", "S-1", "assignee", "bob")));
            Map<?, ?> d = (Map<?, ?>) allowed.structuredContent();
            assertEquals("allow", d.get("verdict"), String.valueOf(d));
            assertEquals("carol", d.get("actor"), "the actor is --actor");
            var denied = c.callTool(new McpSchema.CallToolRequest("triage", Map.of("issue_id", "S-2", "assignee", "nobody")));
            assertEquals("deny", ((Map<?, ?>) denied.structuredContent()).get("verdict"));
            String file = ((McpSchema.TextResourceContents) c.readResource(new McpSchema.ReadResourceRequest("charter://program/intents.charter")).contents().getFirst()).text();
            assertTrue(file.contains("intent ship("), file);
            agentToolsOverStdio(c);
        } catch (RuntimeException e) {
            throw new AssertionError("stderr of charter mcp:\n" + stderr, e);
        }
    }

    /** explain, and a guard proposed as text, over stdio: the same tools as over HTTP, on the local Program. */
    private static void agentToolsOverStdio(McpSyncClient c) {
        assertTrue(c.listTools().tools().stream().map(McpSchema.Tool::name).toList().containsAll(List.of("explain", "approve", "reject")));
        Map<String, Object> toBob = Map.of("id", "i-1", "intent", "triage", "actor", "carol", "time", "2026-03-06T10:00:00Z",
                "params", Map.of("issue_id", "S-1", "assignee", "bob"));
        Map<String, Object> toNobody = Map.of("id", "i-2", "intent", "triage", "actor", "carol", "time", "2026-03-06T10:00:00Z",
                "params", Map.of("issue_id", "S-2", "assignee", "nobody"));
        var explained = c.callTool(new McpSchema.CallToolRequest("explain", Map.of("id", "triage_to_known_person", "intent", "i-2", "intents", List.of(toNobody))));
        assertEquals("denied", ((Map<?, ?>) explained.structuredContent()).get("verdict"), String.valueOf(explained.structuredContent()));
        var notDenied = c.callTool(new McpSchema.CallToolRequest("explain", Map.of("id", "triage_to_known_person", "intent", "i-1", "intents", List.of(toBob))));
        assertEquals("did-not-deny", ((Map<?, ?>) notDenied.structuredContent()).get("verdict"), String.valueOf(notDenied.structuredContent()));

        String main = ((McpSchema.TextResourceContents) c.readResource(new McpSchema.ReadResourceRequest("charter://program/main.charter")).contents().getFirst()).text();
        Map<String, Object> files = Map.of(
                "main.charter", main.replace("import \"intents.charter\"\n", "import \"intents.charter\"\nimport \"rules/bob_on_leave.charter\"\n"),
                "rules/bob_on_leave.charter", "invariant bob_on_leave \"Bob is on leave\" hard {\n  deny triage where intent.assignee == \"bob\"\n  because \"bob is on leave\"\n}\n");
        var proposed = c.callTool(new McpSchema.CallToolRequest("simulate", Map.of("files", files, "intents", List.of(toBob))));
        assertFalse(Boolean.TRUE.equals(proposed.isError()), String.valueOf(proposed.content()));
        String timeline = String.valueOf(((Map<?, ?>) proposed.structuredContent()).get("timeline"));
        assertTrue(timeline.contains("verdict=deny") && timeline.contains("bob_on_leave"), "the proposed guard denies: " + timeline);
        var live = c.callTool(new McpSchema.CallToolRequest("simulate", Map.of("intents", List.of(toBob))));
        assertTrue(String.valueOf(((Map<?, ?>) live.structuredContent()).get("timeline")).contains("verdict=allow"), "the live Program allows it");

        var broken = c.callTool(new McpSchema.CallToolRequest("simulate", Map.of("files", Map.of("main.charter", main + "\nrule {\n"))));
        assertTrue(broken.isError(), String.valueOf(broken.content()));
        assertTrue(((McpSchema.TextContent) broken.content().getFirst()).text().startsWith("does_not_compile: `files`"), String.valueOf(broken.content()));
    }

    /** `charter mcp --server URL`: the same tools in front of a running server, the token from CHARTER_TOKEN, the decision recorded there. */
    @Test
    void inFrontOfARunningServerWithTheTokenFromTheEnvironment() throws Exception {
        java.nio.file.Path tokens = tmp.resolve("tokens.jsonl");
        String token = charter.server.TokenStore.create(tokens, "acme", java.util.EnumSet.of(charter.server.TokenStore.Scope.READ,
                charter.server.TokenStore.Scope.INTENTS), "agent", null);
        var tenant = new charter.server.ServerConfig.TenantConfig("acme", ACME, null, null, null, Map.of());
        try (var server = charter.server.CharterServer.start(new charter.server.ServerConfig(0, tmp.resolve("served").toString(), tokens, 1 << 20,
                Map.of("acme", tenant)))) {
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            var params = ServerParameters.builder(javaBin)
                    .args("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                            "-cp", System.getProperty("java.class.path"), "charter.cli.Main",
                            "mcp", "--server", "http://127.0.0.1:" + server.port(), "--actor", "dave")
                    .addEnvVar("CHARTER_TOKEN", token)
                    .build();
            var transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
            StringBuilder stderr = new StringBuilder();
            transport.setStdErrorHandler(line -> stderr.append(line).append('\n'));
            try (McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(120)).build()) {
                c.initialize();
                var r = c.callTool(new McpSchema.CallToolRequest("rollback", Map.of("project", "web", "reason", "checkout broke")));
                Map<?, ?> d = (Map<?, ?>) r.structuredContent();
                assertEquals("dave", d.get("actor"));
                assertEquals(Boolean.TRUE, d.get("recorded"), String.valueOf(d));
                var http = java.net.http.HttpClient.newHttpClient();
                String decisions = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/v1/decisions"))
                        .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(decisions.contains(String.valueOf(d.get("intentId"))), "the server recorded it: " + decisions);
            } catch (RuntimeException e) {
                throw new AssertionError("stderr of charter mcp --server:\n" + stderr, e);
            }
        }
    }

    @Test
    void neitherOrBothModesIsAUserError() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"mcp", "--actor", "carol"}, new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of());
        assertEquals(1, code);
        assertTrue(err.toString().contains("--program DIR"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(1, Main.run(new String[] {"mcp", "--program", ACME.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err2), Map.of()));
        assertTrue(err2.toString().contains("--actor"), err2.toString());
        StringWriter err3 = new StringWriter();
        assertEquals(1, Main.run(new String[] {"mcp", "--server", "http://127.0.0.1:9", "--actor", "a"}, new PrintWriter(new StringWriter()), new PrintWriter(err3), Map.of()));
        assertTrue(err3.toString().contains("CHARTER_TOKEN"), err3.toString());
        assertFalse(err3.toString().contains("Exception"), err3.toString());
    }
}
