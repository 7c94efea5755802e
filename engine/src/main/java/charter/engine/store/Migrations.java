package charter.engine.store;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The store's schema, brought up to date by Flyway from {@code charter/store/migrations/V<n>__<name>.sql}:
 * a new migration is a new file in that folder, never an edit of an earlier one (Flyway checks them).
 *
 * <p>One folder serves both databases. What differs between them is a handful of type names and
 * SQLite's {@code WITHOUT ROWID}, written as placeholders ({{JSON}}, {{BLOB}}, {{WITHOUT_ROWID}},
 * see {@link Dialect}) that Flyway fills in per database: per-vendor folders would repeat every
 * table twice and let the two copies drift.
 *
 * <p>On top of Flyway, the guarantees Charter gives about a data directory:
 * <ul>
 *   <li>a store already at the latest version is not written to at all, and is opened without
 *       loading Flyway (its latest applied version is compared with the newest file's);</li>
 *   <li>a store from a newer Charter is refused before anything is touched;</li>
 *   <li>a database that holds tables but is not a Charter store is refused, not baselined;</li>
 *   <li>a store from before Flyway (versions in {@code schema_version}) is baselined at its version
 *       and upgraded in place;</li>
 *   <li>all pending migrations apply in one transaction, and on PostgreSQL under Flyway's advisory
 *       lock, so two servers starting at once migrate once.</li>
 * </ul>
 */
final class Migrations {

    /** Where the migrations are: an explicit location, so Flyway scans one folder and not the classpath. */
    static final String LOCATION = "classpath:charter/store/migrations";
    /** Flyway's history table. */
    static final String HISTORY = "flyway_schema_history";
    /** The table where Charter recorded versions before Flyway, and the last version it knew. */
    static final String LEGACY_TABLE = "schema_version";
    static final int LEGACY_LATEST = 3;
    /**
     * The row an upgraded store keeps in {@link #LEGACY_TABLE}, so that a Charter from before Flyway
     * refuses it ("written by a newer Charter") instead of writing to a schema it does not know.
     */
    static final int LEGACY_SENTINEL = 1_000_000;
    /** A migration's file name: Flyway's default, with whole-number versions (Charter's are 1, 2, 3, ...). */
    private static final Pattern FILE = Pattern.compile("V(\\d+)__\\w+\\.sql");

    private Migrations() {}

    /**
     * Brings the schema up to date.
     *
     * @param dataSource connections to the store (Flyway opens and closes its own)
     * @param where the store, as the user named it, for error messages
     */
    static void migrate(DataSource dataSource, Dialect dialect, String where) throws SQLException {
        Integer legacy;
        try (Connection c = dataSource.getConnection()) {
            Integer applied = appliedVersion(c);
            if (applied != null) {
                // The common case, checked without Flyway (it costs a third of `charter`'s start-up):
                // a store at the version this Charter ships, or a newer one.
                int shipped = shippedVersion(Migrations.class.getClassLoader());
                if (applied > shipped) throw newer(String.valueOf(applied), String.valueOf(shipped), where);
                if (applied == shipped) return;
            }
            legacy = applied != null ? null : legacyVersion(c, dialect, where);
        }
        Flyway flyway = flyway(dataSource, dialect, legacy);
        try {
            MigrationInfoService info = flyway.info();
            refuseNewer(info, where);
            if (legacy == null && info.pending().length == 0) return;   // up to date: nothing is written
            flyway.migrate();
        } catch (FlywayException e) {
            if (e.getCause() instanceof SQLException sql) throw sql;   // the store's own translation says what
            throw new StoreException("cannot bring the schema of " + where + " up to date: " + e.getMessage(), e);
        }
        if (legacy != null) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + LEGACY_TABLE + " (version, name, applied_us) VALUES (" + LEGACY_SENTINEL
                        + ", 'versions_moved_to_" + HISTORY + "', " + Times.micros(java.time.Instant.now()) + ")");
            }
        }
    }

    private static Flyway flyway(DataSource dataSource, Dialect dialect, Integer legacy) {
        FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)   // a misnamed file fails, instead of being skipped
                .table(HISTORY)
                .placeholderPrefix("{{")
                .placeholderSuffix("}}")
                .placeholders(dialect.migrationPlaceholders())
                .group(true)                     // every pending migration in one transaction
                .loggers("slf4j");
        if (legacy != null) {
            config.baselineOnMigrate(true)
                    .baselineVersion(MigrationVersion.fromVersion(String.valueOf(legacy)))
                    .baselineDescription(LEGACY_TABLE + " " + legacy);
        }
        return config.load();
    }

    /**
     * The version a store from before Flyway was at, or null for a Flyway store or an empty database.
     * Refuses a database with tables that is neither, and a pre-Flyway store newer than that code knew.
     */
    private static Integer legacyVersion(Connection c, Dialect dialect, String where) throws SQLException {
        if (tableExists(c, HISTORY)) return null;
        if (!tableExists(c, LEGACY_TABLE)) {
            if (hasTables(c)) {
                String what = dialect == Dialect.SQLITE ? "a SQLite database" : "a PostgreSQL schema with tables";
                throw new StoreException(where + " is " + what + " but not a Charter store (it has tables and no "
                        + HISTORY + " or " + LEGACY_TABLE + "); point --data at an empty or Charter data directory"
                        + " or database");
            }
            return null;
        }
        int version;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + LEGACY_TABLE)) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > LEGACY_LATEST) throw newer(String.valueOf(version), String.valueOf(LEGACY_LATEST), where);
        if (version < 1) {
            throw new StoreException(where + " has an empty " + LEGACY_TABLE + " table: it is not a Charter store"
                    + " this version can upgrade");
        }
        return version;
    }

    private static void refuseNewer(MigrationInfoService info, String where) {
        MigrationVersion latest = latest(info);
        MigrationInfo current = info.current();
        if (current != null && current.getVersion() != null && current.getVersion().isNewerThan(latest.getVersion())) {
            throw newer(current.getVersion().getVersion(), latest.getVersion(), where);
        }
    }

    private static StoreException newer(String found, String latest, String where) {
        return new StoreException("data directory was written by a newer Charter (schema " + found + " > " + latest
                + "): " + where + " was left untouched; upgrade Charter to read it");
    }

    /** The newest migration this Charter ships. */
    private static MigrationVersion latest(MigrationInfoService info) {
        MigrationVersion latest = MigrationVersion.EMPTY;
        for (MigrationInfo m : info.all()) {
            if (m.getState().isResolved() && m.getVersion() != null && m.getVersion().isNewerThan(latest.getVersion())) {
                latest = m.getVersion();
            }
        }
        return latest;
    }

    /** The latest successful migration in Flyway's history, or null when there is no history. */
    private static Integer appliedVersion(Connection c) throws SQLException {
        if (!tableExists(c, HISTORY)) return null;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM " + HISTORY + " WHERE success AND version IS NOT NULL")) {
            int max = 0;
            while (rs.next()) max = Math.max(max, Integer.parseInt(rs.getString(1)));
            return max;
        }
    }

    /**
     * The newest version among the migration files, from the folder's listing (the engine's jar, or a
     * directory when running from classes). Flyway reads the same files when it migrates.
     */
    static int shippedVersion(ClassLoader loader) {
        String folder = LOCATION.substring("classpath:".length());
        URL url = loader.getResource(folder);
        if (url == null) throw new IllegalStateException("the migrations folder " + folder + " is missing from the classpath");
        List<String> names = new ArrayList<>();
        try {
            if (url.openConnection() instanceof JarURLConnection jar) {
                jar.setUseCaches(false);
                try (JarFile file = jar.getJarFile()) {
                    file.stream().map(JarEntry::getName).filter(n -> n.startsWith(folder + "/"))
                            .forEach(n -> names.add(n.substring(folder.length() + 1)));
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.forEach(f -> names.add(f.getFileName().toString()));
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the migrations in " + url, e);
        }
        int max = 0;
        for (String name : names) {
            Matcher m = FILE.matcher(name);
            if (m.matches()) max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
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

    private static boolean hasTables(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            return rs.next();
        }
    }
}
