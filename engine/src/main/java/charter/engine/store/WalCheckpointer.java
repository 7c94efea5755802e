package charter.engine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies SQLite's write-ahead log into the database file on a thread and a connection of its
 * own, so that commits pay little for it. SQLite's automatic checkpoint runs inside the commit
 * that crosses its threshold: tens of megabytes copied and the file synced while every webhook of
 * that batch waits for its acknowledgement. Here a PASSIVE checkpoint (it never waits for, nor
 * blocks, the writer or a reader) runs every {@link #EVERY}, copying a few megabytes at a time,
 * so that the commit that crosses the threshold finds almost everything copied already. That
 * commit's checkpoint is still needed: only a checkpoint that ends with nothing left to copy lets
 * the next writer start the log from its beginning, and under a steady stream of commits only the
 * writer itself can end one that way. A failed checkpoint is tried again at the next turn (the log
 * is intact either way). Before each turn the {@link SqliteFileGuard} looks at the files; once it
 * finds a fault, no checkpoint runs again.
 */
final class WalCheckpointer implements AutoCloseable {
    static final Duration EVERY = Duration.ofMillis(250);

    private final Connection conn;
    private final SqliteFileGuard guard;
    private final Thread thread;
    private volatile boolean closed;

    private WalCheckpointer(Connection conn, SqliteFileGuard guard) {
        this.conn = conn;
        this.guard = guard;
        this.thread = Thread.ofPlatform().daemon(true).name("charter-store-checkpoint").start(this::loop);
    }

    /** Starts checkpointing the SQLite file {@code file}, opened with the writer's settings. */
    static WalCheckpointer start(Path file, Properties settings, SqliteFileGuard guard) throws SQLException {
        return new WalCheckpointer(DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), settings), guard);
    }

    private void loop() {
        while (!closed) {
            LockSupport.parkNanos(EVERY.toNanos());
            if (closed) break;
            // Never copy the log into a file that is gone, replaced or cannot be written: that is
            // where SQLite's native code has failed, taking the whole process with it.
            if (!guard.checkBeforeCheckpoint()) continue;
            try (Statement s = conn.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException e) {
                // busy or failed: the frames stay in the log and are copied at the next turn
            }
        }
        if (guard.hasUnwritableFile()) return;   // closing would touch files SQLite can no longer write (a SIGBUS)
        try {
            conn.close();
        } catch (SQLException ignored) {
            // closing a read-mostly connection; nothing was left half-done
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
