package charter.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The factory serves exactly the catalog's tools, and the guarantee table in the docs is the connectors'. */
class ConnectorsCatalogTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static Set<String> catalogTools() throws Exception {
        String yaml = Files.readString(ROOT.resolve("compiler/src/main/resources/charter/catalog/tools.yaml"));
        Set<String> tools = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^  ([a-z]+\\.[a-z_]+):").matcher(yaml);
        while (m.find()) tools.add(m.group(1));
        return tools;
    }

    @Test
    void everyToolOfTheCatalogHasAConnectorAndNoOtherDoes() throws Exception {
        try (Connectors connectors = new Connectors()) {
            assertEquals(catalogTools(), connectors.tools());
            for (String tool : connectors.tools()) {
                Connector connector = connectors.create(tool, new ToolEndpoint(null, Map.of(), Map.of())).orElseThrow();
                assertEquals(tool, connector.tool());
                assertNotNull(connector.guarantee());
            }
            assertTrue(connectors.create("jira.create", new ToolEndpoint(URI.create("http://x"), Map.of(), Map.of())).isEmpty());
        }
    }

    @Test
    void theGuaranteeTableOfTheDocsIsTheConnectors() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/act/connectors.md"));
        try (Connectors connectors = new Connectors()) {
            for (String tool : connectors.tools()) {
                Connector connector = connectors.create(tool, new ToolEndpoint(null, Map.of(), Map.of())).orElseThrow();
                String row = "| `" + tool + "` |";
                int at = doc.indexOf(row);
                assertTrue(at >= 0, "docs/act/connectors.md has a row for " + tool);
                String line = doc.substring(at, doc.indexOf('\n', at));
                String expected = switch (connector.guarantee()) {
                    case EXACTLY_ONCE -> "exactly once";
                    case AT_LEAST_ONCE_DEDUPLICATED -> "at least once, deduplicated";
                    case AT_MOST_ONCE -> "at most once";
                };
                assertTrue(line.contains("**" + expected + "**"), tool + "'s row says " + expected + ": " + line);
            }
        }
    }

    @Test
    void theDemoNeedsNoCredentialsToShowEveryRequest() {
        try (Connectors connectors = new Connectors()) {
            Map<String, Map<String, Object>> args = Map.ofEntries(
                    Map.entry("slack.post", Map.of("channel", "#c", "text", "t")),
                    Map.entry("linear.create_issue", Map.of("team", "eng", "title", "t")),
                    Map.entry("linear.comment", Map.of("issue", "ENG-1", "body", "b")),
                    Map.entry("linear.assign", Map.of("issue", "ENG-1", "assignee", "a")),
                    Map.entry("pagerduty.page", Map.of("team", "t", "summary", "s")),
                    Map.entry("github.comment", Map.of("repo", "a/b", "number", 1, "body", "b")),
                    Map.entry("github.add_label", Map.of("repo", "a/b", "number", 1, "label", "l")),
                    Map.entry("github.request_review", Map.of("repo", "a/b", "number", 1, "reviewer", "r")),
                    Map.entry("github.create_issue", Map.of("repo", "a/b", "title", "t")),
                    Map.entry("vercel.deploy", Map.of("project", "p", "sha", "s", "target", "production")),
                    Map.entry("vercel.rollback", Map.of("project", "p")),
                    Map.entry("vercel.promote", Map.of("project", "p", "deployment", "d")),
                    Map.entry("sentry.assign", Map.of("issue_id", "1", "assignee", "a")),
                    Map.entry("sentry.resolve", Map.of("issue_id", "1")),
                    Map.entry("http.post", Map.of("url", "https://hooks.example.com/x", "body", "{}")),
                    Map.entry("email.send", Map.of("to", "a@example.com", "subject", "s", "body", "b")));
            assertEquals(connectors.tools(), new TreeSet<>(args.keySet()));
            Map<String, String> settings = Map.of();
            for (String tool : connectors.tools()) {
                URI base = tool.equals("email.send") ? URI.create("smtp://mail.example.com:587") : null;
                WireRequest wire = connectors.create(tool, new ToolEndpoint(base, Map.of(), settings)).orElseThrow()
                        .render(new ActionRequest("acme", "act_demo", tool, args.get(tool), 1));
                assertNotNull(wire.target(), tool);
                if (!tool.equals("email.send")) assertTrue(wire.target().startsWith("https://"), tool + " defaults to the vendor: " + wire.target());
                if (tool.startsWith("sentry.")) assertTrue(wire.target().contains("%3Cmissing%20setting%20%27organization%27%3E"), wire.target());
                if (tool.equals("email.send")) assertEquals("<missing setting 'from'>", wire.headers().get("From"));
            }
        }
    }
}
