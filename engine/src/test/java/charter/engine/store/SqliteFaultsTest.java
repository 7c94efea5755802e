package charter.engine.store;

import static charter.engine.store.StoreFixtures.at;
import static charter.engine.store.StoreFixtures.delivery;
import static charter.engine.store.StoreFixtures.mention;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import charter.engine.store.EventStore.EventQuery;
import charter.engine.store.EventStore.Ingested;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded store does with a file it cannot or must not write: a clear error, never damage. */
class SqliteFaultsTest {

    @TempDir
    Path temp;

    private static Ingested push(String id, int minute) {
        return delivery("github", id).time(at(minute)).mention(mention("commit", "sha-" + id, "message", id)).build();
    }

    /** No commit checkpoints below 10,000 pages; the store's own thread copies the log in meanwhile. */
    @Test
    void theWriteAheadLogIsFoldedIntoTheFileInTheBackgroundNotByACommit() throws Exception {
        Path dir = temp.resolve("data");
        Path file = dir.resolve(JdbcEventStore.SQLITE_FILE);
        try (EventStore store = EventStores.open(dir.toString())) {
            store.append("acme", List.of(push("d-0", 0)));
            long before = Files.size(file);
            byte[] body = ("{\"padding\":\"" + "y".repeat(3_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            for (int b = 0; b < 10; b++) {
                List<Ingested> batch = new java.util.ArrayList<>();
                for (int i = 0; i < 100; i++) batch.add(delivery("github", "d-" + b + "-" + i).body(body).build());
                store.append("acme", batch);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.size(file) <= before && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(Files.size(file) > before, "charter.db did not grow: the log was not checkpointed");
            assertEquals(1_001, store.events("acme", EventQuery.all()).size());
        }
        assertEquals("ok", integrityCheck(file));
    }

    @Test
    void theStoreFileLockedByAnotherWriterGivesAClearErrorAfterTheBusyTimeoutAndNoDamage() throws Exception {
        Path dir = temp.resolve("data");
        try (EventStore store = EventStores.open(dir.toString(), Duration.ofMillis(300))) {
            store.append("acme", List.of(push("d-1", 0)));
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("charter.db"));
                 Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout = 0");
                s.execute("BEGIN IMMEDIATE");
                s.execute("INSERT INTO tenants (tenant, next_seq) VALUES ('other-writer', 1)");

                long start = System.nanoTime();
                StoreException e = assertThrows(StoreException.class, () -> store.append("acme", List.of(push("d-2", 1))));
                long waitedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(e.getMessage().contains("is locked by another writer (waited 300 ms)"), e.getMessage());
                assertTrue(waitedMs >= 250, "gave up after " + waitedMs + " ms, before the busy timeout");
                // reads still work while the other writer holds its lock (WAL)
                assertEquals(1, store.events("acme", EventQuery.all()).size());
                s.execute("ROLLBACK");
            }
            assertEquals(List.of("d-2"), store.append("acme", List.of(push("d-2", 1))));
            assertEquals(2, store.events("acme", EventQuery.all()).size());
        }
        assertEquals("ok", integrityCheck(dir.resolve("charter.db")));
    }

    @Test
    void aReadOnlyDataDirectoryGivesAClearError() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("readonly"));
        try (ReadOnly ro = ReadOnly.make(dir)) {
            StoreException e = assertThrows(StoreException.class, () -> EventStores.open(dir.toString()));
            assertTrue(e.getMessage().contains("data directory " + dir + " is read-only"), e.getMessage());
            // and a data directory that would have to be created inside it
            StoreException nested = assertThrows(StoreException.class,
                    () -> EventStores.open(dir.resolve("sub").toString()));
            assertTrue(nested.getMessage().contains("cannot create data directory"), nested.getMessage());
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing was created");
        }
    }

    @Test
    void aReadOnlyStoreFileGivesAClearErrorAndStaysIntact() throws Exception {
        Path dir = temp.resolve("data");
        try (EventStore store = EventStores.open(dir.toString())) {
            store.append("acme", List.of(push("d-1", 0)));
        }
        Path file = dir.resolve("charter.db");
        byte[] before = Files.readAllBytes(file);
        try (ReadOnly ro = ReadOnly.make(file)) {
            StoreException e = assertThrows(StoreException.class, () -> EventStores.open(dir.toString()));
            assertTrue(e.getMessage().contains("store file " + file + " is read-only"), e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        try (EventStore store = EventStores.open(dir.toString())) {
            assertEquals(1, store.events("acme", EventQuery.all()).size());
        }
    }

    @Test
    void aCorruptFileIsNotMistakenForAStoreAndIsNotTouched() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("data"));
        Path file = dir.resolve("charter.db");
        byte[] junk = "this is not a database, it is a shopping list\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(file, junk);

        StoreException e = assertThrows(StoreException.class, () -> EventStores.open(dir.toString()));
        assertTrue(e.getMessage().contains(file + " is not a Charter store: the file is corrupt or not a SQLite database"),
                e.getMessage());
        assertArrayEquals(junk, Files.readAllBytes(file));
    }

    @Test
    void anotherApplicationsSqliteDatabaseIsRefused() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("data"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("charter.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE recipes (name TEXT)");
        }
        StoreException e = assertThrows(StoreException.class, () -> EventStores.open(dir.toString()));
        assertTrue(e.getMessage().contains("is a SQLite database but not a Charter store"), e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("charter.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'")) {
            assertEquals("recipes", rs.getString(1), "the database was left untouched");
        }
    }

    @Test
    void theStoreIsOneFileInWalModeWithForeignKeysOn() throws Exception {
        Path dir = temp.resolve("data");
        try (EventStore store = EventStores.open(dir.toString())) {
            store.append("acme", List.of(push("d-1", 0)));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("charter.db"));
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("charter.db"));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = ON");
            // the schema itself refuses an event without its delivery
            assertThrows(java.sql.SQLException.class, () -> s.execute("INSERT INTO events VALUES ('acme', 9, 'github', "
                    + "'missing', 'e', 'github', 'push', 0, NULL, '{}', '[]', '[]')"));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of("charter.db", "charter.db.acked"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "closing checkpoints the WAL into the one file (beside it, the witness of acknowledged sequences)");
        }
    }

    private static String integrityCheck(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Makes a path read-only for this process: POSIX permissions, and when those do not bind
     * (running as root) the immutable attribute; skips the test when neither is possible.
     */
    private record ReadOnly(Path path, String oldPermissions, boolean immutable) implements AutoCloseable {
        static ReadOnly make(Path path) throws IOException, InterruptedException {
            String old = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "r-xr-xr-x" : "r--r--r--"));
            if (Files.isWritable(path)) {
                boolean ok = chattr("+i", path);
                if (!ok || Files.isWritable(path)) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(old));
                    assumeTrue(false, "cannot make " + path + " read-only here (root without chattr +i)");
                }
                return new ReadOnly(path, old, true);
            }
            return new ReadOnly(path, old, false);
        }

        private static boolean chattr(String flag, Path path) throws IOException, InterruptedException {
            try {
                Process p = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor() == 0;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() throws Exception {
            if (immutable) chattr("-i", path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(oldPermissions));
        }
    }
}
