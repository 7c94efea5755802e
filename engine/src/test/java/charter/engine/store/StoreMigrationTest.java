package charter.engine.store;

import static charter.engine.store.StoreFixtures.at;
import static charter.engine.store.StoreFixtures.delivery;
import static charter.engine.store.StoreFixtures.mention;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.store.EventStore.EventQuery;
import charter.engine.store.EventStore.StoredEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * Schema migrations on both backends: stores from before Flyway upgrade in place with their data,
 * an up-to-date store is not written to, a newer store is refused untouched.
 */
class StoreMigrationTest extends StoreContract {
    private static final Path MIGRATIONS = Path.of("src/main/resources/charter/store/migrations");
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

    /** The newest version in the migrations folder: adding a file there is all a migration takes. */
    static int shipped() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            return files.map(f -> MIGRATION.matcher(f.getFileName().toString()))
                    .filter(java.util.regex.Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
    }

    private long version() throws Exception {
        return target.count("SELECT MAX(CAST(version AS INTEGER)) FROM " + Migrations.HISTORY + " WHERE success");
    }

    private Dialect dialect() {
        return backend == StoreTarget.Backend.SQLITE ? Dialect.SQLITE : Dialect.POSTGRESQL;
    }

    /**
     * Turns the (closed) store into what Charter wrote before Flyway at {@code version}: the schema of
     * migrations 1..version, applied by Flyway from the same files the old code applied, then its
     * history replaced by the old {@code schema_version} table. Its data is then added by the caller.
     */
    private void preFlywaySchema(int version) throws Exception {
        dropEverything();
        Flyway.configure(getClass().getClassLoader()).dataSource(target.location.startsWith("jdbc:") ? target.location
                        : "jdbc:sqlite:" + Path.of(target.location).resolve(JdbcEventStore.SQLITE_FILE), null, null)
                .locations(Migrations.LOCATION).placeholderPrefix("{{").placeholderSuffix("}}")
                .placeholders(dialect().migrationPlaceholders()).target(MigrationVersion.fromVersion(String.valueOf(version)))
                .load().migrate();
        target.sql("DROP TABLE " + Migrations.HISTORY);
        target.sql("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, "
                + "applied_us BIGINT NOT NULL)");
        String[] names = {"init", "outcomes", "claims_by_time"};
        for (int v = 1; v <= version; v++) {
            target.sql("INSERT INTO schema_version VALUES (" + v + ", '" + names[v - 1] + "', 1796498284440256)");
        }
    }

