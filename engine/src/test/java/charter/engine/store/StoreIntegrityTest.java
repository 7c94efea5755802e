package charter.engine.store;

import static charter.engine.store.StoreFixtures.at;
import static charter.engine.store.StoreFixtures.delivery;
import static charter.engine.store.StoreFixtures.mention;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.store.EventStore.EventQuery;
import charter.engine.store.EventStore.Fault;
import charter.engine.store.EventStore.Ingested;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store does not acknowledge writes it will not keep: a database file deleted or replaced
 * while open refuses the next write; a damaged write-ahead log header is found by the
 * checkpointer; a log that ends before what was acknowledged is said at open; and a fault of one
 * tenant refuses only that tenant's writes.
 */
class StoreIntegrityTest {
    @TempDir
    Path temp;

    private static Ingested push(String id, int minute) {
        return delivery("github", id).time(at(minute)).mention(mention("commit", "sha-" + id, "message", id)).build();
    }

    private static List<String> codes(EventStore s) {
        return s.faults().stream().map(Fault::code).toList();
    }

    @Test
    void deletingTheFilesWhileOpenRefusesTheNextWrite() throws Exception {
        Path dir = temp.resolve("data");
        try (EventStore store = EventStores.open(dir.toString())) {
            store.append("acme", List.of(push("d-1", 0)));
            assertTrue(store.faults().isEmpty());
            for (String f : new String[] {"charter.db", "charter.db-wal", "charter.db-shm"}) Files.deleteIfExists(dir.resolve(f));
            StoreException e = assertThrows(StoreException.class, () -> store.append("acme", List.of(push("d-2", 1))));
            assertTrue(e.getMessage().contains("was deleted"), e.getMessage());
            assertEquals(List.of("file_deleted"), codes(store));
            assertThrows(StoreException.class, () -> store.append("beta", List.of(push("d-3", 1))), "every tenant: it is the file");
            assertThrows(StoreException.class, () -> store.outcomes().record("acme", "c", 1, List.of()));
        }
    }

