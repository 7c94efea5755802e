package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.server.CharterServer;
import charter.server.ServerConfig;
import charter.server.TokenStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charter actions`: the outbox of a real server from the command line, approvals and the kill switch included. */
class ActionsCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void listsShowsApprovesRejectsAndPausesAgainstARealServer(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("program"));
        Files.writeString(dir.resolve("charter.yaml"), "name: gate\nmain: main.charter\ntimezone: UTC\nsources: [sentry]\n"
                + "connectors:\n  slack.post:\n    mode: approval\n    approvers: [team:ops]\n");
        Files.writeString(dir.resolve("main.charter"), """
                program "gate"

                person alice {
                  github "alice-gh"
                }
                person dave {
                  github "dave-gh"
                }
                team ops "Operations" {
                  members alice
                }

                intent ship(project: string) "Deploy a project" {
                  resolve slack.post(channel: "#deploys", text: "${intent.actor} ships ${intent.project}")
                }
                """);
        Path tokens = tmp.resolve("tokens.jsonl");
        CharterServer server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024,
                Map.of("gate", new ServerConfig.TenantConfig("gate", dir, null, null, null, Map.of()))));
        try {
            String act = TokenStore.create(tokens, "gate", EnumSet.of(TokenStore.Scope.READ, TokenStore.Scope.INTENTS));
            String admin = TokenStore.create(tokens, "gate", EnumSet.of(TokenStore.Scope.ADMIN));
            String url = "http://127.0.0.1:" + server.port();
            Map<String, String> env = Map.of("CHARTER_TOKEN", act, "CHARTER_SERVER", url);
            for (String project : new String[] {"web", "api"}) {
                IntentCommandTest.Run shipped = IntentCommandTest.run(env, "intent", "ship", "--server", url, "--actor", "dave", "--param", "project=" + project);
                assertEquals(0, shipped.code(), shipped.err());
            }

            IntentCommandTest.Run list = IntentCommandTest.run(env, "actions", "list", "--status", "awaiting_approval", "--format", "json");
            assertEquals(0, list.code(), list.err());
            JsonNode actions = JSON.readTree(list.out()).get("actions");
            assertEquals(2, actions.size(), list.out());
            String first = actions.get(0).get("id").asText();
            String second = actions.get(1).get("id").asText();

            IntentCommandTest.Run text = IntentCommandTest.run(env, "actions", "list");
            assertTrue(text.out().contains(first) && text.out().contains("awaiting_approval") && text.out().contains("slack.post"), text.out());

            IntentCommandTest.Run notAnApprover = IntentCommandTest.run(env, "actions", "approve", first, "--actor", "dave-gh", "--reason", "mine");
            assertEquals(1, notAnApprover.code());
            assertTrue(notAnApprover.err().startsWith("charter: the server refused: not_an_approver: `dave-gh` may not approve"), notAnApprover.err());

            IntentCommandTest.Run approved = IntentCommandTest.run(env, "actions", "approve", first, "--actor", "alice-gh", "--reason", "fine");
            assertEquals(0, approved.code(), approved.err());
            // no endpoint for slack.post in the server's configuration: it fails at once, with the reason
            IntentCommandTest.Run shown = awaitShown(env, first, "failed");
            assertTrue(shown.out().contains("decided by alice-gh"), shown.out());
            assertTrue(shown.out().contains("no endpoint for slack.post") || shown.out().contains("no connector for slack.post"), shown.out());

            IntentCommandTest.Run rejected = IntentCommandTest.run(env, "actions", "reject", second, "--actor", "alice", "--reason", "not now");
            assertEquals(0, rejected.code(), rejected.err());
            assertTrue(rejected.out().contains("cancelled"), rejected.out());
            IntentCommandTest.Run again = IntentCommandTest.run(env, "actions", "reject", second, "--actor", "alice", "--reason", "twice");
            assertEquals(1, again.code());
            assertTrue(again.err().contains("action_state"), again.err());

            IntentCommandTest.Run noAdmin = IntentCommandTest.run(env, "actions", "pause");
            assertEquals(1, noAdmin.code());
            Map<String, String> adminEnv = Map.of("CHARTER_TOKEN", admin, "CHARTER_SERVER", url);
            IntentCommandTest.Run paused = IntentCommandTest.run(adminEnv, "actions", "pause", "--tool", "slack.post", "--reason", "storm");
            assertEquals(0, paused.code(), paused.err());
            assertTrue(paused.out().startsWith("paused: slack.post since "), paused.out());
            IntentCommandTest.Run resumed = IntentCommandTest.run(adminEnv, "actions", "resume", "--tool", "slack.post");
            assertEquals("nothing paused: actions are carried out\n", resumed.out());

            IntentCommandTest.Run unknown = IntentCommandTest.run(env, "actions", "show", "act_nope");
            assertEquals(1, unknown.code());
            assertTrue(unknown.err().contains("unknown_action"), unknown.err());
            IntentCommandTest.Run noServer = IntentCommandTest.run(Map.of("CHARTER_TOKEN", act), "actions", "list");
            assertEquals(1, noServer.code());
            assertTrue(noServer.err().contains("--server URL"), noServer.err());
        } finally {
            server.close();
        }
    }

    private static IntentCommandTest.Run awaitShown(Map<String, String> env, String id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        IntentCommandTest.Run r;
        do {
            r = IntentCommandTest.run(env, "actions", "show", id);
            if (r.out().contains(" " + status + " ")) return r;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(id + " never became " + status + ": " + r.out() + r.err());
    }
}
