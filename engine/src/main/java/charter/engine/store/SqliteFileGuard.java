package charter.engine.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a SQLite store from acknowledging writes it will not keep. SQLite writes through the file
 * descriptors it opened: if {@code charter.db} is deleted or replaced while the server runs, every
 * commit still succeeds, into a file nobody will open again. So the guard remembers the identity
 * (device and inode) of the file it opened and checks it around every commit; it checks, on the
 * checkpointer's turns, that the file can still be written (a checkpoint into a file that cannot
 * be is where SQLite's native code failed) and that the write-ahead log's header is intact (with a
 * damaged header, SQLite drops the whole log when it next opens the store).
 *
 * <p>It also keeps, beside the database, the highest sequence acknowledged for each tenant
 * ({@code charter.db.acked}, written after each commit, not synced: it survives the process, and
 * is only a witness). When the store opens with a log that ends before what was acknowledged, the
 * loss is said, loudly, instead of the log silently starting again below it.
 *
 * <p>A fault is sticky: once found, writes are refused ({@link StoreException}) until the server
 * is restarted on sound files, and {@link #faults()} says why (for {@code /healthz}). Every fault
 * is logged once, at error level, when it is found.
 */
final class SqliteFileGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteFileGuard.class);
    static final String ACKED_SUFFIX = ".acked";
    private static final int WAL_MAGIC_LE = 0x377f0682;
    private static final int WAL_MAGIC_BE = 0x377f0683;

    private final Path db;
    private final Path wal;
    private final Path shm;
    private final Path acked;
    private final Object identity;
    private final List<EventStore.Fault> faults = new ArrayList<>();
    private final Map<String, Long> ackedSeq = new TreeMap<>();
    private FileChannel ackedFile;
    /** A bad WAL header seen once: said only when the next look sees it too (SQLite may be rewriting it). */
    private boolean walSuspect;

    private SqliteFileGuard(Path db, Object identity) {
        this.db = db;
        this.wal = db.resolveSibling(db.getFileName() + "-wal");
        this.shm = db.resolveSibling(db.getFileName() + "-shm");
        this.acked = db.resolveSibling(db.getFileName() + ACKED_SUFFIX);
        this.identity = identity;
    }

    /** Starts guarding the database file as it is now (just opened). */
    static SqliteFileGuard of(Path db) {
        return new SqliteFileGuard(db, identity(db));
    }

    private static Object identity(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.fileKey() != null ? a.fileKey() : a.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    /** What is wrong with the store's files, if anything (empty: sound). */
    synchronized List<EventStore.Fault> faults() {
        return List.copyOf(faults);
    }

    /**
     * Refuses a write of {@code tenant} when the file is no longer the one opened, or a fault
     * concerns every tenant or this one.
     */
    synchronized void requireWritable(String tenant) {
        checkIdentity();
        for (EventStore.Fault f : faults) {
            if (f.tenant() == null || f.tenant().equals(tenant)) throw new StoreException("the store refuses writes: " + f.message());
        }
    }

    private void checkIdentity() {
        Object now = identity(db);
        if (now == null) fault("file_deleted", null, db + " was deleted while the store was open: writes would go to a file nobody will read again");
        else if (!Objects.equals(now, identity)) fault("file_replaced", null, db + " was replaced while the store was open (it is not the file that was opened)");
        else checkWritable();
    }

    /**
     * The database, its log and its shared-memory index must stay writable: SQLite maps the index
     * into memory and grows it as the log grows, and touching a page of it that the file could not
     * be extended to is a SIGBUS, which takes the whole process (every tenant) down. So a file
     * that can no longer be written stops the writes before they grow anything.
     */
    private void checkWritable() {
        for (Path f : new Path[] {db, wal, shm}) {
            if (Files.exists(f) && !Files.isWritable(f)) {
                fault("not_writable", null, f + " can no longer be written (its permissions or attributes changed): "
                        + "writes and checkpoints are stopped before SQLite fails in its native code");
                return;
            }
        }
    }

    /**
     * Before any statement, a read too: with a file that cannot be written, SQLite must not touch
     * the store at all (a reader writes its marks into the shared-memory index, and on a file made
     * immutable that write is a SIGBUS).
     */
    synchronized void requireAccessible() {
        if (!hasUnwritableFile()) checkWritable();
        if (hasUnwritableFile()) {
            throw new StoreException("the store's files can no longer be written, so SQLite may not touch them: "
                    + faults.stream().filter(f -> f.code().equals("not_writable")).findFirst().orElseThrow().message());
        }
    }

    /** Whether a file was found unwritable: then SQLite's native code must not run on the store again, not even to close it. */
    synchronized boolean hasUnwritableFile() {
        return faults.stream().anyMatch(f -> f.code().equals("not_writable"));
    }

    /** The checkpointer's look, every turn: the file is there, writable, and the log's header intact. Whether a checkpoint may run. */
    synchronized boolean checkBeforeCheckpoint() {
        checkIdentity();
        if (faults.isEmpty()) {
            String bad = walHeaderProblem(wal);
            if (bad == null) {
                walSuspect = false;
            } else if (walSuspect) {
                fault("wal_damaged", null, "the write-ahead log " + wal + " has a damaged header (" + bad + "): SQLite would drop every "
                        + "commit in it at the next start; copy the data directory away before restarting");
            } else {
                walSuspect = true;
            }
        }
        return faults.isEmpty();
    }

    private void fault(String code, String tenant, String why) {
        EventStore.Fault f = new EventStore.Fault(code, tenant, why);
        if (faults.contains(f)) return;
        faults.add(f);
        LOG.error("store integrity ({}{}): {}", code, tenant == null ? "" : ", tenant " + tenant, why);
    }

    /** Why the WAL header is not one SQLite will accept, or null (none, empty, or sound). */
    static String walHeaderProblem(Path wal) {
        byte[] h = new byte[32];
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(h);
            while (b.hasRemaining() && ch.read(b) > 0) { }
            if (b.position() == 0) return null;   // an empty log: SQLite writes a fresh header at its next commit
            if (b.hasRemaining()) return "shorter than a header";
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        ByteBuffer big = ByteBuffer.wrap(h).order(ByteOrder.BIG_ENDIAN);
        int magic = big.getInt(0);
        if (magic != WAL_MAGIC_LE && magic != WAL_MAGIC_BE) return String.format("magic number %08x", magic);
        // The header's checksum, over its first 24 bytes, as SQLite computes it (words in the magic's byte order).
        ByteBuffer words = ByteBuffer.wrap(h).order(magic == WAL_MAGIC_BE ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int s0 = 0;
        int s1 = 0;
        for (int i = 0; i < 24; i += 8) {
            s0 += words.getInt(i) + s1;
            s1 += words.getInt(i + 4) + s0;
        }
        if (s0 != big.getInt(24) || s1 != big.getInt(28)) return "checksum mismatch";
        return null;
    }

    // ------------------------------------------------------------------ acknowledged sequences

    /**
     * Compares what was acknowledged before (the witness file) with the log as opened: each
     * tenant's next sequence, and each consumer's position. A log that ends before either is a
     * loss, recorded as a fault (writes refused: new events would take the lost numbers).
     */
    synchronized void checkAcknowledged(Map<String, Long> nextSeq, Map<String, Long> consumerPositions) {
        Map<String, Long> witness = readWitness();
        for (var e : witness.entrySet()) {
            long next = nextSeq.getOrDefault(e.getKey(), 1L);
            if (e.getValue() >= next) {
                fault("acknowledged_missing", e.getKey(), "tenant `" + e.getKey() + "`: events up to sequence " + e.getValue() + " were acknowledged, but the log ends at "
                        + (next - 1) + " (" + (e.getValue() - next + 1) + " acknowledged events are missing); restore the data "
                        + "directory from a backup, or accept the loss by deleting " + acked + " and restarting");
            }
            ackedSeq.put(e.getKey(), Math.max(e.getValue(), next - 1));
        }
        for (var e : consumerPositions.entrySet()) {
            String tenant = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
            long next = nextSeq.getOrDefault(tenant, 1L);
            if (e.getValue() >= next) {
                fault("consumer_ahead", tenant, "tenant `" + tenant + "`: its consumer `" + e.getKey().substring(tenant.length() + 1) + "` processed up to sequence "
                        + e.getValue() + ", past the end of the log (" + (next - 1) + "): events it processed are missing");
            }
        }
        for (var e : nextSeq.entrySet()) ackedSeq.merge(e.getKey(), e.getValue() - 1, Math::max);
    }

    private Map<String, Long> readWitness() {
        Map<String, Long> m = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(acked, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return m;
        } catch (IOException e) {
            LOG.warn("cannot read {} ({}): acknowledged sequences are not checked this time", acked, e.getMessage());
            return m;
        }
        for (String l : lines) {
            String[] parts = l.strip().split(" ");
            if (parts.length != 2) continue;   // a line cut short by a crash mid-write: that tenant is not checked
            try {
                m.put(parts[0], Long.parseLong(parts[1]));
            } catch (NumberFormatException ignored) {
                // as above
            }
        }
        return m;
    }

    /** After a commit: the tenant's log now holds sequences up to {@code lastSeq}. Rewrites the witness (no sync). */
    synchronized void committed(String tenant, long lastSeq) {
        ackedSeq.merge(tenant, lastSeq, Math::max);
        writeWitness();
    }

    /** After a tenant's erasure: its sequences start again, and what it had lost is gone with the rest. */
    synchronized void erased(String tenant) {
        ackedSeq.remove(tenant);
        faults.removeIf(f -> tenant.equals(f.tenant()));
        writeWitness();
    }

    private void writeWitness() {
        StringBuilder b = new StringBuilder();
        ackedSeq.forEach((t, s) -> b.append(t).append(' ').append(s).append('\n'));
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (ackedFile == null) ackedFile = FileChannel.open(acked, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ackedFile.write(ByteBuffer.wrap(bytes), 0);
            ackedFile.truncate(bytes.length);
        } catch (IOException e) {
            LOG.warn("cannot write {} ({}): a loss of acknowledged events would not be detected", acked, e.getMessage());
        }
    }

    synchronized void close() {
        if (ackedFile == null) return;
        try {
            ackedFile.close();
        } catch (IOException ignored) {
            // nothing was pending: every write was whole
        }
    }
}