    @Test
    void aFileReplacedWhileOpenRefusesTheNextWrite() throws Exception {
        Path dir = temp.resolve("data");
        Path other = temp.resolve("other");
        try (EventStore o = EventStores.open(other.toString())) {
            o.append("acme", List.of(push("o-1", 0)));
        }
        try (EventStore store = EventStores.open(dir.toString())) {
            store.append("acme", List.of(push("d-1", 0)));
            Files.copy(other.resolve("charter.db"), dir.resolve("charter.db.new"));
            Files.move(dir.resolve("charter.db.new"), dir.resolve("charter.db"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThrows(StoreException.class, () -> store.append("acme", List.of(push("d-2", 1))));
            assertEquals(List.of("file_replaced"), codes(store));
        }
    }

    /** An older copy of the file put back (or a log lost): the acknowledged events it lacks are said at open, for that tenant only. */
    @Test
    void aLogThatEndsBeforeWhatWasAcknowledgedIsSaidAtOpen() throws Exception {
        Path dir = temp.resolve("data");
        Path saved = temp.resolve("saved.db");
        try (EventStore store = EventStores.open(dir.toString())) {
            store.append("acme", List.of(push("a-1", 0), push("a-2", 1)));
            store.append("beta", List.of(push("b-1", 0)));
        }
        Files.copy(dir.resolve("charter.db"), saved);
        try (EventStore store = EventStores.open(dir.toString())) {
            assertTrue(store.faults().isEmpty(), store.faults().toString());
            store.append("acme", List.of(push("a-3", 2), push("a-4", 3), push("a-5", 4)));
        }
        Files.copy(saved, dir.resolve("charter.db"), StandardCopyOption.REPLACE_EXISTING);
        try (EventStore store = EventStores.open(dir.toString())) {
            assertEquals(List.of("acknowledged_missing"), codes(store));
            Fault f = store.faults().getFirst();
            assertEquals("acme", f.tenant());
            assertTrue(f.message().contains("up to sequence 5") && f.message().contains("ends at 2") && f.message().contains("3 acknowledged"), f.message());
            assertThrows(StoreException.class, () -> store.append("acme", List.of(push("a-6", 5))), "new events would take the lost numbers");
            assertEquals(List.of("b-2"), store.append("beta", List.of(push("b-2", 1))), "the other tenant writes on");
            store.deleteTenant("acme");   // erasing the tenant accepts its loss
            assertTrue(store.faults().isEmpty());
            assertEquals(List.of("a-7"), store.append("acme", List.of(push("a-7", 6))));
        }
    }

    /** Without a witness file (a store from before it, or deleted to accept a loss) nothing is said. */
    @Test
    void noWitnessNoAlarm() throws Exception {
        Path dir = temp.resolve("data");
        try (EventStore store = EventStores.open(dir.toString())) {
            store.append("acme", List.of(push("a-1", 0)));
        }
        Files.delete(dir.resolve("charter.db" + SqliteFileGuard.ACKED_SUFFIX));
        try (EventStore store = EventStores.open(dir.toString())) {
            assertTrue(store.faults().isEmpty());
            store.append("acme", List.of(push("a-2", 1)));
        }
        assertEquals("acme 2", Files.readString(dir.resolve("charter.db" + SqliteFileGuard.ACKED_SUFFIX)).strip());
    }

    @Test
    void aDamagedWalHeaderIsFoundByTheCheckpointerAndWritesStop() throws Exception {
        Path dir = temp.resolve("data");
        try (EventStore store = EventStores.open(dir.toString())) {
            store.append("acme", List.of(push("d-1", 0)));
            Path wal = dir.resolve("charter.db-wal");
            assertTrue(Files.size(wal) >= 32, "a WAL with a header");
            assertNull(SqliteFileGuard.walHeaderProblem(wal), "SQLite's own header checks out");
            try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
                f.seek(8);
                f.writeInt(0x12345678);   // the page size: the header's checksum no longer matches
            }
            assertEquals("checksum mismatch", SqliteFileGuard.walHeaderProblem(wal));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (store.faults().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(List.of("wal_damaged"), codes(store));
            assertThrows(StoreException.class, () -> store.append("acme", List.of(push("d-2", 1))));
            assertEquals(1, store.events("acme", EventQuery.all()).size(), "reads go on");
        }
    }

    /** The header check agrees with SQLite: every header SQLite writes passes, and any one flipped bit of it fails. */
    @Test
    void theHeaderCheckAcceptsSqlitesHeadersAndRefusesEveryBitFlip() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 4; round++) {
            Path dir = temp.resolve("d" + round);
            try (EventStore store = EventStores.open(dir.toString())) {
                List<Ingested> batch = new ArrayList<>();
                for (int i = 0; i <= round; i++) batch.add(push("r" + round + "-" + i, i));
                store.append("acme", batch);
                Path wal = dir.resolve("charter.db-wal");
                byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(wal), 32);
                assertNull(SqliteFileGuard.walHeaderProblem(wal));
                Path copy = temp.resolve("wal-copy-" + round);
                for (int bit = 0; bit < 32 * 8; bit += 1 + random.nextInt(3)) {
                    byte[] flipped = header.clone();
                    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                    Files.write(copy, flipped);
                    assertTrue(SqliteFileGuard.walHeaderProblem(copy) != null, "bit " + bit + " flipped passed");
                }
            }
        }
    }

    /** `chattr +i` on the store's files while open (root only): writes stop with a fault, and the process lives on. */
    @Test
    void immutableFilesStopTheWritesInsteadOfCrashingTheProcess() throws Exception {
        Path dir = temp.resolve("data");
        List<Path> files = List.of(dir.resolve("charter.db"), dir.resolve("charter.db-wal"), dir.resolve("charter.db-shm"));
        try (EventStore store = EventStores.open(dir.toString())) {
            store.append("acme", List.of(push("d-1", 0)));
            org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", files), "chattr +i is not available here");
            try {
                StoreException e = assertThrows(StoreException.class, () -> store.append("acme", List.of(push("d-2", 1))));
                assertTrue(e.getMessage().contains("can no longer be written"), e.getMessage());
                assertEquals(List.of("not_writable"), codes(store));
                Thread.sleep(3 * WalCheckpointer.EVERY.toMillis());   // the checkpointer's turns pass without a checkpoint
                // even a read writes into SQLite's shared-memory index: refused too, not a SIGBUS
                assertThrows(StoreException.class, () -> store.events("acme", EventQuery.all()));
            } finally {
                chattr("-i", files);
            }
        }
    }

    private static boolean chattr(String flag, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("chattr", flag));
        for (Path f : files) if (Files.exists(f)) cmd.add(f.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
