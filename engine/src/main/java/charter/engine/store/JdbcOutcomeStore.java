package charter.engine.store;

import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link OutcomeStore} over the same JDBC connection as its {@link JdbcEventStore}, in the
 * tables of migration V2 ({@code outputs}, {@code decisions}, {@code consumers}). It shares the
 * event store's lock, so the connection is used by one thread at a time.
 */
final class JdbcOutcomeStore implements OutcomeStore {
    private final JdbcEventStore owner;
    private final Dialect dialect;
    private final OutcomeJson json;

    JdbcOutcomeStore(JdbcEventStore owner, Dialect dialect, String where) {
        this.owner = owner;
        this.dialect = dialect;
        this.json = new OutcomeJson(where);
    }

    /** The connection of the calling thread's lease on the event store. */
    private Connection conn() {
        return owner.conn();
    }

    private <T> T transaction(String tenant, String action, JdbcEventStore.SqlWork<T> work) {
        return owner.transaction(tenant, action, work);
    }

    private <T> T query(JdbcEventStore.SqlWork<T> work) {
        return owner.query(work);
    }

    @Override
    public int record(String tenant, String consumer, long processedSeq, List<TimelineEntry> outputs, Outbox.Admission admission,
                      Outbox.Intake intake) {
        requireTenant(tenant);
        List<String> bodies = new ArrayList<>(outputs.size());
        for (TimelineEntry e : outputs) bodies.add(json.write(e));   // everything that can fail in Java, first
        RecordIntake taking = new RecordIntake(tenant, intake);
        return taking.around(() -> transaction(tenant, "record outputs in", () -> {
            int added = insertOutputs(tenant, outputs, bodies, processedSeq, admission, taking);
            if (consumer == null) return added;
            try (PreparedStatement p = conn().prepareStatement("INSERT INTO consumers (tenant, consumer, processed_seq, updated_us) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (tenant, consumer) DO UPDATE SET processed_seq = excluded.processed_seq, "
                    + "updated_us = excluded.updated_us")) {
                p.setString(1, tenant);
                p.setString(2, consumer);
                p.setLong(3, processedSeq);
                p.setLong(4, Times.micros(Instant.now()));
                p.executeUpdate();
            }
            return added;
        }));
    }

    /** Inserts outputs not yet stored (by idempotency key), numbering the new ones in order; returns how many were new. */
    private int insertOutputs(String tenant, List<TimelineEntry> outputs, List<String> bodies, long processedSeq,
                              Outbox.Admission admission, RecordIntake taking) throws SQLException {
        if (outputs.isEmpty()) return 0;
        Instant now = Instant.now();
        int added = 0;
        long seq = maxSeq("outputs", tenant);
        try (PreparedStatement p = conn().prepareStatement(dialect.sql("INSERT INTO outputs (tenant, output_id, seq, kind, time_us, "
                + "origin, program_version, event_seq, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, {{J}}) "
                + "ON CONFLICT (tenant, output_id) DO NOTHING"))) {
            for (int i = 0; i < outputs.size(); i++) {
                TimelineEntry e = outputs.get(i);
                p.setString(1, tenant);
                p.setString(2, OutputIds.of(e));
                p.setLong(3, seq + 1);
                p.setString(4, Kind.of(e).name());
                p.setLong(5, Times.micros(e.time()));
                p.setString(6, OutputIds.origin(e));
                p.setString(7, OutputIds.programVersion(e));
                p.setLong(8, processedSeq);
                p.setString(9, bodies.get(i));
                if (p.executeUpdate() > 0) {   // one by one: a skipped row must not use up a sequence number
                    seq++;
                    added++;
                    if (e instanceof TimelineEntry.PlannedAction a) {
                        Outbox.Placement placement = admission.place(a);
                        if (placement != null) taking.admit(conn(), a, seq, processedSeq, placement, now);
                    }
                }
            }
        }
        return added;
    }

