package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `charter serve` with logs at info level, as JSON: stdout keeps what the command prints, stderr
 * gets one JSON object a line, with an access line per request (never a header or a token).
 */
class ServeLoggingEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void serveLogsJsonAtInfoToStderrAndKeepsStdoutClean() throws Exception {
        Path errFile = tmp.resolve("stderr.log");
        Process server = new ProcessBuilder(Charter.root().resolve("charter").toString(), "serve", "--demo", "--port", "0",
                "--log-level", "info", "--log-format", "json")
                .directory(tmp.toFile()).redirectError(errFile.toFile()).start();
        List<String> printed = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Charter.TIMEOUT_SECONDS);
            String line;
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                printed.add(line);
                if (line.equals("Ctrl-C stops the server.")) break;
            }
            Matcher m = Pattern.compile("listening on (http://[^ ]+)").matcher(String.join("\n", printed));
            if (!m.find()) fail("serve did not start:\n" + String.join("\n", printed) + "\n" + Files.readString(errFile));
            String base = m.group(1);
            String token = printed.stream().filter(l -> l.startsWith("API token")).findFirst().orElseThrow().replaceAll(".*: ", "");
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events?limit=1"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/vercel"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            Thread.ofPlatform().daemon(true).start(() -> out.lines().forEach(printed::add));

            List<JsonNode> logs = new ArrayList<>();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                logs.clear();
                for (String l : Files.readAllLines(errFile)) {
                    if (l.startsWith("charter: building")) continue;   // the launcher's own line, before Java starts
                    logs.add(JSON.readTree(l));   // every line is one JSON object
                }
                if (logs.stream().filter(n -> n.path("loggerName").asText().equals("charter.access")).count() >= 3) break;
                Thread.sleep(100);
            }
            List<String> access = logs.stream().filter(n -> n.path("loggerName").asText().equals("charter.access"))
                    .map(n -> n.path("level").asText() + " " + n.path("formattedMessage").asText()).toList();
            assertTrue(access.stream().anyMatch(a -> a.matches("INFO GET /healthz 200 .* ms from .*")), access.toString());
            assertTrue(access.stream().anyMatch(a -> a.matches("INFO GET /v1/events 200 .*")), access.toString());
            assertTrue(access.stream().anyMatch(a -> a.matches("INFO POST /webhooks/vercel 4\\d\\d .*")), access.toString());
            String all = Files.readString(errFile);
            assertFalse(all.contains(token), "the token is never logged");
            assertFalse(all.contains("limit=1"), "query strings are not logged");
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
        }
        for (String l : printed) assertFalse(l.startsWith("{"), "no log line on stdout: " + l);
    }

    /** A CLI command keeps stdout for its result and prints no log line at its default level. */
    @Test
    void cliCommandsPrintNoLogLines() {
        Charter.Result r = Charter.run("simulate", Charter.root().resolve("program-examples/acme").toString(),
                "--events", Charter.root().resolve("program-examples/acme/events.jsonl").toString());
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.out().contains(" WARN ") || r.out().contains(" INFO ") || r.out().contains("DEBUG"), r.out());
        assertFalse(r.err().contains(" WARN ") || r.err().contains(" INFO ") || r.err().contains("DEBUG"), r.err());
    }
}
