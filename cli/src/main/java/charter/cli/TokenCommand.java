package charter.cli;

import charter.server.ServerConfig;
import charter.server.TokenStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "token", description = "API tokens of `charter serve`: create, list, revoke. A running server sees each change within a second.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USER_ERROR;
    }

    /** The configuration, read for its tokens file and tenants only (secrets are not needed). */
    static ServerConfig config(Path config) {
        if (!Files.isRegularFile(config)) throw new UserError("configuration not found: " + config);
        try {
            return ServerConfig.load(config, name -> "unused");
        } catch (ServerConfig.ConfigException e) {
            throw new UserError(e.getMessage());
        }
    }

    static List<TokenStore.Token> read(Path file) {
        try {
            return TokenStore.read(file);
        } catch (TokenStore.TokensFileException e) {
            throw new UserError(e.getMessage());
        }
    }

    @Command(name = "create", description = {"Create an API token for one tenant and print it (once; only its SHA-256 is stored,",
            "in the configuration's tokens file). A running server accepts it at once."})
    static final class Create implements Callable<Integer> {
        private static final Pattern IN = Pattern.compile("(\\d{1,6})([hd])");

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The server configuration (YAML).")
        Path config;

        @Option(names = "--tenant", required = true, paramLabel = "T", description = "The tenant the token speaks for.")
        String tenant;

        @Option(names = "--scopes", required = true, split = ",", paramLabel = "SCOPE",
                description = "Comma-separated: read, intents, admin (admin implies the others).")
        List<String> scopes;

        @Option(names = "--name", paramLabel = "NAME", description = "A name for the token, unique in the file (default: the tenant and the token's id).")
        String name;

        @Option(names = "--expires", paramLabel = "WHEN", description = "When it stops working: a time from now (12h, 30d) or an ISO-8601 instant. Default: never.")
        String expires;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ServerConfig c = config(config);
            if (!c.tenants().containsKey(tenant)) {
                throw new UserError("no tenant `" + tenant + "` in " + config + " (tenants: " + String.join(", ", c.tenants().keySet()) + ")");
            }
            EnumSet<TokenStore.Scope> set = EnumSet.noneOf(TokenStore.Scope.class);
            String token;
            try {
                for (String s : scopes) set.add(TokenStore.Scope.parse(s));
                token = TokenStore.create(c.tokens(), tenant, set, name, expiry(expires, Instant.now()));
            } catch (IllegalArgumentException | TokenStore.TokensFileException e) {
                throw new UserError(e.getMessage());
            }
            spec.commandLine().getOut().println(token);
            spec.commandLine().getErr().println("token for tenant " + tenant + " (" + String.join(",", scopes) + ")"
                    + (expires != null ? ", expiring " + expiry(expires, Instant.now()) : "")
                    + " stored hashed in " + c.tokens() + "; it is not shown again");
            return 0;
        }

        static Instant expiry(String value, Instant now) {
            if (value == null) return null;
            Matcher m = IN.matcher(value.strip());
            Instant at;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                at = now.plus(m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n));
            } else {
                try {
                    at = Instant.parse(value.strip());
                } catch (DateTimeParseException e) {
                    throw new UserError("--expires: `" + value + "` is neither a time from now (12h, 30d) nor an ISO-8601 instant");
                }
            }
            if (!at.isAfter(now)) throw new UserError("--expires: " + at + " is not in the future");
            return at;
        }
    }

    @Command(name = "list", description = "List the tokens of the configuration's tokens file: id, name, tenant, scopes, created, expires (never the tokens).")
    static final class ListTokens implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The server configuration (YAML).")
        Path config;

        @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's tokens.")
        String tenant;

        @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.", defaultValue = "text")
        String format;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("text") && !format.equals("json")) throw new UserError("--format must be text or json, got `" + format + "`");
            ServerConfig c = config(config);
            List<TokenStore.Token> tokens = read(c.tokens()).stream().filter(t -> tenant == null || tenant.equals(t.tenant())).toList();
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            if (format.equals("json")) {
                ObjectMapper json = new ObjectMapper();
                ArrayNode list = json.createArrayNode();
                for (TokenStore.Token t : tokens) {
                    ObjectNode n = list.addObject();
                    n.put("id", t.id());
                    n.put("name", t.name());
                    n.put("tenant", t.tenant());
                    ArrayNode s = n.putArray("scopes");
                    t.scopes().stream().sorted().forEach(sc -> s.add(sc.label()));
                    n.put("created", t.created() == null ? null : t.created().toString());
                    n.put("expires", t.expires() == null ? null : t.expires().toString());
                    n.put("expired", t.expires() != null && !now.isBefore(t.expires()));
                }
                out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(list));
            } else if (tokens.isEmpty()) {
                out.println("no tokens in " + c.tokens() + (tenant != null ? " for tenant " + tenant : ""));
            } else {
                out.printf("%-12s  %-24s  %-12s  %-20s  %-20s  %s%n", "ID", "NAME", "TENANT", "SCOPES", "CREATED", "EXPIRES");
                for (TokenStore.Token t : tokens) {
                    String scopes = String.join(",", t.scopes().stream().sorted().map(TokenStore.Scope::label).toList());
                    String exp = t.expires() == null ? "never" : t.expires() + (now.isBefore(t.expires()) ? "" : " (expired)");
                    out.printf("%-12s  %-24s  %-12s  %-20s  %-20s  %s%n", t.id(), t.name() == null ? "-" : t.name(), t.tenant(), scopes,
                            t.created() == null ? "-" : t.created().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), exp);
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", description = {"Revoke a token by its name or id (as `charter token list` shows them): its line leaves",
            "the tokens file, and a running server refuses it within a second."})
    static final class Revoke implements Callable<Integer> {
        static final class Which {
            @Option(names = "--name", paramLabel = "NAME", description = "The token's name.")
            String name;

            @Option(names = "--id", paramLabel = "ID", description = "The token's id (the start of its hash; at least 8 characters).")
            String id;
        }

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The server configuration (YAML).")
        Path config;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ServerConfig c = config(config);
            if (which.id != null && !which.id.matches("[0-9a-f]{8,64}")) throw new UserError("--id: give at least 8 hex digits of the id, got `" + which.id + "`");
            List<TokenStore.Token> matching = read(c.tokens()).stream()
                    .filter(t -> which.name != null ? which.name.equals(t.name()) : t.sha256().startsWith(which.id)).toList();
            if (matching.isEmpty()) {
                throw new UserError("no token " + (which.name != null ? "named `" + which.name + "`" : "with id `" + which.id + "`")
                        + " in " + c.tokens() + " (charter token list --config " + config + ")");
            }
            if (matching.size() > 1) throw new UserError("the id `" + which.id + "` names " + matching.size() + " tokens; give more of it");
            String sha = matching.getFirst().sha256();
            List<TokenStore.Token> gone;
            try {
                gone = TokenStore.revoke(c.tokens(), t -> t.sha256().equals(sha));
            } catch (TokenStore.TokensFileException e) {
                throw new UserError(e.getMessage());
            }
            for (TokenStore.Token t : gone) {
                spec.commandLine().getOut().println("revoked " + t.id() + (t.name() != null ? " (" + t.name() + ")" : "") + " of tenant " + t.tenant());
            }
            return 0;
        }
    }
}
