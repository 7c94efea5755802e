package charter.server;

import charter.engine.ingest.Normalisers;
import charter.server.act.ActSettings;
import charter.server.act.AttemptPolicy;
import charter.server.act.ToolSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The server's configuration: one YAML file with the port, the store (a data directory or a
 * PostgreSQL URL), the tokens file, limits, and the tenants, each with its Program (a folder, or
 * a Git repository and branch) and its webhook secrets given by environment reference
 * ({@code env:NAME}). A source without a secret is not served for that tenant (404): the server
 * never accepts an unverified webhook.
 *
 * @param host    the address to listen on ({@code host}, default {@value #DEFAULT_HOST}: loopback only;
 *                {@code 0.0.0.0} for every interface)
 * @param tokens  the file of hashed API tokens (JSON lines); relative paths are resolved against
 *                the configuration file's folder
 * @param http    how long and how many connections a client may hold ({@code limits:})
 * @param metrics who may read {@code GET /metrics} ({@code metrics: public|token|off}, default token)
 */
public record ServerConfig(int port, String host, String data, Path tokens, long maxBodyBytes, HttpLimits http,
                           Map<String, TenantConfig> tenants, MetricsAccess metrics, ActSettings actions) {

    public static final long DEFAULT_MAX_BODY = 1024 * 1024;
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_HOST = "127.0.0.1";

    public ServerConfig {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(tokens, "tokens");
        if (host == null || host.isBlank()) host = DEFAULT_HOST;
        if (http == null) http = HttpLimits.DEFAULTS;
        tenants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
        if (tenants.isEmpty()) throw new ConfigException("no tenants configured (a `tenants:` map with at least one tenant)");
        if (metrics == null) metrics = MetricsAccess.TOKEN;
        if (actions == null) actions = ActSettings.DEFAULTS;
    }

    public ServerConfig(int port, String host, String data, Path tokens, long maxBodyBytes, HttpLimits http,
                        Map<String, TenantConfig> tenants, MetricsAccess metrics) {
        this(port, host, data, tokens, maxBodyBytes, http, tenants, metrics, ActSettings.DEFAULTS);
    }

    /** On loopback, with the default HTTP limits. */
    public ServerConfig(int port, String data, Path tokens, long maxBodyBytes, Map<String, TenantConfig> tenants,
                        MetricsAccess metrics) {
        this(port, DEFAULT_HOST, data, tokens, maxBodyBytes, HttpLimits.DEFAULTS, tenants, metrics);
    }

    /** On loopback, with the default HTTP limits, {@code /metrics} for tokens only. */
    public ServerConfig(int port, String data, Path tokens, long maxBodyBytes, Map<String, TenantConfig> tenants) {
        this(port, data, tokens, maxBodyBytes, tenants, MetricsAccess.TOKEN);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(p, host, data, tokens, maxBodyBytes, http, tenants, metrics, actions);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(port, h, data, tokens, maxBodyBytes, http, tenants, metrics, actions);
    }

    public ServerConfig withHttp(HttpLimits h) {
        return new ServerConfig(port, host, data, tokens, maxBodyBytes, h, tenants, metrics, actions);
    }

    public ServerConfig withActions(ActSettings a) {
        return new ServerConfig(port, host, data, tokens, maxBodyBytes, http, tenants, metrics, a);
    }

    public ServerConfig withMetrics(MetricsAccess m) {
        return new ServerConfig(port, host, data, tokens, maxBodyBytes, http, tenants, m, actions);
    }

    /**
     * What keeps slow or greedy clients from holding the server's threads (each request being
     * read holds one): a connection silent for {@code idleTimeout} is closed; a body must arrive
     * whole within {@code bodyTimeout} (408 otherwise: a byte every few seconds does not keep
     * it going); one client address holds at most {@code connectionsPerClient} connections at
     * once (more are closed as they open), well under the server's threads.
     */
    public record HttpLimits(Duration idleTimeout, Duration bodyTimeout, int connectionsPerClient) {
        public static final HttpLimits DEFAULTS = new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), 32);

        public HttpLimits {
            if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new ConfigException("`limits.idle_timeout_seconds` must be at least 1");
            if (bodyTimeout.isNegative() || bodyTimeout.isZero()) throw new ConfigException("`limits.body_timeout_seconds` must be at least 1");
            if (connectionsPerClient < 1) throw new ConfigException("`limits.connections_per_client` must be at least 1");
        }
    }

    /**
     * @param program a Program folder, or null when the Program comes from {@code repo}
     * @param repo    a Git repository (path or URL), or null
     * @param branch  the branch the watcher follows (default main)
     * @param path    the Program folder inside the repository, or null to find it
     * @param secrets per source, the secret bytes (resolved from the environment at load)
     * @param githubRepository the Program repository's GitHub name (owner/name), or null: a push
     *                         webhook from it refreshes the Program at once instead of at the next poll
     * @param pollInterval     how often the watcher polls the branch
     * @param connectors       per tool (or vendor), how this tenant's actions reach it: base URL,
     *                         credentials by environment reference, limits
     */
    public record TenantConfig(String name, Path program, String repo, String branch, String path,
                               Map<String, byte[]> secrets, String githubRepository, Duration pollInterval,
                               Map<String, ToolSettings> connectors) {
        public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

        public TenantConfig {
            secrets = Map.copyOf(secrets);
            if (pollInterval == null) pollInterval = DEFAULT_POLL;
            connectors = connectors == null ? Map.of() : Map.copyOf(connectors);
        }

        public TenantConfig(String name, Path program, String repo, String branch, String path,
                            Map<String, byte[]> secrets, String githubRepository, Duration pollInterval) {
            this(name, program, repo, branch, path, secrets, githubRepository, pollInterval, Map.of());
        }

        public TenantConfig withConnectors(Map<String, ToolSettings> c) {
            return new TenantConfig(name, program, repo, branch, path, secrets, githubRepository, pollInterval, c);
        }

        public TenantConfig(String name, Path program, String repo, String branch, String path, Map<String, byte[]> secrets) {
            this(name, program, repo, branch, path, secrets, null, DEFAULT_POLL);
        }
    }

    /** A configuration that cannot be used, said in one line. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    private static final Set<String> TOP_KEYS = Set.of("port", "host", "data", "tokens", "limits", "tenants", "metrics", "actions");
    private static final Set<String> LIMIT_KEYS = Set.of("max_body_bytes", "idle_timeout_seconds", "body_timeout_seconds", "connections_per_client");
    private static final Set<String> TENANT_KEYS = Set.of("program", "repo", "branch", "path", "secrets", "github_repository", "poll_seconds", "connectors");
    private static final Set<String> ACTION_KEYS = Set.of("max_attempts", "lease_seconds", "backoff_base_millis", "backoff_cap_seconds",
            "poll_millis", "enabled");
    private static final List<String> SECRET_WORDS = List.of("token", "secret", "password", "key");

    /** Reads a configuration file; {@code env} resolves {@code env:NAME} references (System::getenv). */
    public static ServerConfig load(Path file, Function<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration " + file + ": " + e.getMessage());
        }
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(root instanceof Map<?, ?> top)) throw new ConfigException(file + ": expected a mapping at the top");
        Path base = file.toAbsolutePath().getParent();
        for (Object k : top.keySet()) {
            if (!TOP_KEYS.contains(String.valueOf(k))) throw new ConfigException(file + ": unknown key `" + k + "` (known: " + String.join(", ", List.copyOf(new java.util.TreeSet<>(TOP_KEYS))) + ")");
        }
        int port = top.get("port") == null ? DEFAULT_PORT : integer(file, "port", top.get("port"));
        String data = top.get("data") == null ? base.resolve(".charter-data").toString() : String.valueOf(top.get("data"));
        if (data.startsWith("env:")) {   // a database URL with a password, kept out of the file as the secrets are
            String var = data.substring(4);
            String value = env.apply(var);
            if (value == null || value.isBlank()) throw new ConfigException(file + ": `data` names the environment variable " + var + ", which is not set");
            data = value.strip();
        }
        if (!data.startsWith("jdbc:")) data = base.resolve(data).toString();
        Path tokens = base.resolve(top.get("tokens") == null ? "charter-tokens.jsonl" : String.valueOf(top.get("tokens")));
        long maxBody = DEFAULT_MAX_BODY;
        HttpLimits http = HttpLimits.DEFAULTS;
        if (top.get("limits") instanceof Map<?, ?> limits) {
            for (var e : limits.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!LIMIT_KEYS.contains(key)) throw new ConfigException(file + ": unknown key `limits." + key + "` (known: " + String.join(", ", new java.util.TreeSet<>(LIMIT_KEYS)) + ")");
                int v = integer(file, "limits." + key, e.getValue());
                try {
                    switch (key) {
                        case "max_body_bytes" -> maxBody = v;
                        case "idle_timeout_seconds" -> http = new HttpLimits(Duration.ofSeconds(v), http.bodyTimeout(), http.connectionsPerClient());
                        case "body_timeout_seconds" -> http = new HttpLimits(http.idleTimeout(), Duration.ofSeconds(v), http.connectionsPerClient());
                        default -> http = new HttpLimits(http.idleTimeout(), http.bodyTimeout(), v);
                    }
                } catch (ConfigException ce) {
                    throw new ConfigException(file + ": " + ce.getMessage());
                }
            }
        } else if (top.get("limits") != null) {
            throw new ConfigException(file + ": `limits` must be a mapping");
        }
        if (!(top.get("tenants") instanceof Map<?, ?> tenantMap)) throw new ConfigException(file + ": `tenants` must be a mapping of tenant name to its settings");
        Map<String, TenantConfig> tenants = new LinkedHashMap<>();
        for (var e : tenantMap.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) throw new ConfigException(file + ": tenant name `" + name + "` must be lower-case letters, digits, `-` or `_`");
            if (!(e.getValue() instanceof Map<?, ?> t)) throw new ConfigException(file + ": tenant `" + name + "` must be a mapping");
            for (Object k : t.keySet()) {
                if (!TENANT_KEYS.contains(String.valueOf(k))) throw new ConfigException(file + ": unknown key `tenants." + name + "." + k + "` (known: " + String.join(", ", new java.util.TreeSet<>(TENANT_KEYS)) + ")");
            }
            Path program = t.get("program") == null ? null : base.resolve(String.valueOf(t.get("program")));
            String repo = t.get("repo") == null ? null : String.valueOf(t.get("repo"));
            if ((program == null) == (repo == null)) throw new ConfigException(file + ": tenant `" + name + "` needs exactly one of `program` (a folder) or `repo` (a Git repository)");
            if (repo != null && !repo.contains("://") && !repo.startsWith("git@")) repo = base.resolve(repo).toString();
            String branch = t.get("branch") == null ? "main" : String.valueOf(t.get("branch"));
            String path = t.get("path") == null ? null : String.valueOf(t.get("path"));
            Map<String, byte[]> secrets = new LinkedHashMap<>();
            if (t.get("secrets") instanceof Map<?, ?> s) {
                for (var se : s.entrySet()) {
                    String source = String.valueOf(se.getKey());
                    if (!Normalisers.SOURCES.contains(source)) throw new ConfigException(file + ": tenant `" + name + "`: unknown source `" + source + "` (known: " + String.join(", ", Normalisers.SOURCES) + ")");
                    String ref = String.valueOf(se.getValue());
                    if (!ref.startsWith("env:")) throw new ConfigException(file + ": tenant `" + name + "`: the " + source + " secret must be an environment reference `env:NAME`, never the secret itself");
                    String var = ref.substring(4);
                    String value = env.apply(var);
                    if (value == null || value.isEmpty()) throw new ConfigException("tenant `" + name + "`: the " + source + " secret's environment variable " + var + " is not set");
                    secrets.put(source, value.getBytes(StandardCharsets.UTF_8));
                }
            } else if (t.get("secrets") != null) {
                throw new ConfigException(file + ": tenant `" + name + "`: `secrets` must be a mapping of source to env:NAME");
            }
            String githubRepository = t.get("github_repository") == null ? null : String.valueOf(t.get("github_repository"));
            if (githubRepository != null && !githubRepository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                throw new ConfigException(file + ": tenant `" + name + "`: `github_repository` must be owner/name, got `" + githubRepository + "`");
            }
            if (githubRepository != null && repo == null) {
                throw new ConfigException(file + ": tenant `" + name + "`: `github_repository` only applies to a Program followed in Git (`repo`)");
            }
            Duration poll = t.get("poll_seconds") == null ? TenantConfig.DEFAULT_POLL
                    : Duration.ofSeconds(Math.max(1, integer(file, "tenants." + name + ".poll_seconds", t.get("poll_seconds"))));
            Map<String, ToolSettings> connectors = connectors(file, name, t.get("connectors"), env);
            tenants.put(name, new TenantConfig(name, program, repo, branch, path, secrets, githubRepository, poll, connectors));
        }
        MetricsAccess metrics = top.get("metrics") == null ? MetricsAccess.TOKEN : MetricsAccess.parse(top.get("metrics"));
        String host = top.get("host") == null ? DEFAULT_HOST : String.valueOf(top.get("host")).strip();
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) throw new ConfigException(file + ": `host` must be an address or host name such as 127.0.0.1 or 0.0.0.0, got `" + host + "`");
        return new ServerConfig(port, host, data, tokens, maxBody, http, tenants, metrics, actions(file, top.get("actions")));
    }

    /** {@code actions:}: attempts, backoff, lease and poll of the dispatcher. */
    private static ActSettings actions(Path file, Object raw) {
        if (raw == null) return ActSettings.DEFAULTS;
        if (!(raw instanceof Map<?, ?> m)) throw new ConfigException(file + ": `actions` must be a mapping");
        ActSettings d = ActSettings.DEFAULTS;
        int maxAttempts = d.policy().maxAttempts();
        Duration base = d.policy().base();
        Duration cap = d.policy().cap();
        Duration lease = d.lease();
        Duration poll = d.poll();
        boolean enabled = d.enabled();
        for (var e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!ACTION_KEYS.contains(key)) throw new ConfigException(file + ": unknown key `actions." + key + "` (known: " + String.join(", ", new java.util.TreeSet<>(ACTION_KEYS)) + ")");
            if (key.equals("enabled")) {
                if (!(e.getValue() instanceof Boolean b)) throw new ConfigException(file + ": `actions.enabled` must be true or false");
                enabled = b;
                continue;
            }
            int v = integer(file, "actions." + key, e.getValue());
            switch (key) {
                case "max_attempts" -> maxAttempts = v;
                case "lease_seconds" -> lease = Duration.ofSeconds(v);
                case "backoff_base_millis" -> base = Duration.ofMillis(v);
                case "backoff_cap_seconds" -> cap = Duration.ofSeconds(v);
                default -> poll = Duration.ofMillis(v);
            }
        }
        try {
            return new ActSettings(new AttemptPolicy(maxAttempts, base, cap), lease, poll, enabled);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": `actions`: " + e.getMessage());
        }
    }

    /**
     * A tenant's {@code connectors:}: per tool ({@code pagerduty.page}) or vendor ({@code pagerduty}),
     * {@code base_url}, {@code concurrency}, {@code rate_per_second}, and named settings; a value
     * {@code env:NAME} is a credential read from the environment, and a setting whose name says it is a
     * secret must be one.
     */
    private static Map<String, ToolSettings> connectors(Path file, String tenant, Object raw, Function<String, String> env) {
        if (raw == null) return Map.of();
        String where = file + ": tenant `" + tenant + "`: ";
        if (!(raw instanceof Map<?, ?> m)) throw new ConfigException(where + "`connectors` must be a mapping of tool (or vendor) to its settings");
        Map<String, ToolSettings> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            String tool = String.valueOf(e.getKey());
            if (!tool.matches("[a-z]+(\\.[a-z_]+)?")) throw new ConfigException(where + "connector `" + tool + "` must name a tool (pagerduty.page) or a vendor (pagerduty)");
            if (!(e.getValue() instanceof Map<?, ?> s)) throw new ConfigException(where + "connector `" + tool + "` must be a mapping of settings");
            java.net.URI base = null;
            int concurrency = ToolSettings.DEFAULT_CONCURRENCY;
            double perSecond = ToolSettings.DEFAULT_PER_SECOND;
            Map<String, String> credentials = new LinkedHashMap<>();
            Map<String, String> settings = new LinkedHashMap<>();
            for (var se : s.entrySet()) {
                String key = String.valueOf(se.getKey());
                String value = String.valueOf(se.getValue());
                switch (key) {
                    case "base_url" -> {
                        try {
                            base = java.net.URI.create(value);
                            if (base.getScheme() == null || base.getHost() == null) throw new IllegalArgumentException("no scheme or host");
                        } catch (IllegalArgumentException ex) {
                            throw new ConfigException(where + "`connectors." + tool + ".base_url` must be a URL such as http://127.0.0.1:9000, got `" + value + "`");
                        }
                    }
                    case "concurrency" -> concurrency = Math.max(1, integer(file, "tenants." + tenant + ".connectors." + tool + ".concurrency", se.getValue()));
                    case "rate_per_second" -> {
                        if (!(se.getValue() instanceof Number n) || n.doubleValue() <= 0) {
                            throw new ConfigException(where + "`connectors." + tool + ".rate_per_second` must be a positive number, got " + value);
                        }
                        perSecond = n.doubleValue();
                    }
                    default -> {
                        if (value.startsWith("env:")) {
                            String var = value.substring(4);
                            String secret = env.apply(var);
                            if (secret == null || secret.isEmpty()) throw new ConfigException("tenant `" + tenant + "`: the " + tool + " " + key + "'s environment variable " + var + " is not set");
                            credentials.put(key, secret);
                        } else if (SECRET_WORDS.stream().anyMatch(w -> key.toLowerCase(java.util.Locale.ROOT).contains(w))) {
                            throw new ConfigException(where + "`connectors." + tool + "." + key + "` looks like a secret: give an environment reference `env:NAME`, never the value");
                        } else {
                            settings.put(key, value);
                        }
                    }
                }
            }
            // SMTP has no vendor endpoint to fall back on: an email entry that names no mail server is a mistake to say at start.
            if ((tool.equals("email") || tool.equals("email.send")) && (base == null || !List.of("smtp", "smtps").contains(base.getScheme()))) {
                throw new ConfigException(where + "`connectors." + tool + ".base_url` must name the SMTP server, smtp://host:port or smtps://host:port"
                        + (base == null ? "" : ", got `" + base + "`"));
            }
            out.put(tool, new ToolSettings(base, credentials, settings, concurrency, perSecond));
        }
        return out;
    }

    private static int integer(Path file, String key, Object v) {
        if (v instanceof Integer i && i >= 0) return i;
        throw new ConfigException(file + ": `" + key + "` must be a non-negative integer, got " + v);
    }
}