    /** Leaves the database empty: every table of every migration (the newest first), and both histories. */
    private void dropEverything() throws Exception {
        List<String> tables = new ArrayList<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.filter(f -> MIGRATION.matcher(f.getFileName().toString()).matches()).sorted().toList()) {
                var m = Pattern.compile("CREATE TABLE (\\w+)").matcher(Files.readString(f));
                while (m.find()) tables.add(0, m.group(1));
            }
        }
        tables.addAll(List.of("claims", Migrations.HISTORY, "schema_version"));
        String cascade = backend == StoreTarget.Backend.SQLITE ? "" : " CASCADE";
        for (String table : tables) target.sql("DROP TABLE IF EXISTS " + table + cascade);
    }

    /**
     * The data of a store written by Charter before Flyway (schema 3), as that code wrote it:
     * the rows of {@code pre-flyway-v3.sql}, a dump of such a store. On SQLite the whole dump is
     * restored (schema included, exactly as the old code created it); on PostgreSQL its rows go into
     * the schema-3 tables.
     */
    private void restorePreFlywayStore() throws Exception {
        String dump;
        try (InputStream in = getClass().getResourceAsStream("/charter/store/pre-flyway-v3.sql")) {
            dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> statements = new ArrayList<>();
        for (String s : dump.split(";\n")) {
            String sql = s.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip();
            if (!sql.isEmpty()) statements.add(sql);
        }
        if (backend == StoreTarget.Backend.SQLITE) {
            dropEverything();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + Path.of(target.location).resolve(JdbcEventStore.SQLITE_FILE));
                 Statement st = c.createStatement()) {
                for (String sql : statements) st.execute(sql);
            }
            return;
        }
        preFlywaySchema(3);
        target.sql("DELETE FROM schema_version");
        for (String sql : statements) {
            if (!sql.startsWith("INSERT INTO")) continue;
            target.sql(sql.replaceAll("X'([0-9a-f]*)'", "decode('$1', 'hex')"));
        }
    }

    @Test
    void aStoreWrittenBeforeFlywayIsUpgradedInPlaceWithItsData() throws Exception {
        store.close();
        store = null;
        restorePreFlywayStore();
        assertEquals(3, target.count("SELECT MAX(version) FROM schema_version"));

        store = target.open();
        assertEquals(shipped(), version());
        assertEquals(1, target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY + " WHERE type = 'BASELINE' AND version = '3'"));
        // a Charter from before Flyway reads schema_version: it now says "newer", and that Charter refuses the store
        assertEquals(Migrations.LEGACY_SENTINEL, target.count("SELECT MAX(version) FROM schema_version"));

        List<StoredEvent> acme = store.events("acme", EventQuery.all());
        assertEquals(List.of(1L, 2L, 3L), acme.stream().map(StoredEvent::sequence).toList());
        assertEquals(List.of("d-1", "d-2", "d-3"), acme.stream().map(StoredEvent::deliveryId).toList());
        assertEquals(List.of("refs/heads/main", 3.0), List.of(acme.get(2).event().data().get("ref"), acme.get(2).event().data().get("commits")));
        assertArrayEquals("{\"n\":2}".getBytes(StandardCharsets.UTF_8), store.delivery("acme", "github", "d-2").orElseThrow().body());
        assertEquals(List.of("main", "trunk"), store.entity("acme", "repository", "acme/api").orElseThrow().claims().stream()
                .map(c -> String.valueOf(c.value())).toList());
        assertEquals(1, store.events("globex", EventQuery.all()).size());
        assertEquals(2, store.outcomes().processed("acme", "engine"));

        // and it goes on where it was
        store.append("acme", List.of(delivery("github", "d-4").time(at(20))
                .mention(mention("repository", "acme/api", "default_branch", "main")).build()));
        assertEquals(4, store.events("acme", EventQuery.all()).getLast().sequence());
        long rows = target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY);
        store.close();
        store = target.open();
        assertEquals(rows, target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY));
        assertEquals(4, store.events("acme", EventQuery.all()).size());
    }

    /** Schema 1 had no outcome tables, schema 2 kept claims keyed by attribute then sequence: both are upgraded. */
    @Test
    void storesOfSchemaOneAndTwoAreUpgradedInPlaceKeepingTheirLog() throws Exception {
        for (int from = 1; from <= 2; from++) {
            store.close();
            store = null;
            preFlywaySchema(from);
            target.sql("INSERT INTO tenants VALUES ('acme', 2)");
            target.sql("INSERT INTO deliveries VALUES ('acme', 'github', 'd-1', '{}', 'identity', "
                    + (backend == StoreTarget.Backend.SQLITE ? "X'7b7d'" : "decode('7b7d', 'hex')") + ", 0)");
            target.sql("INSERT INTO events VALUES ('acme', 1, 'github', 'd-1', 'github:d-1', 'github', 'push', 0, NULL, "
                    + "'{}', '[{\"type\":\"repository\",\"key\":\"acme/api\"}]', '[]')");
            target.sql("INSERT INTO entities VALUES ('acme', 'repository', 'acme/api', 0, 0, 1)");
            target.sql("INSERT INTO claims (tenant, entity_type, entity_key, attribute, seq, value, source, time_us, event_id) "
                    + "VALUES ('acme', 'repository', 'acme/api', 'default_branch', 1, '\"main\"', 'github', 0, 'github:d-1')");

            store = target.open();
            assertEquals(shipped(), version(), "from schema " + from);
            assertEquals(1, store.events("acme", EventQuery.all()).size());
            assertEquals(List.of("main"), store.entity("acme", "repository", "acme/api").orElseThrow().claims().stream()
                    .map(c -> String.valueOf(c.value())).toList());
            assertEquals(0, store.outcomes().processed("acme", "engine"));
            assertEquals(0, target.count("SELECT COUNT(*) FROM outputs"));
        }
    }

    @Test
    void reopeningAnUpToDateStoreWritesNothing() throws Exception {
        store.append("acme", List.of(delivery("github", "d-1").build()));
        assertEquals(shipped(), version());
        long rows = target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY);
        store.close();
        byte[] before = backend == StoreTarget.Backend.SQLITE ? sqliteBytes() : null;
        store = target.open();
        store.close();
        store = target.open();
        assertEquals(rows, target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY));
        if (before != null) {
            store.close();
            store = null;
            assertArrayEquals(before, sqliteBytes(), "the SQLite file is byte for byte what it was");
        }
    }

    private byte[] sqliteBytes() throws IOException {
        return Files.readAllBytes(Path.of(target.location).resolve(JdbcEventStore.SQLITE_FILE));
    }

    @Test
    void aStoreFromANewerCharterIsRefusedAndLeftUntouched() throws Exception {
        store.append("acme", List.of(delivery("github", "d-1").build()));
        store.close();
        store = null;
        target.sql("INSERT INTO " + Migrations.HISTORY + " (installed_rank, version, description, type, script, checksum, "
                + "installed_by, execution_time, success) VALUES (99, '99', 'from the future', 'SQL', "
                + "'V99__from_the_future.sql', 0, 'charter', 0, " + (backend == StoreTarget.Backend.SQLITE ? "1" : "true") + ")");
        long rows = target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY);

        StoreException e = assertThrows(StoreException.class, target::open);
        assertTrue(e.getMessage().contains("data directory was written by a newer Charter (schema 99 > " + shipped() + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("was left untouched"), e.getMessage());
        assertEquals(rows, target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY));
        assertEquals(1, target.count("SELECT COUNT(*) FROM events"));
    }

    @Test
    void aPreFlywayStoreFromANewerCharterIsRefusedToo() throws Exception {
        store.close();
        store = null;
        preFlywaySchema(3);
        target.sql("INSERT INTO schema_version VALUES (4, 'from_the_future', 0)");

        StoreException e = assertThrows(StoreException.class, target::open);
        assertTrue(e.getMessage().contains("written by a newer Charter (schema 4 > 3)"), e.getMessage());
        assertEquals(0, target.count("SELECT COUNT(*) FROM events"));
        assertEquals(4, target.count("SELECT MAX(version) FROM schema_version"));
        assertThrows(Exception.class, () -> target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY),
                "no Flyway history was created");
    }

    @Test
    void aDatabaseWithOtherTablesIsNotTakenForAnEmptyStore() throws Exception {
        store.close();
        store = null;
        dropEverything();
        target.sql("CREATE TABLE recipes (name TEXT)");

        StoreException e = assertThrows(StoreException.class, target::open);
        assertTrue(e.getMessage().contains("but not a Charter store"), e.getMessage());
        assertThrows(Exception.class, () -> target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY),
                "no Flyway history was created");
    }

    /**
     * Servers starting at once on one empty PostgreSQL schema: each opens its own pool (its own
     * sessions, as separate processes would), Flyway's advisory lock lets one migrate, the others find
     * the schema up to date. Every one opens, and each migration is recorded once.
     */
    @Test
    void serversStartingAtOnceOnPostgresMigrateOnce() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(backend == StoreTarget.Backend.POSTGRESQL, "PostgreSQL only");
        store.close();
        store = null;
        for (int round = 0; round < 3; round++) {
            dropEverything();
            int servers = 4;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(servers);
            List<java.util.concurrent.Future<EventStore>> opened = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(servers)) {
                for (int i = 0; i < servers; i++) {
                    opened.add(pool.submit(() -> {
                        start.await();
                        return target.open();
                    }));
                }
                for (var f : opened) f.get().close();
            }
            assertEquals(shipped(), version(), "round " + round);
            assertEquals(shipped(), target.count("SELECT COUNT(*) FROM " + Migrations.HISTORY), "round " + round);
        }
        store = target.open();
        assertEquals(List.of("d-1"), store.append("acme", List.of(delivery("github", "d-1").build())));
    }

    /** The fast path's reading of the folder agrees with the files, from a directory and from a jar. */
    @Test
    void theNewestMigrationIsReadFromTheFolderInADirectoryOrAJar() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(backend == StoreTarget.Backend.SQLITE, "no database involved");
        assertEquals(shipped(), Migrations.shippedVersion(getClass().getClassLoader()));
        Path jar = temp.resolve("engine.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("charter/store/migrations/", "charter/store/migrations/V1__init.sql",
                    "charter/store/migrations/V12__later.sql", "charter/store/migrations/V3__b.sql",
                    "charter/store/migrations/README.md", "charter/store/V99__elsewhere.sql")) {
                out.putNextEntry(new java.util.jar.JarEntry(name));
                out.closeEntry();
            }
        }
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            assertEquals(12, Migrations.shippedVersion(loader));
        }
    }
}
