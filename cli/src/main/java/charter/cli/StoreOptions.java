package charter.cli;

import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import charter.engine.store.StoreException;
import picocli.CommandLine.Option;

/** `--data DIR` and `--tenant T`, mixed into every command that touches the store. */
public final class StoreOptions {
    public static final String DEFAULT_DATA = ".charter-data";
    public static final String DEFAULT_TENANT = "default";

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DEFAULT_DATA,
            description = "The data directory holding the store (charter.db, SQLite), or a jdbc:postgresql:// URL "
                    + "(default: ${DEFAULT-VALUE} in the current directory).")
    String data;

    @Option(names = "--tenant", paramLabel = "T", defaultValue = DEFAULT_TENANT,
            description = "Whose log and graph (default: ${DEFAULT-VALUE}).")
    String tenant;

    public String data() {
        return data;
    }

    public String tenant() {
        if (tenant == null || tenant.isBlank()) throw new UserError("--tenant must not be empty");
        return tenant.strip();
    }

    /** Opens (creating and migrating if needed) the store; its failures are one-line user errors. */
    public EventStore open() {
        try {
            return EventStores.open(data);
        } catch (StoreException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Opens the store only if it exists: reading commands never create an empty data directory. */
    public EventStore openExisting() {
        if (!data.startsWith("jdbc:")) {
            java.nio.file.Path dir = java.nio.file.Path.of(data);
            if (!java.nio.file.Files.exists(dir.resolve(charter.engine.store.JdbcEventStore.SQLITE_FILE))) {
                throw new UserError("no store in " + dir + " (no " + charter.engine.store.JdbcEventStore.SQLITE_FILE
                        + "); ingest something first (charter ingest --data " + dir + " …) or give --data DIR");
            }
        }
        return open();
    }
}
