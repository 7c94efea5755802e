package charter.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * API tokens, stored hashed: a JSON-lines file of {@code {tenant, scopes, sha256, created}}. The
 * token itself is shown once, when it is created, and never written anywhere. A token belongs to
 * exactly one tenant. The file is re-read when it changes, so {@code charter token create} takes
 * effect on a running server.
 */
public final class TokenStore {
    public enum Scope {
        READ, INTENTS, ADMIN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Scope parse(String s) {
            for (Scope sc : values()) if (sc.label().equals(s.trim())) return sc;
            throw new IllegalArgumentException("unknown scope `" + s.trim() + "` (known: read, intents, admin)");
        }
    }

    /** Whom a token speaks for. Admin implies every scope. */
    public record Principal(String tenant, Set<Scope> scopes) {
        public boolean may(Scope s) {
            return scopes.contains(s) || scopes.contains(Scope.ADMIN);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "chr_";

    private final Path file;
    private volatile Map<String, Principal> byHash = Map.of();
    private volatile FileTime loadedAt;

    public TokenStore(Path file) {
        this.file = file;
        reload();
    }

    /** Creates a token for {@code tenant}, appends its hash to the file, returns the token (shown once). */
    public static String create(Path file, String tenant, Set<Scope> scopes) {
        if (scopes.isEmpty()) throw new IllegalArgumentException("a token needs at least one scope (read, intents, admin)");
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ObjectNode line = JSON.createObjectNode();
        line.put("tenant", tenant);
        var arr = line.putArray("scopes");
        for (Scope s : EnumSet.copyOf(scopes)) arr.add(s.label());
        line.put("sha256", hash(token));
        line.put("created", Instant.now().toString());
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokens file " + file + ": " + e.getMessage(), e);
        }
        return token;
    }

    /** The principal of a bearer token, or empty when it is unknown. */
    public Optional<Principal> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) return Optional.empty();
        String h = hash(token);
        Principal p = byHash.get(h);
        if (p == null && changed()) {
            reload();
            p = byHash.get(h);
        }
        return Optional.ofNullable(p);
    }

    private boolean changed() {
        try {
            FileTime t = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            return t != null && !t.equals(loadedAt);
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized void reload() {
        Map<String, Principal> next = new HashMap<>();
        if (Files.exists(file)) {
            try {
                loadedAt = Files.getLastModifiedTime(file);
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i).strip();
                    if (l.isEmpty()) continue;
                    try {
                        JsonNode n = JSON.readTree(l);
                        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
                        for (JsonNode s : n.path("scopes")) scopes.add(Scope.parse(s.asText()));
                        next.put(n.path("sha256").asText(), new Principal(n.path("tenant").asText(), Set.copyOf(scopes)));
                    } catch (IOException | IllegalArgumentException e) {
                        throw new ServerConfig.ConfigException(file + ":" + (i + 1) + ": not a token line: " + e.getMessage());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the tokens file " + file + ": " + e.getMessage(), e);
            }
        }
        byHash = Map.copyOf(next);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