    private long maxSeq(String table, String tenant) throws SQLException {
        try (PreparedStatement p = conn().prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM " + table + " WHERE tenant = ?")) {
            p.setString(1, tenant);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public long processed(String tenant, String consumer) {
        requireTenant(tenant);
        return query(() -> {
            try (PreparedStatement p = conn().prepareStatement("SELECT processed_seq FROM consumers WHERE tenant = ? AND consumer = ?")) {
                p.setString(1, tenant);
                p.setString(2, consumer);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<StoredOutput> outputs(String tenant, OutputQuery q) {
        requireTenant(tenant);
        StringBuilder sql = new StringBuilder("SELECT seq, output_id, event_seq, kind, body FROM outputs WHERE tenant = ? AND seq > ?");
        List<Object> args = new ArrayList<>(List.of(tenant, q.afterSequence()));
        if (q.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(q.kind().name());
        }
        if (q.origin() != null) {
            sql.append(" AND origin = ?");
            args.add(q.origin());
        }
        sql.append(" ORDER BY seq LIMIT ?");
        args.add((long) Math.max(1, q.limit()));
        return query(() -> {
            try (PreparedStatement p = conn().prepareStatement(sql.toString())) {
                JdbcEventStore.bind(p, args);
                List<StoredOutput> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(output(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<StoredOutput> output(String tenant, String outputId) {
        requireTenant(tenant);
        return query(() -> {
            try (PreparedStatement p = conn().prepareStatement(
                    "SELECT seq, output_id, event_seq, kind, body FROM outputs WHERE tenant = ? AND output_id = ?")) {
                p.setString(1, tenant);
                p.setString(2, outputId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(output(rs)) : Optional.empty();
                }
            }
        });
    }

    private StoredOutput output(ResultSet rs) throws SQLException {
        Kind kind = Kind.valueOf(rs.getString(4));
        return new StoredOutput(rs.getLong(1), rs.getString(2), rs.getLong(3), json.entry(kind, rs.getString(5)));
    }

    @Override
    public List<StoredDecision> recordDecisions(String tenant, List<DecisionToRecord> decisions, Outbox.Admission admission,
                                                Outbox.Intake intake) {
        requireTenant(tenant);
        List<String[]> texts = new ArrayList<>(decisions.size());   // request, decision
        for (DecisionToRecord d : decisions) texts.add(new String[] {json.write(d.request()), json.write(d.decision())});
        List<TimelineEntry> planned = new ArrayList<>();
        for (DecisionToRecord d : decisions) planned.addAll(d.decision().actions());
        List<String> plannedJson = new ArrayList<>(planned.size());
        for (TimelineEntry e : planned) plannedJson.add(json.write(e));
        long now = Times.micros(Instant.now());
        RecordIntake taking = new RecordIntake(tenant, intake);
        return taking.around(() -> transaction(tenant, "record decisions in", () -> {
            long next = maxSeq("decisions", tenant);
            List<StoredDecision> out = new ArrayList<>(decisions.size());
            try (PreparedStatement p = conn().prepareStatement(dialect.sql("INSERT INTO decisions (tenant, seq, intent_id, intent, actor, verdict, "
                    + "overrides_seq, recorded_us, program_version, request, decision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + "{{J}}, {{J}})"))) {
                for (int i = 0; i < decisions.size(); i++) {
                    DecisionToRecord d = decisions.get(i);
                    next++;
                    p.setString(1, tenant);
                    p.setLong(2, next);
                    p.setString(3, d.request().id());
                    p.setString(4, d.decision().intent());
                    p.setString(5, d.decision().actor() == null ? "" : d.decision().actor());
                    p.setString(6, d.decision().verdict().name());
                    p.setLong(7, d.overrides());
                    p.setLong(8, now);
                    p.setString(9, d.decision().programVersion() == null ? "" : d.decision().programVersion());
                    p.setString(10, texts.get(i)[0]);
                    p.setString(11, texts.get(i)[1]);
                    p.addBatch();
                    out.add(new StoredDecision(next, Times.instant(now), d.request(), d.decision(), d.overrides()));
                }
                p.executeBatch();
            }
            insertOutputs(tenant, planned, plannedJson, 0, admission, taking);
            return out;
        }));
    }

    @Override
    public List<StoredDecision> decisions(String tenant, long afterSeq, int limit) {
        requireTenant(tenant);
        return selectDecisions("seq > ? ORDER BY seq LIMIT ?", List.of(tenant, afterSeq, (long) Math.max(1, limit)));
    }

    @Override
    public Optional<StoredDecision> latestDecision(String tenant, String intentId) {
        requireTenant(tenant);
        return selectDecisions("intent_id = ? ORDER BY seq DESC LIMIT 1", List.of(tenant, intentId)).stream().findFirst();
    }

    /** Decisions of {@code args.get(0)}'s tenant matching the rest of the WHERE clause. */
    private List<StoredDecision> selectDecisions(String condition, List<Object> args) {
        return query(() -> {
            try (PreparedStatement p = conn().prepareStatement("SELECT seq, recorded_us, request, decision, overrides_seq FROM decisions "
                    + "WHERE tenant = ? AND " + condition)) {
                JdbcEventStore.bind(p, args);
                List<StoredDecision> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(decision(rs));
                }
                return out;
            }
        });
    }

    private StoredDecision decision(ResultSet rs) throws SQLException {
        return new StoredDecision(rs.getLong(1), Times.instant(rs.getLong(2)), json.request(rs.getString(3)),
                json.decision(rs.getString(4)), rs.getLong(5));
    }

    private static void requireTenant(String tenant) {
        if (tenant == null || tenant.isBlank()) throw new IllegalArgumentException("tenant is required");
    }

}
