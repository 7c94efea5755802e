package charter.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What differs between SQLite and PostgreSQL; everything else is the same SQL. */
enum Dialect {
    SQLITE("TEXT", "BLOB", "?", ""),
    POSTGRESQL("json", "bytea", "CAST(? AS json)", " FOR UPDATE");

    private final String jsonType;
    private final String blobType;
    private final String jsonParameter;
    private final String forUpdate;

    Dialect(String jsonType, String blobType, String jsonParameter, String forUpdate) {
        this.jsonType = jsonType;
        this.blobType = blobType;
        this.jsonParameter = jsonParameter;
        this.forUpdate = forUpdate;
    }

    /** Replaces the dialect placeholders of a migration or statement: {{JSON}}, {{BLOB}}, {{J}} (a JSON parameter), {{FOR_UPDATE}}. */
    String sql(String template) {
        return template.replace("{{JSON}}", jsonType)
                .replace("{{BLOB}}", blobType)
                .replace("{{J}}", jsonParameter)
                .replace("{{FOR_UPDATE}}", forUpdate);
    }

    /**
     * Serialises schema migrations between processes. SQLite: the IMMEDIATE transaction
     * already holds the database's write lock. PostgreSQL: a transaction-scoped advisory lock.
     */
    void lockForMigration(Connection c) throws SQLException {
        if (this == POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(7347262001)");
            }
        }
    }
}
