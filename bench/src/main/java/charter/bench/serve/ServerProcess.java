package charter.bench.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code charter serve} in a child process, as an operator runs it: a configuration file
 * with one tenant on the acme Program, its webhook secrets as {@code env:NAME} references set in
 * the child's environment only, a SQLite data directory and a tokens file in a fresh folder, and
 * an API token made with {@code charter token create}. The server listens on a free port (it
 * prints which); we wait for {@code /healthz}. {@link #close()} stops it (SIGTERM, then SIGKILL
 * after a grace period); a shutdown hook does the same if this JVM is interrupted.
 */
public final class ServerProcess implements AutoCloseable {
    public static final String TENANT = "acme";
    private static final List<String> SOURCES = List.of("github", "vercel", "linear", "sentry");
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final Duration GRACE = Duration.ofSeconds(20);

    private final Process process;
    private final Thread hook;
    private final InetSocketAddress address;
    private final String token;
    private final Map<String, byte[]> secrets;
    private final Path dir;
    private final Path log;
    private final double startSeconds;

    private ServerProcess(Process process, Thread hook, InetSocketAddress address, String token, Map<String, byte[]> secrets,
                          Path dir, Path log, double startSeconds) {
        this.process = process;
        this.hook = hook;
        this.address = address;
        this.token = token;
        this.secrets = secrets;
        this.dir = dir;
        this.log = log;
        this.startSeconds = startSeconds;
    }

    /**
     * @param root    the repository root (its {@code ./charter} launcher builds the CLI when sources changed)
     * @param program the tenant's Program folder
     * @param dir     an empty folder for the configuration, the store, the tokens and the server's log
     * @param javaOptions extra JVM options for the server only (JDK_JAVA_OPTIONS, e.g. to record a
     *                flight recording), or null
     */
    public static ServerProcess start(Path root, Path program, Path dir, Duration startTimeout, String javaOptions) throws IOException, InterruptedException {
        Path launcher = root.resolve("charter");
        if (!Files.isExecutable(launcher)) throw new IOException("no ./charter launcher in " + root);
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        SecureRandom random = new SecureRandom();
        for (String source : SOURCES) {
            byte[] raw = new byte[16];
            random.nextBytes(raw);
            String secret = HexFormat.of().formatHex(raw);
            secrets.put(source, secret.getBytes(StandardCharsets.UTF_8));
            env.put(variable(source), secret);
        }
        Path config = dir.resolve("charter-server.yaml");
        StringBuilder yaml = new StringBuilder()
                .append("# written by charter.bench.ServeLoadBenchmark\n")
                .append("port: 0\n")
                .append("data: data\n")
                .append("tokens: tokens.jsonl\n")
                // the load generator is one client address opening up to hundreds of connections
                .append("limits:\n  connections_per_client: 4096\n")
                .append("tenants:\n")
                .append("  ").append(TENANT).append(":\n")
                .append("    program: ").append(quote(program.toAbsolutePath().normalize().toString())).append('\n')
                .append("    secrets:\n");
        for (String source : SOURCES) yaml.append("      ").append(source).append(": env:").append(variable(source)).append('\n');
        Files.writeString(config, yaml.toString());

        String token = createToken(launcher, root, config, dir, startTimeout);

        Path log = dir.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "serve", "--config", config.toString(), "--port", "0")
                .directory(root.toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        if (javaOptions != null && !javaOptions.isBlank()) pb.environment().put("JDK_JAVA_OPTIONS", javaOptions);
        long t0 = System.nanoTime();
        Process p = pb.start();
        Thread hook = new Thread(() -> kill(p), "stop-charter-serve");
        Runtime.getRuntime().addShutdownHook(hook);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        ArrayDeque<String> tail = new ArrayDeque<>();
        Thread.ofPlatform().daemon(true).name("charter-serve-output").start(() -> pump(p, log, port, tail));
        try {
            int n;
            try {
                n = port.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("charter serve did not start within " + startTimeout.toSeconds() + " s"
                        + (p.isAlive() ? "" : " (exit " + p.exitValue() + ")") + "; its output:\n" + tail(tail));
            }
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", n);
            awaitHealthy(address, p, Duration.ofSeconds(60), tail);
            return new ServerProcess(p, hook, address, token, secrets, dir, log, (System.nanoTime() - t0) / 1e9);
        } catch (IOException | InterruptedException | RuntimeException e) {
            kill(p);
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
    }

    private static String createToken(Path launcher, Path root, Path config, Path dir, Duration timeout) throws IOException, InterruptedException {
        Path out = dir.resolve("token.out");
        Path err = dir.resolve("token.err");
        Process p = new ProcessBuilder(launcher.toString(), "token", "create", "--config", config.toString(),
                "--tenant", TENANT, "--scopes", "read,intents")
                .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("charter token create did not finish within " + timeout.toSeconds() + " s");
        }
        String token = Files.readString(out).strip();
        if (p.exitValue() != 0 || !token.startsWith("chr_")) {
            throw new IOException("charter token create failed (exit " + p.exitValue() + "): " + Files.readString(err) + token);
        }
        Files.delete(out);   // the token is shown once; do not leave it lying around
        return token;
    }

    private static void pump(Process p, Path log, CompletableFuture<Integer> port, ArrayDeque<String> tail) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             var w = Files.newBufferedWriter(log)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                w.write(line);
                w.newLine();
                w.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    while (tail.size() > 40) tail.removeFirst();
                }
                Matcher m = LISTENING.matcher(line);
                if (!port.isDone() && m.find()) port.complete(Integer.parseInt(m.group(1)));
            }
        } catch (IOException e) {
            // the server's output closed: it has exited
        }
        port.completeExceptionally(new IOException("the server exited"));
    }

    private static void awaitHealthy(InetSocketAddress address, Process p, Duration timeout, ArrayDeque<String> tail) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) break;
            try (HttpConnection c = new HttpConnection(address, 5_000)) {
                HttpConnection.Response r = c.send("GET", "/healthz", Map.of(), new byte[0]);
                if (r.status() == 200) return;
                last = new IOException("/healthz answered " + r.status());
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("charter serve is not healthy on " + address + " (" + last + "); its output:\n" + tail(tail));
    }

    private static String tail(ArrayDeque<String> tail) {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    private static void kill(Process p) {
        if (!p.isAlive()) return;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();   // SIGTERM: the server's shutdown hook closes the store
        try {
            if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle c : children) c.destroyForcibly();
    }

    static String variable(String source) {
        return "CHARTER_LOAD_" + source.toUpperCase(java.util.Locale.ROOT) + "_SECRET";
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    public InetSocketAddress address() {
        return address;
    }

    public String token() {
        return token;
    }

    public Map<String, byte[]> secrets() {
        return secrets;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path dir() {
        return dir;
    }

    public Path log() {
        return log;
    }

    /** Seconds from starting the process to a healthy server. */
    public double startSeconds() {
        return startSeconds;
    }

    @Override
    public void close() {
        kill(process);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }
}
