package charter.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versioned schema migrations: {@code charter/store/migrations/V<n>__<name>.sql}, applied
 * in order, each recorded in {@code schema_version}. Applying them is idempotent; a store
 * already at the latest version is not written to at all; a store from a newer Charter is
 * refused before anything is touched.
 */
final class Migrations {

    /** Every migration, in order. A new one is appended here and never edits an earlier file. */
    static final List<String> FILES = List.of("V1__init.sql", "V2__outcomes.sql", "V3__claims_by_time.sql", "V4__outbox.sql");

    private static final Pattern NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");

    record Migration(int version, String name, String sql) {}

    private Migrations() {}

    /** The schema version this code writes. */
    static int latest() {
        return FILES.size();
    }

    static List<Migration> all() {
        List<Migration> out = new ArrayList<>();
        for (String file : FILES) {
            Matcher m = NAME.matcher(file);
            if (!m.matches()) throw new IllegalStateException("bad migration file name " + file);
            int version = Integer.parseInt(m.group(1));
            if (version != out.size() + 1) throw new IllegalStateException("migration " + file + " is out of order");
            String path = "charter/store/migrations/" + file;
            try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) throw new IllegalStateException("missing resource " + path);
                out.add(new Migration(version, m.group(2), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path, e);
            }
        }
        return out;
    }

    /**
     * Brings the schema up to {@link #latest()}.
     *
     * @param where the store, as the user named it, for error messages
     */
    static void migrate(Connection c, Dialect dialect, String where) throws SQLException {
        c.setAutoCommit(true);
        int current = currentVersion(c);
        refuseNewer(current, where);
        if (current == latest()) return;
        if (current == 0 && dialect == Dialect.SQLITE && hasOtherTables(c)) {
            throw new StoreException(where + " is a SQLite database but not a Charter store (it has tables and no "
                    + "schema_version); point --data at an empty or Charter data directory");
        }
        dialect.begin(c);
        try {
            dialect.lockForMigration(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, "
                        + "name TEXT NOT NULL, applied_us BIGINT NOT NULL)");
            }
            current = currentVersion(c);   // another process may have migrated meanwhile
            refuseNewer(current, where);
            for (Migration m : all()) {
                if (m.version() <= current) continue;
                try (Statement s = c.createStatement()) {
                    for (String statement : statements(dialect.sql(m.sql()))) s.execute(statement);
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO schema_version (version, name, applied_us) VALUES (?, ?, ?)")) {
                    p.setInt(1, m.version());
                    p.setString(2, m.name());
                    p.setLong(3, Times.micros(java.time.Instant.now()));
                    p.executeUpdate();
                }
            }
            dialect.commit(c);
        } catch (SQLException | RuntimeException e) {
            dialect.rollback(c, e);
            throw e;
        }
    }

    private static void refuseNewer(int current, String where) {
        if (current > latest()) {
            throw new StoreException("data directory was written by a newer Charter (schema " + current + " > "
                    + latest() + "): " + where + " was left untouched; upgrade Charter to read it");
        }
    }

    /** The highest applied version, 0 for an empty database. */
    static int currentVersion(Connection c) throws SQLException {
        if (!tableExists(c, "schema_version")) return 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String escaped = table.replace("_", meta.getSearchStringEscape() + "_");
        try (ResultSet rs = meta.getTables(null, c.getSchema(), escaped, new String[] {"TABLE"})) {
            while (rs.next()) {
                if (table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) return true;
            }
            return false;
        }
    }

    private static boolean hasOtherTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    /** Splits a migration into statements: drops {@code --} comment lines, splits on {@code ;}. */
    static List<String> statements(String sql) {
        StringBuilder kept = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) kept.append(line).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (String part : kept.toString().split(";")) {
            if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }
}
