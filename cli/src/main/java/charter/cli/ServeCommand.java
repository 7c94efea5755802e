package charter.cli;

import charter.engine.ingest.Normalisers;
import charter.server.CharterServer;
import charter.server.ServerConfig;
import charter.server.TokenStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", description = {
        "Run the server: webhooks in (POST /webhooks/{tenant}/{source}), intents decided (POST /v1/intents),",
        "a REST API under /v1 (bearer tokens, one tenant each). Runs until interrupted.",
        "--demo: one tenant on the example Program with a temporary store; prints a token and a curl walkthrough."})
final class ServeCommand implements Callable<Integer> {
    static final class Mode {
        @Option(names = "--config", paramLabel = "FILE", description = "The server configuration (YAML).")
        Path config;

        @Option(names = "--demo", description = "One tenant (`demo`) on the example Program, a temporary store, generated secrets.")
        boolean demo;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(names = "--port", paramLabel = "N", description = "Listen on this port (overrides the configuration; 0: any free port).")
    Integer port;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "Log level: error, warn, info (default: failures, Program swaps, one access line per request), debug, trace.")
    LogSetup.LevelName logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Log lines on stderr as text (default) or json (one object a line).")
    LogSetup.Format logFormat;
    @Option(names = "--host", paramLabel = "ADDRESS", description = "Listen on this address (overrides the configuration; default 127.0.0.1, 0.0.0.0 for every interface).")
    String host;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LogSetup.configure(logFormat, logLevel);
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig config;
        // What the demo made for itself (its Program's copy, its store), deleted when it stops.
        java.util.Deque<AutoCloseable> owned = new java.util.ArrayDeque<>();
        String demoToken = null;
        Map<String, String> demoSecrets = new LinkedHashMap<>();
        try {
            if (mode.demo) {
                ExampleProgram example = ExampleProgram.materialise("acme", ServeCommand.class.getClassLoader());
                owned.push(example);
                TemporaryFolder folder = TemporaryFolder.create("charter-serve-demo-");
                owned.push(folder);
                Path tmp = folder.path();
                Map<String, byte[]> secrets = new LinkedHashMap<>();
                SecureRandom random = new SecureRandom();
                for (String source : Normalisers.SOURCES) {
                    byte[] raw = new byte[16];
                    random.nextBytes(raw);
                    String s = HexFormat.of().formatHex(raw);
                    demoSecrets.put(source, s);
                    secrets.put(source, s.getBytes(StandardCharsets.UTF_8));
                }
                config = new ServerConfig(port == null ? ServerConfig.DEFAULT_PORT : port, tmp.resolve("data").toString(),
                        tmp.resolve("tokens.jsonl"), ServerConfig.DEFAULT_MAX_BODY,
                        Map.of("demo", new ServerConfig.TenantConfig("demo", example.dir(), null, null, null, secrets)))
                        // no credentials: nothing is ever sent; each action shows the request its connector would send
                        .withActions(new charter.server.act.ActSettings(charter.server.act.ActSettings.DEFAULTS.policy(),
                                charter.server.act.ActSettings.DEFAULTS.lease(), charter.server.act.ActSettings.DEFAULTS.poll(), false));
                demoToken = TokenStore.create(config.tokens(), "demo", EnumSet.of(TokenStore.Scope.ADMIN));
            } else {
                if (!Files.isRegularFile(mode.config)) throw new UserError("configuration not found: " + mode.config);
                config = ServerConfig.load(mode.config, System::getenv);
                if (port != null) config = config.withPort(port);
            }
            if (host != null) config = config.withHost(host);
            CharterServer server = CharterServer.start(config);
            owned.push(server);
            String base = "http://" + server.boundAddress();
            out.println("charter serve: listening on " + base + (config.host().equals("0.0.0.0") || config.host().startsWith("::") || config.host().equals("[::]")
                    ? " (every interface)" : "") + " (" + String.join(", ", config.tenants().keySet()) + "; store " + charter.engine.store.EventStores.redact(config.data()) + ")");
            if (demoToken != null) printDemo(out, base, demoToken, demoSecrets);
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                closeAll(owned);
                stop.countDown();
            }));
            stop.await();
            return 0;
        } catch (ServerConfig.ConfigException e) {
            closeAll(owned);
            throw new UserError(e.getMessage());
        } catch (Exception | Error e) {
            closeAll(owned);
            throw e;
        }
    }

    /** Closes the server first, then deletes what the demo made, newest first; one failure does not stop the rest. */
    private static void closeAll(java.util.Deque<AutoCloseable> owned) {
        for (AutoCloseable c; (c = owned.poll()) != null; ) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("charter serve: " + e.getMessage());
            }
        }
    }

    private static void printDemo(PrintWriter out, String base, String token, Map<String, String> secrets) {
        out.println();
        out.println("API token (tenant demo, admin; shown once): " + token);
        out.println("Webhook secrets: " + secrets);
        out.println();
        out.println("Send a failed production deploy of `api` as Vercel would (signed with HMAC-SHA1):");
        out.println();
        out.println("  SECRET=" + secrets.get("vercel"));
        out.println("  BODY='{\"id\":\"evt_demo_1\",\"type\":\"deployment.error\",\"createdAt\":'$(date +%s000)',"
                + "\"payload\":{\"name\":\"api\",\"target\":\"production\",\"url\":\"api-8f2k.vercel.app\",\"user\":{\"username\":\"dave-r\"},"
                + "\"deployment\":{\"id\":\"dpl_demo1\",\"errorMessage\":\"Build failed: missing script build\","
                + "\"meta\":{\"githubCommitSha\":\"4f1c9e2d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e\",\"githubCommitRef\":\"main\"}}}}'");
        out.println("  SIG=$(printf '%s' \"$BODY\" | openssl dgst -sha1 -hmac \"$SECRET\" | sed 's/^.* //')");
        out.println("  curl -s -X POST " + base + "/webhooks/vercel -H \"x-vercel-signature: $SIG\" --data-binary \"$BODY\"");
        out.println();
        out.println("Then read it back, see what the Program planned, and ask for a decision:");
        out.println();
        out.println("  curl -s -H 'Authorization: Bearer " + token + "' " + base + "/v1/events");
        out.println("  curl -s -H 'Authorization: Bearer " + token + "' " + base + "/v1/actions");
        out.println("  curl -s -H 'Authorization: Bearer " + token + "' " + base + "/v1/actions/<id>   # the exact request its connector would send");
        out.println("  curl -s -H 'Authorization: Bearer " + token + "' " + base + "/v1/intents -H 'Content-Type: application/json' -d '{\"intent\":\"rollback\",\"actor\":\"dave-r\",\"params\":{\"project\":\"api\"}}'");
        out.println();
        out.println("Ctrl-C stops the server.");
    }
}
