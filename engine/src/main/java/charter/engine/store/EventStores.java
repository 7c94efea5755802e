package charter.engine.store;

import java.nio.file.Path;
import java.time.Duration;

/** Opens the store a {@code --data} value names: a data directory (SQLite) or a PostgreSQL JDBC URL. */
public final class EventStores {
    private EventStores() {}

    /** A data directory as is, or a database URL without its password: what may be printed or logged. */
    public static String redact(String urlOrDirectory) {
        return urlOrDirectory == null ? null : JdbcEventStore.redact(urlOrDirectory);
    }

    /**
     * @param urlOrDirectory a {@code jdbc:postgresql://host:port/db?user=…} URL, or a directory
     *                       holding (or to hold) {@code charter.db}
     */
    public static EventStore open(String urlOrDirectory) {
        return open(urlOrDirectory, JdbcEventStore.DEFAULT_BUSY_TIMEOUT);
    }

    /** As {@link #open(String)}; {@code busyTimeout} bounds how long a SQLite write waits for another writer. */
    public static EventStore open(String urlOrDirectory, Duration busyTimeout) {
        if (urlOrDirectory == null || urlOrDirectory.isBlank()) {
            throw new IllegalArgumentException("no data directory or database URL given");
        }
        String s = urlOrDirectory.strip();
        if (s.startsWith("jdbc:postgresql:")) return JdbcEventStore.postgres(s);
        if (s.startsWith("postgres://") || s.startsWith("postgresql://")) {
            throw new StoreException("use a JDBC URL for PostgreSQL: jdbc:postgresql://HOST:PORT/DATABASE?user=USER "
                    + "(got " + JdbcEventStore.redact(s) + ")");
        }
        if (s.startsWith("jdbc:")) {
            throw new StoreException("unsupported database URL " + JdbcEventStore.redact(s)
                    + ": Charter stores in a data directory (SQLite) or in PostgreSQL (jdbc:postgresql://…)");
        }
        return JdbcEventStore.sqlite(Path.of(s), busyTimeout);
    }
}
