package charter.engine.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a store test writes: a SQLite data directory in a temp dir, or a fresh schema in the
 * PostgreSQL server named by {@code CHARTER_TEST_PG_URL} (dropped afterwards). Without that
 * variable the PostgreSQL half is skipped, with the reason printed once.
 */
final class StoreTarget implements AutoCloseable {
    enum Backend { SQLITE, POSTGRESQL }

    static final String PG_ENV = "CHARTER_TEST_PG_URL";
    private static final AtomicBoolean SKIP_PRINTED = new AtomicBoolean();

    final Backend backend;
    /** What EventStores.open takes: the data directory or the JDBC URL with the test's schema. */
    final String location;
    private final String adminUrl;
    private final String schema;

    private StoreTarget(Backend backend, String location, String adminUrl, String schema) {
        this.backend = backend;
        this.location = location;
        this.adminUrl = adminUrl;
        this.schema = schema;
    }

    static StoreTarget create(Backend backend, Path tempDir) throws SQLException {
        if (backend == Backend.SQLITE) {
            Path dir = tempDir.resolve("data");
            return new StoreTarget(backend, dir.toString(), "jdbc:sqlite:" + dir.resolve(JdbcEventStore.SQLITE_FILE), null);
        }
        String url = System.getenv(PG_ENV);
        if (url == null || url.isBlank()) {
            String reason = PG_ENV + " is not set: the PostgreSQL half of the store tests is skipped "
                    + "(start a server with scripts/postgres-test-server start, or run .ci/run)";
            if (SKIP_PRINTED.compareAndSet(false, true)) System.err.println("SKIPPED: " + reason);
            assumeTrue(false, reason);
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String withSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new StoreTarget(backend, withSchema, withSchema, schema);
    }

    EventStore open() {
        return EventStores.open(location);
    }

    /** Runs SQL straight on the database, bypassing the store. */
    void sql(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(System.getenv(PG_ENV)); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
