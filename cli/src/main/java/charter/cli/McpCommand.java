package charter.cli;

import charter.server.CharterServer;
import charter.server.ServerConfig;
import charter.server.TokenStore;
import charter.server.mcp.ApiFailure;
import charter.server.mcp.Caller;
import charter.server.mcp.McpStdio;
import charter.server.mcp.RestGateway;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mcp", description = {
        "An MCP server on stdin/stdout for an agent: every intent of the live Program is a tool, beside",
        "get_entity, trace, override, simulate and diff, and resources for the Program's files, the catalog and entities.",
        "  charter mcp --program DIR [--data DIR] --actor NAME   a local Program and data directory",
        "  charter mcp --server URL --actor NAME                 in front of a running server (token in $CHARTER_TOKEN)",
        "Nothing but JSON-RPC is written to stdout; logs go to stderr. See docs/agents/mcp.md."})
final class McpCommand implements Callable<Integer> {
    static final String ACTOR_VARIABLE = "CHARTER_ACTOR";

    @Option(names = "--program", paramLabel = "DIR", description = "A local Program folder (with --data); the command runs it as `charter serve` would, on loopback.")
    Path program;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = StoreOptions.DEFAULT_DATA,
            description = "With --program: the data directory (SQLite) or jdbc:postgresql:// URL (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--server", paramLabel = "URL", description = "A running server; its token in $" + IntentCommand.TOKEN_VARIABLE + ".")
    URI server;

    @Option(names = "--actor", paramLabel = "WHO", description = "Who the agent acts for: the actor of its intents and overrides (default: $" + ACTOR_VARIABLE + ").")
    String actor;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How often the live Program's intents are re-read, to tell the client of a change (default: ${DEFAULT-VALUE}).")
    Duration poll;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "warn", description = "Log level on stderr (default: ${DEFAULT-VALUE}).")
    LogSetup.LevelName logLevel;

    /** The process environment (token, actor); set by {@link Main#run}. */
    Map<String, String> env = Map.of();

    @Override
    public Integer call() throws Exception {
        if ((program == null) == (server == null)) throw new UserError("give either --program DIR (a local Program) or --server URL (a running server)");
        String who = actor != null ? actor : env.get(ACTOR_VARIABLE);
        if (who == null || who.isBlank()) throw new UserError("--actor NAME (or $" + ACTOR_VARIABLE + "): who the agent acts for, the actor of its intents");
        LogSetup.configure(LogSetup.Format.TEXT, logLevel);
        // stdout carries JSON-RPC alone: anything a library prints goes to stderr instead.
        OutputStream rpcOut = new FileOutputStream(FileDescriptor.out);
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        try {
            if (server != null) return remote(who, rpcOut);
            return local(who, rpcOut);
        } finally {
            System.setOut(stdout);
        }
    }

    private int remote(String who, OutputStream rpcOut) throws InterruptedException {
        String token = env.getOrDefault(IntentCommand.TOKEN_VARIABLE, "");
        if (token.isBlank()) throw new UserError("--server needs a token: set " + IntentCommand.TOKEN_VARIABLE + " to an API token (scopes read and intents)");
        String base = server.toString().replaceAll("/+$", "");
        return serve(new RestGateway(() -> base), new Caller(token, who), rpcOut);
    }

    /** The local Program runs in a server of its own on a free loopback port, with a token made for this run alone. */
    private int local(String who, OutputStream rpcOut) throws Exception {
        if (!Files.isDirectory(program)) throw new UserError("not a Program folder: " + program);
        try (TemporaryFolder tmp = TemporaryFolder.create("charter-mcp-")) {
            Path tokens = tmp.path().resolve("tokens.jsonl");
            String tenant = StoreOptions.DEFAULT_TENANT;
            ServerConfig config = new ServerConfig(0, data, tokens, ServerConfig.DEFAULT_MAX_BODY,
                    Map.of(tenant, new ServerConfig.TenantConfig(tenant, program.toAbsolutePath(), null, null, null, Map.of())));
            String token = TokenStore.create(tokens, tenant, EnumSet.of(TokenStore.Scope.ADMIN), who, null);
            try (CharterServer s = CharterServer.start(config)) {
                return serve(new RestGateway(() -> "http://" + s.boundAddress()), new Caller(token, who), rpcOut);
            } catch (ServerConfig.ConfigException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    private int serve(RestGateway api, Caller caller, OutputStream rpcOut) throws InterruptedException {
        try {
            McpStdio.serve(api, caller, poll, System.in, rpcOut);
            return Main.OK;
        } catch (ApiFailure f) {
            throw new UserError("the Charter server refused to list the Program's intents: " + f.code() + ": " + f.getMessage());
        }
    }
}
