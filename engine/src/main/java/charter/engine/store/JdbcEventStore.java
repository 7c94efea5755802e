package charter.engine.store;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.RawDelivery;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The event store over JDBC: one implementation for SQLite (the embedded default, one
 * file per data directory, WAL) and PostgreSQL. The SQL is the same on both (INSERT …
 * ON CONFLICT); the few type differences live in {@link Dialect}.
 *
 * <p>SQLite: one connection, used by one thread at a time (under a lock). PostgreSQL: a pool of
 * connections, one borrowed per call (see {@link #postgres}). An append
 * is one transaction ({@code BEGIN IMMEDIATE} on SQLite): it takes the tenant's row in {@code tenants} (so each tenant's log
 * has one writer and gap-free sequence numbers), inserts the raw deliveries skipping those
 * already stored, then the events, entity upserts, relations and claims of the new ones,
 * in prepared-statement batches, and commits before returning.
 */
public final class JdbcEventStore implements EventStore {

    /** Used when the caller does not say: how long a write waits for another writer's lock. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Pages of write-ahead log after which a commit checkpoints (SQLite's default is 1,000; more, so
     * that index pages rewritten by every batch are copied once per checkpoint). By then the
     * {@link WalCheckpointer} has copied nearly all of it, so the commit only finishes the job,
     * which lets the next one start the log from its beginning again.
     */
    static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;

    /** The SQLite file inside a data directory. */
    public static final String SQLITE_FILE = "charter.db";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule("charter-store").addSerializer(Instant.class, ToStringSerializer.instance));
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<Map<String, String>>> REFS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    /** SQLite: the one connection, used by one thread at a time (under {@link #lock}); null for PostgreSQL. */
    private final Connection single;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    /** PostgreSQL: the pool each call borrows a connection from (and gives it back); null for SQLite. */
    private final com.zaxxer.hikari.HikariDataSource pool;
    /** The connection the calling thread holds, while it runs a call of this store. */
    private final ThreadLocal<Lease> held = new ThreadLocal<>();
    private final Dialect dialect;
    private final String where;
    private final Duration busyTimeout;
    private final JdbcOutcomeStore outcomes;
    private final JdbcOutbox outbox;
    private final Body.Encoder bodies = new Body.Encoder();
    /** The append's statements, prepared once per connection (SQLite's driver keeps none). */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** Encoders of {@link #prepare(Ingested)}, which runs on many threads at once. */
    private final java.util.Deque<Body.Encoder> idleEncoders = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final BodyEncoding encoding = new BodyEncoding();
    private volatile boolean closed;
    /** SQLite only; null for PostgreSQL, which checkpoints by itself. */
    private WalCheckpointer checkpointer;
    /** SQLite only: that the files written are still the ones opened (null for PostgreSQL). */
    private SqliteFileGuard guard;
    /** The last sequence {@link #write} gave a new event (0: none), for the guard's witness. */
    private long lastWritten;

    private JdbcEventStore(Connection single, com.zaxxer.hikari.HikariDataSource pool, Dialect dialect, String where, Duration busyTimeout) {
        this.single = single;
        this.pool = pool;
        this.dialect = dialect;
        this.where = where;
        this.busyTimeout = busyTimeout;
        this.outcomes = new JdbcOutcomeStore(this, dialect, where);
        this.outbox = new JdbcOutbox(this, dialect, where);
    }

    @Override
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public OutcomeStore outcomes() {
        return outcomes;
    }

    /** Opens (creating and migrating if needed) the SQLite store {@code dir/charter.db}. */
    public static JdbcEventStore sqlite(Path dir, Duration busyTimeout) {
        Path file = dir.resolve(SQLITE_FILE);
        String where = file.toString();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create data directory " + dir + ": " + describe(e)
                    + "; choose a writable --data directory", e);
        }
        if (!Files.isWritable(dir)) {
            throw new StoreException("data directory " + dir + " is read-only: Charter writes " + SQLITE_FILE
                    + " and its write-ahead log there; make it writable or choose another --data directory");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new StoreException(where + " is not a regular file; it cannot be a Charter store");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new StoreException("store file " + where + " is read-only; make it writable (Charter appends to it)");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);   // a commit survives power loss
        config.enforceForeignKeys(true);
        config.setCacheSize(-65_536);   // 64 MB of page cache (the default 2 MB thrashes on the indexes)
        // The WalCheckpointer's thread copies the WAL into charter.db as it grows; the commit that crosses
        // 10,000 pages (~40 MB) copies what is left, so the log restarts from its beginning. Durability is
        // the WAL's, fsynced at each commit, either way.
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, String.valueOf(WAL_AUTOCHECKPOINT_PAGES));
        // After a checkpoint has folded it all in, the log file is cut back to 64 MB (it is reused, not
        // truncated, otherwise: a burst would leave it at its largest on disk).
        config.setPragma(SQLiteConfig.Pragma.JOURNAL_SIZE_LIMIT, String.valueOf(64L << 20));
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            JdbcEventStore store = new JdbcEventStore(c, null, Dialect.SQLITE, where, busyTimeout);
            try (Lease lease = store.lease()) {
                store.checkSqlite();
                // Flyway migrates on a connection of its own, while the store's is idle between calls.
                org.sqlite.SQLiteDataSource migrations = new org.sqlite.SQLiteDataSource(config);
                migrations.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
                Migrations.migrate(migrations, Dialect.SQLITE, where);
                store.guard = SqliteFileGuard.of(file);
                store.guard.checkAcknowledged(store.nextSequences(), store.consumerPositions());
            }
            store.checkpointer = WalCheckpointer.start(file, config.toProperties(), store.guard);
            return store;
        } catch (SQLException e) {
            closeQuietly(c);
            throw translate(e, Dialect.SQLITE, where, busyTimeout, "open");
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** How long a call waits for a PostgreSQL connection before failing (a 503 the client retries). */
    public static final Duration POOL_WAIT = Duration.ofSeconds(2);
    /** Connections to PostgreSQL at most, per store opened. */
    public static final int POOL_SIZE = 8;

    /**
     * Opens (migrating if needed) the PostgreSQL store at a {@code jdbc:postgresql://} URL, with a pool
     * of connections (HikariCP): each call borrows one and gives it back, a connection the server
     * dropped (a restart) is thrown away and replaced, so the store recovers by itself once the
     * database is back. Meanwhile calls fail after {@link #POOL_WAIT} with a {@link StoreException}.
     */
    public static JdbcEventStore postgres(String url) {
        String where = redact(url);
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("charter-store");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(POOL_WAIT.toMillis());
        config.setValidationTimeout(Math.min(1_000, POOL_WAIT.toMillis() / 2));
        config.setInitializationFailTimeout(POOL_WAIT.toMillis());   // unreachable at start: fail, as before
        com.zaxxer.hikari.HikariDataSource pool = null;
        try {
            pool = new com.zaxxer.hikari.HikariDataSource(config);
            Migrations.migrate(pool, Dialect.POSTGRESQL, where);
            return new JdbcEventStore(null, pool, Dialect.POSTGRESQL, where, DEFAULT_BUSY_TIMEOUT);
        } catch (SQLException e) {
            if (pool != null) pool.close();
            throw translate(e, Dialect.POSTGRESQL, where, DEFAULT_BUSY_TIMEOUT, "open");
        } catch (com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
            if (pool != null) pool.close();
            throw e.getCause() instanceof SQLException se ? translate(se, Dialect.POSTGRESQL, where, DEFAULT_BUSY_TIMEOUT, "open")
                    : new StoreException("cannot connect to PostgreSQL at " + where + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            if (pool != null) pool.close();
            throw e;
        }
    }

    /**
     * A connection held by the calling thread for one call of this store: SQLite's one connection
     * (under the lock: one thread at a time), or one borrowed from the PostgreSQL pool. Re-entrant:
     * a call inside a call uses the same connection.
     */
    final class Lease implements AutoCloseable {
        private final Connection connection;
        private int depth = 1;
        /** Statements prepared on a borrowed connection, closed when it is given back. */
        private final List<PreparedStatement> prepared = new ArrayList<>();

        private Lease(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            if (--depth > 0) return;
            held.remove();
            if (pool == null) {
                lock.unlock();
                return;
            }
            for (PreparedStatement p : prepared) {
                try {
                    p.close();
                } catch (SQLException ignored) {
                    // the connection is going back (or away) anyway
                }
            }
            try {
                connection.close();   // back to the pool, which drops it when it is broken
            } catch (SQLException e) {
                throw translate(e, "release a connection of");
            }
        }
    }

    /** The calling thread's connection for this call (see {@link Lease}); fails after {@link #POOL_WAIT} when none can be had. */
    Lease lease() {
        Lease l = held.get();
        if (l != null) {
            l.depth++;
            return l;
        }
        if (pool == null) {
            lock.lock();
            l = new Lease(single);
        } else {
            try {
                l = new Lease(pool.getConnection());
            } catch (SQLException e) {
                throw translate(e, "connect to");
            }
        }
        held.set(l);
        return l;
    }

    /** The connection of the calling thread's {@link Lease}. */
    Connection conn() {
        Lease l = held.get();
        if (l == null) throw new IllegalStateException("no connection held: call through a lease");
        return l.connection;
    }

    /** Reads the file's header and checks that WAL mode took, so a corrupt file fails at open. */
    private void checkSqlite() throws SQLException {
        try (Statement s = conn().createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            String mode = rs.next() ? rs.getString(1) : "";
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new StoreException(where + " could not be switched to WAL mode (journal_mode is " + mode + ")");
            }
        }
        try (Statement s = conn().createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
            rs.next();
        }
    }

    /** Where this store lives (a file path, or a PostgreSQL URL without its password). */
    public String location() {
        return where;
    }

    // ------------------------------------------------------------------ append

    private record Row(Ingested in, String deliveryId, String headers, Body body, String data, String entities,
                       String warnings, List<ClaimRow> claims) implements Prepared {}

    private record ClaimRow(String type, String key, String attribute, String value) {}

    private record EntityKey(String type, String key) {}

    private static final class Seen {
        long first;
        long last;
        long count;
    }

    @Override
    public List<String> append(String tenant, List<Ingested> batch) {
        requireOpen();
        try (Lease lease = lease()) {
            return appendLeased(tenant, batch);
        }
    }

    private List<String> appendLeased(String tenant, List<Ingested> batch) {
        requireOpen();
        requireTenant(tenant);
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) return List.of();
        List<Ingested> unprepared = new ArrayList<>();
        for (Ingested in : batch) if (!(in != null && in.prepared() instanceof Row)) unprepared.add(in);
        List<Body> encoded;
        synchronized (bodies) {   // one encoder; on PostgreSQL appends of different threads run at once
            encoded = unprepared.isEmpty() ? List.of() : encoding.encode(unprepared, bodies);
        }
        List<Row> rows = new ArrayList<>(batch.size());
        int next = 0;
        for (Ingested in : batch) {   // what can fail in Java, before the transaction
            rows.add(in != null && in.prepared() instanceof Row r ? r : prepare(in, encoded.get(next++)));
        }
        beforeWrite(tenant);
        try {
            try {
                lastWritten = 0;
                dialect.begin(conn());
                List<String> added = write(tenant, rows);
                dialect.commit(conn());
                afterWrite(tenant);
                if (guard != null && lastWritten > 0) guard.committed(tenant, lastWritten);
                return added;
            } catch (SQLException | RuntimeException e) {
                dialect.rollback(conn(), e);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e, "append to");
        }
    }

    /** Deflates the body and writes the JSON on the caller's thread, with an encoder of its own from a pool. */
    @Override
    public Ingested prepare(Ingested in) {
        if (in == null || in.prepared() instanceof Row || in.raw() == null || in.raw().body() == null) return in;
        Body.Encoder encoder = idleEncoders.pollFirst();
        if (encoder == null) encoder = new Body.Encoder();
        Row row;
        try {
            row = prepare(in, encoder.encode(in.raw().body()));
        } catch (RuntimeException e) {
            return in;   // append refuses it, with the same message
        } finally {
            if (closed) encoder.close();
            else idleEncoders.offerFirst(encoder);
        }
        return new Ingested(in.raw(), in.normalised(), row);
    }

    private Row prepare(Ingested in, Body body) {
        Objects.requireNonNull(in, "batch element");
        RawDelivery raw = Objects.requireNonNull(in.raw(), "raw delivery");
        Normalised n = Objects.requireNonNull(in.normalised(), "normalised delivery");
        Objects.requireNonNull(n.event(), "normalised event");
        if (raw.source() == null || raw.source().isBlank()) throw new IllegalArgumentException("delivery without a source");
        if (raw.body() == null) throw new IllegalArgumentException("delivery " + n.deliveryId() + " has no body");
        if (n.deliveryId() == null || n.deliveryId().isBlank()) {
            throw new IllegalArgumentException("delivery of " + raw.source() + " event " + n.event().id()
                    + " has no delivery id; ingest is idempotent by delivery id, so one is required");
        }
        List<Map<String, String>> refs = new ArrayList<>();
        for (EntityRef r : n.event().entities()) refs.add(Map.of("type", r.type(), "key", r.key()));
        List<ClaimRow> claims = new ArrayList<>();
        for (Normalised.Mention m : n.mentions()) {
            for (Map.Entry<String, Object> c : m.claims().entrySet()) {
                claims.add(new ClaimRow(m.type(), m.key(), c.getKey(), json(c.getValue())));
            }
        }
        return new Row(in, n.deliveryId(), json(raw.headers()), body, json(n.event().data()),
                json(refs), json(n.warnings()), claims);
    }

    private List<String> write(String tenant, List<Row> rows) throws SQLException {
        long next = lockTenant(tenant);
        PreparedStatement insertDelivery = statement(dialect.sql(
            "INSERT INTO deliveries (tenant, source, delivery_id, headers, body_encoding, body, received_us) "
                    + "VALUES (?, ?, ?, {{J}}, ?, ?, ?) ON CONFLICT (tenant, source, delivery_id) DO NOTHING"));
        for (Row r : rows) {
            RawDelivery raw = r.in().raw();
            insertDelivery.setString(1, tenant);
            insertDelivery.setString(2, raw.source());
            insertDelivery.setString(3, r.deliveryId());
            insertDelivery.setString(4, r.headers());
            insertDelivery.setString(5, r.body().encoding());
            insertDelivery.setBytes(6, r.body().bytes());
            insertDelivery.setLong(7, Times.micros(raw.receivedAt() == null ? Instant.now() : raw.receivedAt()));
            insertDelivery.addBatch();
        }
        int[] inserted = insertDelivery.executeBatch();
        List<Row> fresh = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (inserted[i] == 1) fresh.add(rows.get(i));
            else if (inserted[i] != 0) {
                throw new IllegalStateException("the JDBC driver did not report which deliveries were new (update count "
                        + inserted[i] + "); turn off batch rewriting");
            }
        }
        if (fresh.isEmpty()) return List.of();

        long[] seqs = new long[fresh.size()];
        PreparedStatement insertEvent = statement(dialect.sql(
            "INSERT INTO events (tenant, seq, delivery_source, delivery_id, id, source, type, time_us, significance, "
                    + "data, entities, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, {{J}}, {{J}}, {{J}})"));
        for (int i = 0; i < fresh.size(); i++) {
            Row r = fresh.get(i);
            CanonicalEvent e = r.in().normalised().event();
            seqs[i] = next + i;
            insertEvent.setString(1, tenant);
            insertEvent.setLong(2, seqs[i]);
            insertEvent.setString(3, r.in().raw().source());
            insertEvent.setString(4, r.deliveryId());
            insertEvent.setString(5, e.id());
            insertEvent.setString(6, e.source());
            insertEvent.setString(7, e.type());
            insertEvent.setLong(8, Times.micros(e.time()));
            if (e.significance() == null) insertEvent.setNull(9, Types.INTEGER);
            else insertEvent.setInt(9, e.significance());
            insertEvent.setString(10, r.data());
            insertEvent.setString(11, r.entities());
            insertEvent.setString(12, r.warnings());
            insertEvent.addBatch();
        }
        insertEvent.executeBatch();

        // Entities: every entity an event mentions, refers to or relates, counted once per event.
        Map<EntityKey, Seen> seen = new LinkedHashMap<>();
        for (Row r : fresh) {
            Normalised n = r.in().normalised();
            long t = Times.micros(n.event().time());
            Set<EntityKey> keys = new LinkedHashSet<>();
            for (Normalised.Mention m : n.mentions()) keys.add(new EntityKey(m.type(), m.key()));
            for (EntityRef ref : n.event().entities()) keys.add(new EntityKey(ref.type(), ref.key()));
            for (Normalised.Relation rel : n.relations()) {
                keys.add(new EntityKey(rel.fromType(), rel.fromKey()));
                keys.add(new EntityKey(rel.toType(), rel.toKey()));
            }
            for (EntityKey k : keys) {
                Seen s = seen.get(k);
                if (s == null) {
                    s = new Seen();
                    s.first = t;
                    s.last = t;
                    seen.put(k, s);
                }
                s.first = Math.min(s.first, t);
                s.last = Math.max(s.last, t);
                s.count++;
            }
        }
        PreparedStatement upsertEntity = statement(
            "INSERT INTO entities (tenant, type, key, first_seen_us, last_seen_us, occurrences) VALUES (?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (tenant, type, key) DO UPDATE SET "
                    + "first_seen_us = CASE WHEN excluded.first_seen_us < entities.first_seen_us "
                    + "THEN excluded.first_seen_us ELSE entities.first_seen_us END, "
                    + "last_seen_us = CASE WHEN excluded.last_seen_us > entities.last_seen_us "
                    + "THEN excluded.last_seen_us ELSE entities.last_seen_us END, "
                    + "occurrences = entities.occurrences + excluded.occurrences");
        for (Map.Entry<EntityKey, Seen> e : seen.entrySet()) {
            upsertEntity.setString(1, tenant);
            upsertEntity.setString(2, e.getKey().type());
            upsertEntity.setString(3, e.getKey().key());
            upsertEntity.setLong(4, e.getValue().first);
            upsertEntity.setLong(5, e.getValue().last);
            upsertEntity.setLong(6, e.getValue().count);
            upsertEntity.addBatch();
        }
        if (!seen.isEmpty()) upsertEntity.executeBatch();

        PreparedStatement insertRelation = statement(
            "INSERT INTO relations (tenant, from_type, from_key, kind, to_type, to_key, first_seq) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (tenant, from_type, from_key, kind, to_type, to_key) DO NOTHING");
        Set<Normalised.Relation> done = new LinkedHashSet<>();
        for (int i = 0; i < fresh.size(); i++) {
            for (Normalised.Relation rel : fresh.get(i).in().normalised().relations()) {
                if (!done.add(rel)) continue;
                insertRelation.setString(1, tenant);
                insertRelation.setString(2, rel.fromType());
                insertRelation.setString(3, rel.fromKey());
                insertRelation.setString(4, rel.kind());
                insertRelation.setString(5, rel.toType());
                insertRelation.setString(6, rel.toKey());
                insertRelation.setLong(7, seqs[i]);
                insertRelation.addBatch();
            }
        }
        if (!done.isEmpty()) insertRelation.executeBatch();

        writeClaims(tenant, fresh, seqs);

        PreparedStatement advanceSequence = statement("UPDATE tenants SET next_seq = ? WHERE tenant = ?");
        advanceSequence.setLong(1, next + fresh.size());
        advanceSequence.setString(2, tenant);
        advanceSequence.executeUpdate();
        lastWritten = next + fresh.size() - 1;
        List<String> ids = new ArrayList<>(fresh.size());
        for (Row r : fresh) ids.add(r.deliveryId());
        return ids;
    }

    /** An attribute of one entity. */
    private record AttributeKey(String type, String key, String attribute) {}

    /** What an attribute's latest claim (by time, then log order) says: who, what (JSON text), when, which event. */
    private record Latest(String source, String value, long timeUs, long seq) {
        boolean olderThan(long t, long s) {
            return timeUs < t || (timeUs == t && seq < s);
        }
    }

    /**
     * Writes the claims of the new events, leaving out a claim that repeats its attribute's latest
     * claim: the same value from the same source. The history keeps every distinct claim (every change
     * of value, and every source's first say), which is all {@link TruthPolicy} needs: whichever
     * policy applies, the resolved value and source are those it would get with the repeats stored
     * (the winner's time and event are the first of its unchanged run). Without this, a repository
     * or a person mentioned by every delivery would gain a row per delivery with nothing new in it.
     * The latest claim is read once per attribute per batch (one index seek: claims are keyed by
     * attribute, time, sequence) and then followed in memory through the batch.
     */
    private void writeClaims(String tenant, List<Row> fresh, long[] seqs) throws SQLException {
        Map<AttributeKey, Optional<Latest>> latest = new HashMap<>();
        PreparedStatement read = statement("SELECT source, value, time_us, seq FROM claims "
            + "WHERE tenant = ? AND entity_type = ? AND entity_key = ? AND attribute = ? "
            + "ORDER BY time_us DESC, seq DESC LIMIT 1");
        PreparedStatement insert = statement(dialect.sql(
            "INSERT INTO claims (tenant, entity_type, entity_key, attribute, time_us, seq, value, source, event_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, {{J}}, ?, ?) "
                    + "ON CONFLICT (tenant, entity_type, entity_key, attribute, time_us, seq) DO NOTHING"));
        int count = 0;
        for (int i = 0; i < fresh.size(); i++) {
            CanonicalEvent e = fresh.get(i).in().normalised().event();
            long t = Times.micros(e.time());
            for (ClaimRow c : fresh.get(i).claims()) {
                AttributeKey k = new AttributeKey(c.type(), c.key(), c.attribute());
                Optional<Latest> known = latest.get(k);
                if (known == null) known = stored(read, tenant, k);
                if (known.isPresent() && known.get().source().equals(e.source()) && known.get().value().equals(c.value())) {
                    latest.put(k, known);
                    continue;   // says nothing the attribute's latest claim does not
                }
                if (known.isEmpty() || known.get().olderThan(t, seqs[i])) {
                    known = Optional.of(new Latest(e.source(), c.value(), t, seqs[i]));
                }
                latest.put(k, known);
                insert.setString(1, tenant);
                insert.setString(2, c.type());
                insert.setString(3, c.key());
                insert.setString(4, c.attribute());
                insert.setLong(5, t);
                insert.setLong(6, seqs[i]);
                insert.setString(7, c.value());
                insert.setString(8, e.source());
                insert.setString(9, e.id());
                insert.addBatch();
                count++;
            }
        }
        if (count > 0) insert.executeBatch();
    }

    private static Optional<Latest> stored(PreparedStatement read, String tenant, AttributeKey k) throws SQLException {
        read.setString(1, tenant);
        read.setString(2, k.type());
        read.setString(3, k.key());
        read.setString(4, k.attribute());
        try (ResultSet rs = read.executeQuery()) {
            return rs.next() ? Optional.of(new Latest(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                    : Optional.empty();
        }
    }

    /**
     * A statement of the append, prepared on first use and kept until the store closes; cleared,
     * so that what a failed append left in it (a half-built batch) never reaches the next one.
     */
    private PreparedStatement statement(String sql) throws SQLException {
        if (pool != null) {   // a borrowed connection: the driver keeps its own cache of prepared statements
            PreparedStatement p = conn().prepareStatement(sql);
            held.get().prepared.add(p);
            return p;
        }
        PreparedStatement p = statements.get(sql);
        if (p == null) {
            p = conn().prepareStatement(sql);
            statements.put(sql, p);
        } else {
            p.clearBatch();
            p.clearParameters();
        }
        return p;
    }

    /** Creates the tenant's row if needed and locks it; returns the next sequence number. */
    private long lockTenant(String tenant) throws SQLException {
        PreparedStatement createTenant = statement(
            "INSERT INTO tenants (tenant, next_seq) VALUES (?, 1) ON CONFLICT (tenant) DO NOTHING");
        createTenant.setString(1, tenant);
        createTenant.executeUpdate();
        PreparedStatement selectTenant = statement(
            dialect.sql("SELECT next_seq FROM tenants WHERE tenant = ?{{FOR_UPDATE}}"));
        selectTenant.setString(1, tenant);
        try (ResultSet rs = selectTenant.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------ reads

    @Override
    public List<StoredEvent> events(String tenant, EventQuery query) {
        requireOpen();
        try (Lease lease = lease()) {
            return eventsLeased(tenant, query);
        }
    }

    private List<StoredEvent> eventsLeased(String tenant, EventQuery query) {
        requireOpen();
        requireTenant(tenant);
        Objects.requireNonNull(query, "query");
        if (query.limit() < 0) throw new IllegalArgumentException("limit must be >= 0, got " + query.limit());
        if (query.limit() == 0) return List.of();
        StringBuilder sql = new StringBuilder("SELECT seq, delivery_id, id, source, type, time_us, significance, data, "
                + "entities FROM events WHERE tenant = ? AND seq > ?");
        List<Object> args = new ArrayList<>(List.of(tenant, query.afterSequence()));
        if (query.since() != null) {
            sql.append(" AND time_us >= ?");
            args.add(Times.micros(query.since()));
        }
        if (query.type() != null) {
            sql.append(" AND type = ?");
            args.add(query.type());
        }
        if (query.source() != null) {
            sql.append(" AND source = ?");
            args.add(query.source());
        }
        sql.append(" ORDER BY seq LIMIT ?");
        args.add((long) query.limit());
        try (PreparedStatement p = conn().prepareStatement(sql.toString())) {
            bind(p, args);
            List<StoredEvent> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(storedEvent(rs));
            }
            return out;
        } catch (SQLException e) {
            throw translate(e, "read events from");
        }
    }

    @Override
    public List<LogEntry> entries(String tenant, long afterSequence, int limit) {
        requireOpen();
        try (Lease lease = lease()) {
            return entriesLeased(tenant, afterSequence, limit);
        }
    }

    private List<LogEntry> entriesLeased(String tenant, long afterSequence, int limit) {
        requireOpen();
        requireTenant(tenant);
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        try (PreparedStatement p = conn().prepareStatement("SELECT seq, id FROM events WHERE tenant = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            bind(p, List.of(tenant, afterSequence, (long) limit));
            List<LogEntry> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new LogEntry(rs.getLong(1), rs.getString(2)));
            }
            return out;
        } catch (SQLException e) {
            throw translate(e, "read the log of");
        }
    }

    @Override
    public Optional<StoredEvent> event(String tenant, String eventId) {
        requireOpen();
        try (Lease lease = lease()) {
            return eventLeased(tenant, eventId);
        }
    }

    private Optional<StoredEvent> eventLeased(String tenant, String eventId) {
        requireOpen();
        requireTenant(tenant);
        int colon = eventId == null ? -1 : eventId.indexOf(':');
        if (colon <= 0) return Optional.empty();
        try (PreparedStatement p = conn().prepareStatement("SELECT seq, delivery_id, id, source, type, time_us, significance, data, "
                + "entities FROM events WHERE tenant = ? AND delivery_source = ? AND delivery_id = ? AND id = ?")) {
            bind(p, List.of(tenant, eventId.substring(0, colon), eventId.substring(colon + 1), eventId));
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(storedEvent(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw translate(e, "read an event from");
        }
    }

    /** One row of {@code SELECT seq, delivery_id, id, source, type, time_us, significance, data, entities}. */
    private StoredEvent storedEvent(ResultSet rs) throws SQLException {
        int significance = rs.getInt(7);
        Integer sig = rs.wasNull() ? null : significance;
        List<EntityRef> refs = new ArrayList<>();
        for (Map<String, String> r : read(rs.getString(9), REFS)) refs.add(new EntityRef(r.get("type"), r.get("key")));
        CanonicalEvent e = new CanonicalEvent(rs.getString(3), rs.getString(4), rs.getString(5),
                Times.instant(rs.getLong(6)), numbersAsDoubles(read(rs.getString(8), MAP)), refs, sig);
        return new StoredEvent(rs.getLong(1), rs.getString(2), e);
    }

    /** Canonical data holds every number as a Double (as the event file reader and the normalisers make them). */
    private static Map<String, Object> numbersAsDoubles(Map<String, Object> data) {
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (e.getValue() instanceof Number n && !(n instanceof Double)) e.setValue(n.doubleValue());
        }
        return data;
    }

    @Override
    public List<StoredEvent> citations(String tenant, String type, String key) {
        requireOpen();
        try (Lease lease = lease()) {
            return citationsLeased(tenant, type, key);
        }
    }

    private List<StoredEvent> citationsLeased(String tenant, String type, String key) {
        requireOpen();
        requireTenant(tenant);
        try (PreparedStatement p = conn().prepareStatement("SELECT seq, delivery_id, id, source, type, time_us, significance, "
                + "data, entities FROM events WHERE tenant = ? AND seq IN ("
                + "SELECT seq FROM claims WHERE tenant = ? AND entity_type = ? AND entity_key = ? "
                + "UNION SELECT first_seq FROM relations WHERE tenant = ? AND from_type = ? AND from_key = ? "
                + "UNION SELECT first_seq FROM relations WHERE tenant = ? AND to_type = ? AND to_key = ?) ORDER BY seq")) {
            bind(p, List.of(tenant, tenant, type, key, tenant, type, key, tenant, type, key));
            List<StoredEvent> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(storedEvent(rs));
            }
            return out;
        } catch (SQLException e) {
            throw translate(e, "read the entity graph of");
        }
    }

    @Override
    public Optional<EntityView> entity(String tenant, String type, String key) {
        requireOpen();
        try (Lease lease = lease()) {
            return entityLeased(tenant, type, key);
        }
    }

    private Optional<EntityView> entityLeased(String tenant, String type, String key) {
        requireOpen();
        requireTenant(tenant);
        try {
            return view(tenant, type, key);
        } catch (SQLException e) {
            throw translate(e, "read the entity graph of");
        }
    }

    @Override
    public List<EntityView> findEntities(String tenant, String key) {
        requireOpen();
        try (Lease lease = lease()) {
            return findEntitiesLeased(tenant, key);
        }
    }

    private List<EntityView> findEntitiesLeased(String tenant, String key) {
        requireOpen();
        requireTenant(tenant);
        Objects.requireNonNull(key, "key");
        try {
            List<EntityKey> keys = entityKeys(tenant, "SELECT type, key FROM entities WHERE tenant = ? AND key = ? "
                    + "ORDER BY type, key", key);
            if (keys.isEmpty() && key.length() >= 4) {   // a short commit SHA, or an id's prefix
                keys = entityKeys(tenant, "SELECT type, key FROM entities WHERE tenant = ? AND substr(key, 1, "
                        + key.length() + ") = ? ORDER BY type, key LIMIT 50", key);
            }
            List<EntityView> out = new ArrayList<>();
            for (EntityKey k : keys) view(tenant, k.type(), k.key()).ifPresent(out::add);
            return out;
        } catch (SQLException e) {
            throw translate(e, "read the entity graph of");
        }
    }

    @Override
    public List<EntitySummary> entities(String tenant, EntityQuery query) {
        requireOpen();
        try (Lease lease = lease()) {
            return entitiesLeased(tenant, query);
        }
    }

    private List<EntitySummary> entitiesLeased(String tenant, EntityQuery query) {
        requireOpen();
        requireTenant(tenant);
        Objects.requireNonNull(query, "query");
        if (query.limit() < 0) throw new IllegalArgumentException("limit must be >= 0, got " + query.limit());
        if (query.limit() == 0) return List.of();
        StringBuilder sql = new StringBuilder("SELECT type, key, first_seen_us, last_seen_us, occurrences FROM entities "
                + "WHERE tenant = ?");
        List<Object> args = new ArrayList<>(List.of(tenant));
        if (query.type() != null) {
            sql.append(" AND type = ?");
            args.add(query.type());
        }
        if (query.key() != null) {
            switch (query.match()) {
                case EXACT -> {
                    sql.append(" AND key = ?");
                    args.add(query.key());
                }
                case PREFIX -> {
                    // substr rather than LIKE: LIKE ignores case on SQLite and not on PostgreSQL.
                    sql.append(" AND substr(key, 1, ").append(query.key().length()).append(") = ?");
                    args.add(query.key());
                }
                case CONTAINS -> {
                    // lower() on both sides gives the same (case-insensitive) answer on SQLite and PostgreSQL.
                    sql.append(" AND lower(key) LIKE lower(?) ESCAPE '!'");
                    args.add("%" + query.key().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
                }
            }
        }
        if (query.afterType() != null) {
            sql.append(" AND (type > ? OR (type = ? AND key > ?))");
            args.addAll(List.of(query.afterType(), query.afterType(), query.afterKey()));
        }
        sql.append(" ORDER BY type, key LIMIT ?");
        args.add((long) query.limit());
        try (PreparedStatement p = conn().prepareStatement(sql.toString())) {
            bind(p, args);
            List<EntitySummary> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new EntitySummary(rs.getString(1), rs.getString(2), Times.instant(rs.getLong(3)),
                            Times.instant(rs.getLong(4)), rs.getLong(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw translate(e, "read the entity graph of");
        }
    }

    @Override
    public List<Edge> relations(String tenant, String type, String key, int limit) {
        requireOpen();
        try (Lease lease = lease()) {
            return relationsLeased(tenant, type, key, limit);
        }
    }

    private List<Edge> relationsLeased(String tenant, String type, String key, int limit) {
        requireOpen();
        requireTenant(tenant);
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        if (limit == 0) return List.of();
        try (PreparedStatement p = conn().prepareStatement(
                "SELECT r.from_type, r.from_key, r.kind, r.to_type, r.to_key, e.id FROM ("
                        + "SELECT from_type, from_key, kind, to_type, to_key, first_seq FROM relations "
                        + "WHERE tenant = ? AND from_type = ? AND from_key = ? "
                        + "UNION SELECT from_type, from_key, kind, to_type, to_key, first_seq FROM relations "
                        + "WHERE tenant = ? AND to_type = ? AND to_key = ?) r "
                        + "JOIN events e ON e.tenant = ? AND e.seq = r.first_seq "
                        + "ORDER BY r.first_seq, r.kind, r.from_type, r.from_key, r.to_type, r.to_key LIMIT ?")) {
            bind(p, List.of(tenant, type, key, tenant, type, key, tenant, (long) limit));
            List<Edge> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Edge(new Normalised.Relation(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)), rs.getString(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw translate(e, "read the entity graph of");
        }
    }

    private List<EntityKey> entityKeys(String tenant, String sql, String key) throws SQLException {
        try (PreparedStatement p = conn().prepareStatement(sql)) {
            p.setString(1, tenant);
            p.setString(2, key);
            List<EntityKey> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new EntityKey(rs.getString(1), rs.getString(2)));
            }
            return out;
        }
    }

    private Optional<EntityView> view(String tenant, String type, String key) throws SQLException {
        Instant first;
        Instant last;
        long occurrences;
        try (PreparedStatement p = conn().prepareStatement("SELECT first_seen_us, last_seen_us, occurrences FROM entities "
                + "WHERE tenant = ? AND type = ? AND key = ?")) {
            bind(p, List.of(tenant, type, key));
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                first = Times.instant(rs.getLong(1));
                last = Times.instant(rs.getLong(2));
                occurrences = rs.getLong(3);
            }
        }
        List<Normalised.Claim> claims = new ArrayList<>();
        try (PreparedStatement p = conn().prepareStatement("SELECT attribute, value, source, time_us, event_id FROM claims "
                + "WHERE tenant = ? AND entity_type = ? AND entity_key = ? ORDER BY time_us, seq, attribute")) {
            bind(p, List.of(tenant, type, key));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    claims.add(new Normalised.Claim(type, key, rs.getString(1), read(rs.getString(2), Object.class),
                            rs.getString(3), Times.instant(rs.getLong(4)), rs.getString(5)));
                }
            }
        }
        List<Normalised.Relation> relations = new ArrayList<>();
        List<String> relationEvents = new ArrayList<>();
        try (PreparedStatement p = conn().prepareStatement(
                "SELECT r.from_type, r.from_key, r.kind, r.to_type, r.to_key, r.first_seq, e.id FROM ("
                        + "SELECT from_type, from_key, kind, to_type, to_key, first_seq FROM relations "
                        + "WHERE tenant = ? AND from_type = ? AND from_key = ? "
                        + "UNION SELECT from_type, from_key, kind, to_type, to_key, first_seq FROM relations "
                        + "WHERE tenant = ? AND to_type = ? AND to_key = ?) r "
                        + "JOIN events e ON e.tenant = ? AND e.seq = r.first_seq "
                        + "ORDER BY r.first_seq, r.kind, r.from_type, r.from_key, r.to_type, r.to_key")) {
            bind(p, List.of(tenant, type, key, tenant, type, key, tenant));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    relations.add(new Normalised.Relation(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                    relationEvents.add(rs.getString(7));
                }
            }
        }
        return Optional.of(new EntityView(type, key, first, last, occurrences, claims, relations, relationEvents));
    }

    @Override
    public Optional<RawDelivery> delivery(String tenant, String source, String deliveryId) {
        requireOpen();
        try (Lease lease = lease()) {
            return deliveryLeased(tenant, source, deliveryId);
        }
    }

    private Optional<RawDelivery> deliveryLeased(String tenant, String source, String deliveryId) {
        requireOpen();
        requireTenant(tenant);
        try (PreparedStatement p = conn().prepareStatement("SELECT headers, body_encoding, body, received_us FROM deliveries "
                + "WHERE tenant = ? AND source = ? AND delivery_id = ?")) {
            bind(p, List.of(tenant, source, deliveryId));
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                byte[] body;
                try {
                    body = Body.decode(rs.getString(2), rs.getBytes(3));
                } catch (java.util.zip.DataFormatException | IllegalArgumentException e) {
                    throw new StoreException("the body of delivery " + deliveryId + " in " + where + " is damaged ("
                            + e.getMessage() + ")", e);
                }
                return Optional.of(new RawDelivery(source, read(rs.getString(1), HEADERS), body,
                        Times.instant(rs.getLong(4))));
            }
        } catch (SQLException e) {
            throw translate(e, "read deliveries from");
        }
    }

    // ------------------------------------------------------------------ admin

    @Override
    public void deleteTenant(String tenant) {
        requireOpen();
        try (Lease lease = lease()) {
            deleteTenantLeased(tenant);
        }
    }

    private void deleteTenantLeased(String tenant) {
        requireOpen();
        requireTenant(tenant);
        try {
            try {
                dialect.begin(conn());
                for (String table : List.of("outbox_attempts", "outbox", "outbox_pauses", "outputs", "decisions", "consumers", "claims", "relations", "events", "entities", "deliveries", "tenants")) {
                    try (PreparedStatement p = conn().prepareStatement("DELETE FROM " + table + " WHERE tenant = ?")) {
                        p.setString(1, tenant);
                        p.executeUpdate();
                    }
                }
                dialect.commit(conn());
                if (guard != null) guard.erased(tenant);
            } catch (SQLException | RuntimeException e) {
                dialect.rollback(conn(), e);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e, "delete a tenant from");
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            if (closed) return;
            closed = true;
            closeEncoders();
            pool.close();
            return;
        }
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            closeEncoders();
            if (checkpointer != null) checkpointer.close();
            if (guard != null) guard.close();
            if (guard != null && guard.hasUnwritableFile()) {
                // Closing would checkpoint, touching files SQLite can no longer write: a SIGBUS. The
                // process keeps the connection until it ends instead.
                return;
            }
            for (PreparedStatement p : statements.values()) p.close();
            single.close();
        } catch (SQLException e) {
            throw translate(e, "close");
        } finally {
            lock.unlock();
        }
    }

    private void closeEncoders() {
        bodies.close();
        encoding.close();
        for (Body.Encoder e; (e = idleEncoders.pollFirst()) != null; ) e.close();
    }

    // ------------------------------------------------------------------ helpers

    /** Work on the calling thread's leased connection. */
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * One transaction of a store that shares this one's connections (outcomes, outbox), under the store's lock: a
     * failure rolls it back and is translated.
     *
     * @param tenant whose data it writes (the files' soundness is checked for it), or null for one that spans tenants
     * @param action what it does, for the error message ("record outputs in")
     */
    <T> T transaction(String tenant, String action, SqlWork<T> work) {
        requireOpen();
        try (var lease = lease()) {
            if (tenant != null) beforeWrite(tenant);
            try {
                try {
                    dialect.begin(conn());
                    T result = work.run();
                    dialect.commit(conn());
                    if (tenant != null) afterWrite(tenant);
                    return result;
                } catch (SQLException | RuntimeException e) {
                    dialect.rollback(conn(), e);
                    throw e;
                }
            } catch (SQLException e) {
                throw translate(e, action);
            }
        }
    }

    /** A read on the calling thread's leased connection, its failure translated. */
    <T> T query(SqlWork<T> work) {
        requireOpen();
        try (var lease = lease()) {
            try {
                return work.run();
            } catch (SQLException e) {
                throw translate(e, "read");
            }
        }
    }

    /** Before a write transaction: refused when the store's files are not sound (SQLite). */
    void beforeWrite(String tenant) {
        if (guard != null) guard.requireWritable(tenant);
    }

    /**
     * After a commit, before it is acknowledged: the commit went into the file that was opened.
     * If that file was deleted or replaced meanwhile, the commit is as good as lost: refused.
     */
    void afterWrite(String tenant) {
        if (guard != null) guard.requireWritable(tenant);
    }

    @Override
    public List<Fault> faults() {
        return guard == null ? List.of() : guard.faults();
    }

    /** Each tenant's next sequence, as the log says. */
    private Map<String, Long> nextSequences() throws SQLException {
        Map<String, Long> m = new HashMap<>();
        try (Statement st = conn().createStatement(); ResultSet rs = st.executeQuery("SELECT tenant, next_seq FROM tenants")) {
            while (rs.next()) m.put(rs.getString(1), rs.getLong(2));
        }
        return m;
    }

    /** Each consumer's position, keyed tenant NUL consumer. */
    private Map<String, Long> consumerPositions() throws SQLException {
        Map<String, Long> m = new HashMap<>();
        try (Statement st = conn().createStatement(); ResultSet rs = st.executeQuery("SELECT tenant, consumer, processed_seq FROM consumers")) {
            while (rs.next()) m.put(rs.getString(1) + '\u0000' + rs.getString(2), rs.getLong(3));
        }
        return m;
    }

    void requireOpen() {
        if (closed) throw new IllegalStateException("the store " + where + " is closed");
        if (guard != null) guard.requireAccessible();
    }

    private static void requireTenant(String tenant) {
        if (tenant == null || tenant.isBlank()) throw new IllegalArgumentException("tenant is required");
    }

    /** Binds a filter's arguments in order: longs as numbers, everything else as text. */
    static void bind(PreparedStatement p, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) p.setLong(i + 1, l);
            else p.setString(i + 1, (String) a);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store a value as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException(where + " holds JSON Charter cannot read (" + e.getOriginalMessage() + ")", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException(where + " holds JSON Charter cannot read (" + e.getOriginalMessage() + ")", e);
        }
    }

    StoreException translate(SQLException e, String action) {
        return translate(e, dialect, where, busyTimeout, action);
    }

    /** Turns a driver error into a message that says what happened to which store, and what to do. */
    static StoreException translate(SQLException e, Dialect dialect, String where, Duration busyTimeout, String action) {
        SQLException first = e;
        if (e instanceof BatchUpdateException && e.getNextException() != null) first = e.getNextException();
        String detail = first.getMessage();
        if (dialect == Dialect.SQLITE) {
            switch (first.getErrorCode() & 0xff) {
                case 5, 6 -> {
                    return new StoreException("the store " + where + " is locked by another writer (waited "
                            + busyTimeout.toMillis() + " ms); is another charter process writing to it? Nothing was "
                            + "written; retry when it is done", e);
                }
                case 8 -> {
                    return new StoreException("the store " + where + " is read-only (" + detail
                            + "); make the file and its directory writable", e);
                }
                case 14 -> {
                    return new StoreException("cannot open the store " + where + " (" + detail
                            + "); check that the data directory exists and is writable", e);
                }
                case 11, 26 -> {
                    return new StoreException(where + " is not a Charter store: the file is corrupt or not a SQLite "
                            + "database (" + detail + "); move it away or choose another --data directory", e);
                }
                case 13 -> {
                    return new StoreException("the disk holding " + where + " is full; nothing was written", e);
                }
                default -> { }
            }
        } else {
            String state = first.getSQLState() == null ? "" : first.getSQLState();
            if (state.startsWith("08")) {
                return new StoreException("cannot connect to PostgreSQL at " + where + " (" + detail + ")", e);
            }
            if (state.equals("25006")) {
                return new StoreException("the PostgreSQL store " + where + " is read-only (" + detail + ")", e);
            }
            if (state.equals("42501")) {
                return new StoreException("permission denied on the PostgreSQL store " + where + " (" + detail + ")", e);
            }
        }
        return new StoreException("could not " + action + " the store " + where + ": " + detail
                + (e != first ? " (in a batch; the whole batch was rolled back)" : ""), e);
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName().replace("Exception", "") + " " + e.getMessage();
    }

    /** The URL without its password: a {@code password=} parameter, or the password of {@code //user:password@host}. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
                .replaceAll("(//[^/@:?#]*:)[^/@?#]*@", "$1***@");
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing; the original error is the one to report
        }
    }
}
