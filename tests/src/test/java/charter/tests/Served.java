package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A `./charter serve` process of the repository's real launcher, on an ephemeral loopback port, with the
 * HTTP calls the end-to-end tests make to it. The launcher execs the JVM, so {@link #pid()} is the server's.
 */
final class Served implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^ ]+:(\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Served(Process process) throws IOException {
        this.process = process;
        this.port = awaitListening();
    }

    /** Starts `charter serve --config CONFIG --port 0` in {@code dir} with extra environment variables. */
    static Served start(Path dir, Path config, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Charter.root().resolve("charter").toString(), "serve", "--config", config.toString(), "--port", "0")
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("CHARTER_DEBUG");
        pb.environment().putAll(env);
        return new Served(pb.start());
    }

    long pid() {
        return process.pid();
    }

    /** What the server printed so far. */
    String output() {
        return output.toString();
    }

    /** SIGKILL, as `kill -9 PID` from a shell: no shutdown hook, no flush. */
    void killNine() throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -9 " + pid());
        if (!process.waitFor(30, TimeUnit.SECONDS)) fail("the server survived kill -9");
    }

    private int awaitListening() throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Charter.TIMEOUT_SECONDS);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            output.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofPlatform().daemon(true).start(() -> out.lines().forEach(l -> output.append(l).append('\n')));   // keep the pipe drained
                return Integer.parseInt(m.group(1));
            }
        }
        process.destroyForcibly();
        fail("the server did not start:\n" + output);
        return -1;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String token, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** Every entry of a paged list (`next` links). */
    List<JsonNode> pages(String token, String path, String list) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String next = path + (path.contains("?") ? "&" : "?") + "limit=500";
        while (next != null) {
            JsonNode page = get(token, next);
            page.get(list).forEach(out::add);
            next = page.get("next").isNull() ? null : page.get("next").asText();
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
