package charter.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens, stored hashed: a JSON-lines file of {@code {name, tenant, scopes, sha256, created,
 * expires?}}. The token itself is shown once, when it is created, and never written anywhere. A
 * token belongs to exactly one tenant.
 *
 * <p>A running server sees every change to the file within {@link #RECHECK}: a token created
 * works at once, a token revoked (its line removed, by {@code charter token revoke} or by hand)
 * stops working. A file that cannot be read as tokens refuses the server's start; a running
 * server that finds it malformed keeps the tokens it last read and logs why (an unreadable file
 * is the operator's to fix, and never a reason to answer a client with a 500).
 */
public final class TokenStore {
    /** How long a running server may go on with what it last read of the file. */
    static final long RECHECK_NANOS = 200_000_000L;
    public static final java.time.Duration RECHECK = java.time.Duration.ofNanos(RECHECK_NANOS);

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

    /**
     * Whom a token speaks for, until when (null: no expiry). Admin implies every scope. {@code name}
     * is the token's name (who holds it: the actor of what an agent does with it over MCP), or
     * {@code token:ID} for a token created without one.
     */
    public record Principal(String tenant, Set<Scope> scopes, Instant expires, String name) {
        public Principal(String tenant, Set<Scope> scopes, Instant expires) {
            this(tenant, scopes, expires, null);
        }

        public Principal(String tenant, Set<Scope> scopes) {
            this(tenant, scopes, null);
        }

        public boolean may(Scope s) {
            return scopes.contains(s) || scopes.contains(Scope.ADMIN);
        }

        public boolean expiredAt(Instant now) {
            return expires != null && !now.isBefore(expires);
        }
    }

    /**
     * One line of the file: what {@code charter token list} shows. {@code id} is the start of the
     * token's hash, enough to name it in {@code revoke}; {@code name} is null on lines written
     * before tokens had names.
     */
    public record Token(String id, String name, String tenant, Set<Scope> scopes, Instant created, Instant expires, String sha256) {}

    /** A tokens file that cannot be read, said with its line. */
    public static final class TokensFileException extends RuntimeException {
        TokensFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "chr_";
    static final int ID_LENGTH = 12;

    private final Path file;
    private volatile Map<String, Principal> byHash = Map.of();
    /** What the file was when last read (or last found malformed), to tell a change. */
    private volatile FileState seen;
    private volatile long nextCheck;

    /** Reads the file; a malformed one is a {@link ServerConfig.ConfigException} naming its line. */
    public TokenStore(Path file) {
        this.file = file;
        FileState state = FileState.of(file);
        try {
            byHash = principals(read(file));
        } catch (TokensFileException e) {
            throw new ServerConfig.ConfigException(e.getMessage());
        }
        seen = state;
        nextCheck = System.nanoTime() + RECHECK_NANOS;
    }

    /** The principal of a bearer token (expired or not: the caller tells), or empty when it is unknown. */
    public Optional<Principal> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) return Optional.empty();
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            nextCheck = now + RECHECK_NANOS;
            refreshIfChanged();
        }
        String h = hash(token);
        Principal p = byHash.get(h);
        if (p == null && refreshIfChanged()) p = byHash.get(h);   // a token created a moment ago
        return Optional.ofNullable(p);
    }

    /** Re-reads the file if it changed since it was last read; whether it did. */
    private synchronized boolean refreshIfChanged() {
        FileState now = FileState.of(file);
        if (now.equals(seen)) return false;
        seen = now;
        try {
            byHash = principals(read(file));
            LOG.info("re-read the tokens file {}: {} tokens", file, byHash.size());
        } catch (TokensFileException e) {
            LOG.error("the tokens file changed and cannot be read, so the server keeps the {} tokens it last read: {}", byHash.size(), e.getMessage());
            return false;
        }
        return true;
    }

    /** Every token line of the file, in file order (none when it does not exist). */
    public static List<Token> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new TokensFileException("cannot read the tokens file " + file + ": " + e.getMessage(), e);
        }
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) continue;
            try {
                out.add(parse(JSON.readTree(l)));
            } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
                throw new TokensFileException(file + ":" + (i + 1) + ": not a token line: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Token parse(JsonNode n) {
        if (!n.isObject()) throw new IllegalArgumentException("expected a JSON object");
        String sha = n.path("sha256").asText("");
        if (!sha.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("`sha256` must be 64 lower-case hex digits");
        String tenant = n.path("tenant").asText("");
        if (tenant.isEmpty()) throw new IllegalArgumentException("no `tenant`");
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode s : n.path("scopes")) scopes.add(Scope.parse(s.asText()));
        if (scopes.isEmpty()) throw new IllegalArgumentException("no `scopes`");
        Instant created = n.hasNonNull("created") ? Instant.parse(n.get("created").asText()) : null;
        Instant expires = n.hasNonNull("expires") ? Instant.parse(n.get("expires").asText()) : null;
        String name = n.hasNonNull("name") ? n.get("name").asText() : null;
        return new Token(sha.substring(0, ID_LENGTH), name, tenant, Set.copyOf(scopes), created, expires, sha);
    }

    private static Map<String, Principal> principals(List<Token> tokens) {
        Map<String, Principal> m = new HashMap<>();
        for (Token t : tokens) m.put(t.sha256(), new Principal(t.tenant(), t.scopes(), t.expires(), t.name() == null || t.name().isBlank() ? "token:" + t.id() : t.name()));
        return Map.copyOf(m);
    }

    /** Creates a token for {@code tenant}, appends its hash to the file, returns the token (shown once). */
    public static String create(Path file, String tenant, Set<Scope> scopes) {
        return create(file, tenant, scopes, null, null);
    }

    /**
     * As {@link #create(Path, String, Set)}, with a name (unique in the file; null: one is made from
     * the tenant and the token's id) and an expiry (null: none).
     */
    public static String create(Path file, String tenant, Set<Scope> scopes, String name, Instant expires) {
        if (scopes.isEmpty()) throw new IllegalArgumentException("a token needs at least one scope (read, intents, admin)");
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("a token name is letters, digits, `.`, `_` or `-` (at most 64), got `" + name + "`");
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String sha = hash(token);
        ObjectNode line = JSON.createObjectNode();
        line.put("name", name != null ? name : tenant + "-" + sha.substring(0, 8));
        line.put("tenant", tenant);
        var arr = line.putArray("scopes");
        for (Scope s : EnumSet.copyOf(scopes)) arr.add(s.label());
        line.put("sha256", sha);
        line.put("created", Instant.now().toString());
        if (expires != null) line.put("expires", expires.toString());
        locked(file, () -> {
            if (name != null && read(file).stream().anyMatch(t -> name.equals(t.name()))) {
                throw new IllegalArgumentException("a token named `" + name + "` already exists in " + file + " (charter token list)");
            }
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            return null;
        });
        return token;
    }

    /**
     * Removes the tokens {@code which} matches from the file, which is replaced whole (a running
     * server never reads half of it); returns them. A running server stops accepting them within
     * {@link #RECHECK}.
     */
    public static List<Token> revoke(Path file, Predicate<Token> which) {
        return locked(file, () -> {
            List<Token> all = read(file);
            List<Token> gone = all.stream().filter(which).toList();
            if (gone.isEmpty()) return gone;
            List<String> keep = new ArrayList<>();
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (l.isBlank()) continue;
                Token t = parse(JSON.readTree(l));
                if (!which.test(t)) keep.add(l.strip());
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, keep.isEmpty() ? "" : String.join("\n", keep) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return gone;
        });
    }

    private interface FileWork<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} holding a lock beside the file, so that a create and a revoke never lose each other's line. */
    private static <T> T locked(Path file, FileWork<T> work) {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock l = ch.lock()) {
                return work.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokens file " + file + ": " + e.getMessage(), e);
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What tells a change of the file: its identity (a file replaced by a rename is another one),
     * size and modification time (a line removed in place changes the size).
     */
    private record FileState(Object key, long size, Instant modified) {
        static final FileState ABSENT = new FileState(null, -1, null);

        static FileState of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileState(a.fileKey(), a.size(), a.lastModifiedTime().toInstant());
            } catch (IOException e) {
                return ABSENT;
            }
        }
    }
}
