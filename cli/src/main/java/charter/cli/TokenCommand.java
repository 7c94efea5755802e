package charter.cli;

import charter.server.ServerConfig;
import charter.server.TokenStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "token", description = "API tokens of `charter serve`.", subcommands = TokenCommand.Create.class)
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USER_ERROR;
    }

    @Command(name = "create", description = {"Create an API token for one tenant and print it (once; only its SHA-256 is stored,",
            "in the configuration's tokens file). A running server sees it at once."})
    static final class Create implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The server configuration (YAML).")
        Path config;

        @Option(names = "--tenant", required = true, paramLabel = "T", description = "The tenant the token speaks for.")
        String tenant;

        @Option(names = "--scopes", required = true, split = ",", paramLabel = "SCOPE",
                description = "Comma-separated: read, intents, admin (admin implies the others).")
        List<String> scopes;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(config)) throw new UserError("configuration not found: " + config);
            ServerConfig c;
            try {
                // Secrets are not needed to mint a token: resolve every env reference to a placeholder.
                c = ServerConfig.load(config, name -> "unused");
            } catch (ServerConfig.ConfigException e) {
                throw new UserError(e.getMessage());
            }
            if (!c.tenants().containsKey(tenant)) {
                throw new UserError("no tenant `" + tenant + "` in " + config + " (tenants: " + String.join(", ", c.tenants().keySet()) + ")");
            }
            EnumSet<TokenStore.Scope> set = EnumSet.noneOf(TokenStore.Scope.class);
            try {
                for (String s : scopes) set.add(TokenStore.Scope.parse(s));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            String token = TokenStore.create(c.tokens(), tenant, set);
            spec.commandLine().getOut().println(token);
            spec.commandLine().getErr().println("token for tenant " + tenant + " (" + String.join(",", scopes) + ") stored hashed in " + c.tokens() + "; it is not shown again");
            return 0;
        }
    }
}
