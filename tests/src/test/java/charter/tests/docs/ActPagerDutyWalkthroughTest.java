package charter.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
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
 * Runs the walkthrough of docs/act/outbox.md (the README points to it) as a reader would, from a folder
 * that looks like the repository's root (`./charter`, `scripts/fake-tool`, `program-examples/`): the
 * PagerDuty stand-in in terminal 1, the server in terminal 2, the webhook and the trail in terminal 3,
 * with free ports in place of 8090 and 8080. The page arrives at the stand-in, and the trail shows it done.
 */
class ActPagerDutyWalkthroughTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern ACTION = Pattern.compile("act_[0-9a-f]{16}");

    @TempDir
    Path dir;
    final List<Process> started = new ArrayList<>();

    @Test
    void aPageArrivesAtTheLocalPagerDutyWithItsTrail() throws Exception {
        List<MarkdownBlocks.Block> blocks = MarkdownBlocks.parse(Files.readString(GettingStartedDocTest.root().resolve("docs/act/outbox.md")))
                .blocks().stream().filter(b -> b.has("pagerduty-walkthrough")).toList();
        assertEquals(List.of("terminal=1", "terminal=2", "terminal=3", "terminal=3"), blocks.stream().map(ActPagerDutyWalkthroughTest::terminal).toList(),
                "docs/act/outbox.md's walkthrough: the stand-in, the server, the webhook, the trail");
        assertTrue(Files.readString(GettingStartedDocTest.root().resolve("README.md")).contains("docs/act/outbox.md#walkthrough-a-page-arriving-at-a-local-pagerduty"),
                "the README points to the walkthrough");
        likeTheRepositoryRoot();
        String pagerDutyPort = Integer.toString(freePort());
        String serverPort = Integer.toString(freePort());
        List<String> scripts = blocks.stream().map(b -> b.body().replace("8090", pagerDutyPort).replace("8080", serverPort)).toList();
        try {
            Terminal pagerDuty = Terminal.start(dir, scripts.get(0), started);
            pagerDuty.await("fake pagerduty listening on http://127.0.0.1:" + pagerDutyPort);
            Terminal server = Terminal.start(dir, scripts.get(1), started);
            server.await("listening on http://127.0.0.1:" + serverPort);

            String sent = session(scripts.get(2), "");
            assertTrue(sent.contains("\"accepted\""), sent);

            String trail = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !trail.contains(" done ")) {
                Thread.sleep(500);
                trail = session(scripts.get(3), "walkthrough/env.sh");
            }
            String shown = trail;
            assertTrue(trail.contains(" done ") && trail.contains("pagerduty.page"), () -> "the page is done:\n" + shown + "\n" + server.output());
            Matcher id = ACTION.matcher(trail);
            assertTrue(id.find(), trail);
            String action = id.group();

            // the stand-in printed the event as it arrived, keyed by the action
            String arrived = pagerDuty.output();
            assertTrue(arrived.contains("POST /v2/enqueue") && arrived.contains("\"dedup_key\":\"" + action + "\"")
                    && arrived.contains("\"routing_key\":\"walkthrough-routing-key\""), arrived);
            // the trail: one attempt, the request as sent without its secret, the trace from the webhook to the attempt
            assertTrue(trail.contains("attempt 1") && trail.contains("<redacted>"), trail);
            assertFalse(trail.contains("walkthrough-routing-key"), () -> "the trail shows no secret:\n" + shown);
            JsonNode trace = JSON.readTree(trail.substring(trail.lastIndexOf("\n{") + 1));
            assertEquals("done", trace.path("carriedOut").path("status").asText(), trace.toString());
            assertFalse(trace.path("attempts").isEmpty(), trace.toString());
            assertTrue(trace.toString().contains("page_on_failed_prod_deploy"), trace.toString());
        } finally {
            for (Process p : started) stop(p);
        }
    }

    /** `./charter`, `scripts/fake-tool` and `program-examples` beside each other, as in a clone; the rest is the walkthrough's. */
    private void likeTheRepositoryRoot() throws IOException {
        Path root = GettingStartedDocTest.root();
        wrapper(dir.resolve("charter"), root.resolve("charter"));
        wrapper(Files.createDirectories(dir.resolve("scripts")).resolve("fake-tool"), root.resolve("scripts/fake-tool"));
        Files.createSymbolicLink(dir.resolve("program-examples"), root.resolve("program-examples"));
    }

    private static void wrapper(Path at, Path target) throws IOException {
        Files.writeString(at, "#!/bin/sh\nexec '" + target + "' \"$@\"\n");
        at.toFile().setExecutable(true);
    }

    /** Runs commands of terminal 3 to their end, in the environment the earlier ones left (a file of exports). */
    private String session(String script, String environment) throws Exception {
        String body = (environment.isEmpty() ? "" : ". " + environment + "\n") + script + "export -p > walkthrough/env.sh\n";
        Process p = new ProcessBuilder("bash", "-c", body).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), script);
        assertEquals(0, p.exitValue(), () -> script + "\n" + out);
        assertFalse(out.contains("Exception"), out);
        return out;
    }

    private static String terminal(MarkdownBlocks.Block b) {
        Matcher m = Pattern.compile("terminal=\\d+").matcher(b.info());
        return m.find() ? m.group() : b.info();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops a terminal's command and whatever it started (the fake's JVM is a child of its script). */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) h.onExit().completeOnTimeout(h, 30, TimeUnit.SECONDS).join();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** A long-running block (a stand-in, a server), its output gathered as it comes. */
    record Terminal(Process process, StringBuffer out) {
        static Terminal start(Path dir, String script, List<Process> started) throws IOException {
            Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
            started.add(p);
            StringBuffer out = new StringBuffer();
            Thread.ofPlatform().daemon(true).start(() -> {
                try (InputStream in = p.getInputStream()) {
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) > 0; ) out.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    out.append("\n(output closed: ").append(e.getMessage()).append(")\n");
                }
            });
            return new Terminal(p, out);
        }

        /** Waits (bounded: the first run builds) until the block prints {@code line}. */
        void await(String line) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(400);
            while (System.nanoTime() < deadline && !out.toString().contains(line)) {
                if (!process.isAlive()) fail("the block ended before printing '" + line + "':\n" + out);
                Thread.sleep(100);
            }
            if (!out.toString().contains(line)) fail("no '" + line + "' within 400 s:\n" + out);
        }

        String output() {
            return out.toString();
        }
    }
}
