package charter.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What differs between SQLite and PostgreSQL; everything else is the same SQL. */
enum Dialect {
    SQLITE("TEXT", "BLOB", "?", "", " WITHOUT ROWID"),
    POSTGRESQL("json", "bytea", "CAST(? AS json)", " FOR UPDATE", "");

    private final String jsonType;
    private final String blobType;
    private final String jsonParameter;
    private final String forUpdate;
    private final String withoutRowid;

    Dialect(String jsonType, String blobType, String jsonParameter, String forUpdate, String withoutRowid) {
        this.jsonType = jsonType;
        this.blobType = blobType;
        this.jsonParameter = jsonParameter;
        this.forUpdate = forUpdate;
        this.withoutRowid = withoutRowid;
    }

    /** Replaces the dialect placeholders of a migration or statement: {{JSON}}, {{BLOB}}, {{J}} (a JSON parameter), {{FOR_UPDATE}}, {{WITHOUT_ROWID}}. */
    String sql(String template) {
        return template.replace("{{JSON}}", jsonType)
                .replace("{{BLOB}}", blobType)
                .replace("{{J}}", jsonParameter)
                .replace("{{FOR_UPDATE}}", forUpdate)
                .replace("{{WITHOUT_ROWID}}", withoutRowid);
    }

    /** The values of the migrations' placeholders ({@code {{JSON}}} and so on), which Flyway fills in. */
    java.util.Map<String, String> migrationPlaceholders() {
        return java.util.Map.of("JSON", jsonType, "BLOB", blobType, "WITHOUT_ROWID", withoutRowid);
    }

    /**
     * Starts a write transaction. SQLite: {@code BEGIN IMMEDIATE} on an auto-commit connection, so the
     * write lock is taken (or the busy timeout runs out) before anything is written, and the driver
     * never opens a transaction of its own after a commit. PostgreSQL: JDBC's auto-commit off.
     */
    void begin(Connection c) throws SQLException {
        if (this == SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
        } else {
            c.setAutoCommit(false);
        }
    }

    /** Commits the transaction {@link #begin} started; durable when this returns. */
    void commit(Connection c) throws SQLException {
        if (this == SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
        } else {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** Rolls back whatever {@link #begin} started (nothing, if it failed); errors go to {@code cause}. */
    void rollback(Connection c, Exception cause) {
        try {
            if (this == SQLITE) {
                if (!c.getAutoCommit()) c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException e) {
                    if (!String.valueOf(e.getMessage()).contains("no transaction is active")) throw e;
                }
            } else {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
