package charter.server.act;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a tenant's tool is when the server configuration gives no base URL: the vendor's API as
 * docs/act/connectors.md lists it, never a made-up local endpoint. http.post goes to the Program's URL,
 * and email.send has no default: the server refuses to start with an email entry that names no SMTP server,
 * and a connector without one fails its action saying so rather than mailing whatever listens on localhost:25.
 */
class ConnectorEndpointsTest {
    /** docs/act/connectors.md, "Configuring a tool": the default base URL of each vendor. */
    static final Map<String, String> DOCUMENTED = Map.of(
            "slack.post", "https://slack.com/api/",
            "linear.create_issue", "https://api.linear.app/",
            "pagerduty.page", "https://events.pagerduty.com/",
            "github.comment", "https://api.github.com/",
            "vercel.rollback", "https://api.vercel.com/",
            "sentry.resolve", "https://sentry.io/api/0/");

    @TempDir
    Path dir;

    @Test
    void aToolWithoutABaseUrlTalksToItsVendorOrTheProgramsUrlNeverToLocalhost() throws Exception {
        for (var e : DOCUMENTED.entrySet()) {
            Connector c = registry(e.getKey()).connector("acme", e.getKey()).orElseThrow();
            String target = c.render(request(e.getKey())).target();
            assertTrue(target.startsWith(e.getValue()), e.getKey() + " goes to " + target);
        }
        Connector post = registry("http.post").connector("acme", "http.post").orElseThrow();
        assertEquals("https://hooks.example.com/charter", post.render(request("http.post")).target());
    }

    @Test
    void anEmailConnectorWithoutAnSmtpServerFailsItsActionSayingSo() throws Exception {
        Connector email = registry("email.send").connector("acme", "email.send").orElseThrow();
        AttemptOutcome outcome = email.send(request("email.send"));
        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class, outcome, "not sent anywhere: " + outcome);
        assertTrue(failed.reason().contains("smtp://host:port"), failed.reason());
    }

    @Test
    void theServerRefusesToStartWithAnEmailEntryThatNamesNoSmtpServer() throws Exception {
        for (String entry : List.of("email: {from: charter@acme.dev}", "email.send: {from: charter@acme.dev}",
                "email: {from: charter@acme.dev, base_url: \"https://mail.acme.dev\"}")) {
            ServerConfig.ConfigException e = assertThrows(ServerConfig.ConfigException.class, () -> load(entry), entry);
            assertTrue(e.getMessage().contains("tenant `acme`") && e.getMessage().contains("smtp://host:port"), e.getMessage());
        }
        ServerConfig ok = load("email: {from: charter@acme.dev, base_url: \"smtp://127.0.0.1:2525\"}");
        assertEquals("smtp://127.0.0.1:2525", ok.tenants().get("acme").connectors().get("email").baseUrl().toString());
    }

    private ServerConfig load(String connector) throws Exception {
        Path f = dir.resolve("charter-server.yaml");
        Files.writeString(f, "tenants:\n  acme:\n    program: " + Path.of("../program-examples/acme").toAbsolutePath() + "\n    connectors:\n      " + connector + "\n");
        return ServerConfig.load(f, name -> null);
    }

    private static ConnectorRegistry registry(String tool) {
        return new ConnectorRegistry(List.of(), Map.of("acme", Map.of(tool, new ToolSettings(null, Map.of("token", "secret-token-1", "routing_key", "secret-routing-key",
                "signing_secret", "secret-signing"), Map.of("from", "charter@acme.dev", "organization", "acme"), 0, 0))));
    }

    private static ActionRequest request(String tool) {
        Map<String, Object> args = switch (tool) {
            case "slack.post" -> Map.of("channel", "C01234567", "text", "hello");
            case "linear.create_issue" -> Map.of("team", "ENG", "title", "t");
            case "pagerduty.page" -> Map.of("team", "platform", "summary", "s");
            case "github.comment" -> Map.of("repo", "acme/api", "number", 1L, "body", "b");
            case "vercel.rollback" -> Map.of("project", "api", "deployment", "dpl_1");
            case "sentry.resolve" -> Map.of("issue_id", "42");
            case "http.post" -> Map.of("url", "https://hooks.example.com/charter", "body", "{}");
            case "email.send" -> Map.of("to", "alice@acme.dev", "subject", "s", "body", "b");
            default -> throw new IllegalArgumentException(tool);
        };
        return new ActionRequest("acme", "act_0123456789abcdef", tool, args, 1);
    }
}
