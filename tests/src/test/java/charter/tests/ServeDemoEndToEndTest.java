package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `charter serve --demo` as a newcomer meets it: start it, run the curl walkthrough it prints
 * (bash, openssl and curl, exactly as printed), and see the webhook accepted, a duplicate ignored,
 * the Program's actions planned and a decision made.
 */
class ServeDemoEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theWalkthroughItPrintsWorksAsPrinted() throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));   // the demo's temporary folders go here, to be counted
        ProcessBuilder pb = new ProcessBuilder(Charter.root().resolve("charter").toString(), "serve", "--demo", "--port", "0")
                .directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + javaTmp);   // the launcher sets CHARTER_JVM_FLAGS itself
        Process server = pb.start();
        try {
            List<String> printed = readUntil(server, "Ctrl-C stops the server.");
            assertTrue(printed.stream().anyMatch(l -> l.startsWith("charter serve: listening on http://127.0.0.1:")), printed.toString());
            try (var made = Files.list(javaTmp)) {
                assertTrue(made.anyMatch(p -> p.getFileName().toString().startsWith("charter-serve-demo-")), "the demo's store is in java.io.tmpdir");
            }
            List<String> commands = printed.stream().filter(l -> l.startsWith("  ")).map(String::strip).toList();
            assertTrue(commands.size() >= 8, "the demo prints its walkthrough:\n" + String.join("\n", printed));
            assertEquals(documented(), commands.stream().map(ServeDemoEndToEndTest::withoutSecrets).toList(),
                    "docs/server/README.md shows the walkthrough the demo prints");
            List<String> send = commands.subList(0, 4);   // SECRET, BODY, SIG, curl POST
            assertTrue(send.get(3).startsWith("curl -s -X POST"), send.toString());

            String first = bash(String.join("\n", send));
            assertEquals("accepted", JSON.readTree(first).get("status").asText(), first);
            String again = bash(String.join("\n", send));
            assertEquals("duplicate", JSON.readTree(again).get("status").asText(), again);

            String events = commands.get(4);
            String actions = commands.get(5);
            String show = commands.get(6);
            String intent = commands.get(7);
            JsonNode log = JSON.readTree(bash(events));
            assertEquals(1, log.get("events").size(), log.toString());

            JsonNode planned = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                planned = JSON.readTree(bash(actions));
                if (!planned.get("actions").isEmpty()) break;
                Thread.sleep(200);
            }
            List<String> tools = new ArrayList<>();
            planned.get("actions").forEach(a -> tools.add(a.get("tool").asText() + " by " + a.get("provenance").get("id").asText()));
            assertTrue(tools.contains("pagerduty.page by page_on_failed_prod_deploy"), tools.toString());
            assertTrue(tools.contains("slack.post by page_on_failed_prod_deploy"), tools.toString());

            // the wire-level dry run: the demo sends nothing, and shows what the connector would send
            String page = null;
            for (JsonNode a : planned.get("actions")) if (a.get("tool").asText().equals("pagerduty.page")) page = a.get("id").asText();
            JsonNode wire = JSON.readTree(bash(show.replace("<id>", page))).path("request");
            assertEquals("POST", wire.path("method").asText(), wire.toString());
            assertTrue(wire.path("target").asText().endsWith("/v2/enqueue"), wire.toString());
            assertTrue(wire.path("body").asText().contains("\"dedup_key\":\"" + page + "\""), wire.toString());

            JsonNode decision = JSON.readTree(bash(intent));
            assertEquals("needs-override", decision.get("verdict").asText(), decision.toString());
            assertEquals("rollback_by_owning_team", decision.get("denials").get(0).get("invariant").asText());
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
        }
        try (var left = Files.list(javaTmp)) {
            List<String> charters = left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("charter-")).toList();
            assertEquals(List.of(), charters, "a stopped demo leaves no folder behind");
        }
    }

    /** The walkthrough as docs/server/README.md shows it. */
    private static List<String> documented() throws java.io.IOException {
        String page = Files.readString(Charter.root().resolve("docs/server/README.md"));
        int start = page.indexOf("```sh {demo-walkthrough}\n");
        assertTrue(start >= 0, "docs/server/README.md lost its demo walkthrough block");
        start = page.indexOf('\n', start) + 1;
        String block = page.substring(start, page.indexOf("```", start));
        return block.lines().filter(l -> !l.isBlank()).map(ServeDemoEndToEndTest::withoutSecrets).toList();
    }

    /** What differs from run to run: the port, the secret and the token. */
    private static String withoutSecrets(String line) {
        return line.replaceAll("(localhost|127\\.0\\.0\\.1):\\d+", "HOST:PORT").replaceAll("chr_[A-Za-z0-9_-]+", "chr_TOKEN")
                .replaceAll("SECRET=[0-9a-f]+", "SECRET=S");
    }

    private static List<String> readUntil(Process p, String last) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Charter.TIMEOUT_SECONDS);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            lines.add(line);
            if (line.equals(last)) {
                Thread.ofPlatform().daemon(true).start(() -> out.lines().forEach(l -> { }));
                return lines;
            }
        }
        fail("the demo did not print its walkthrough:\n" + String.join("\n", lines));
        return lines;
    }

    private String bash(String script) throws Exception {
        Path file = Files.writeString(tmp.resolve("walkthrough.sh"), "set -euo pipefail\n" + script + "\n");
        Process p = new ProcessBuilder("bash", file.toString()).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the walkthrough step hung: " + script);
        assertEquals(0, p.exitValue(), script + "\n" + out);
        return out;
    }
}
