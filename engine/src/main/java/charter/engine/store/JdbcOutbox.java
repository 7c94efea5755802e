package charter.engine.store;

import charter.engine.result.TimelineEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Outbox} in the tables of migration V4, over its {@link JdbcEventStore}'s connection
 * and lock. Rows are admitted by {@link JdbcOutcomeStore} inside the transaction that records their
 * outputs ({@link #admit}).
 */
final class JdbcOutbox implements Outbox {
    /** Every action output, with its outbox row if it has one (an action recorded before V4 has none). */
    private static final String COLUMNS = "b.tenant, b.output_id, b.seq, COALESCE(o.tool, ''), b.origin, COALESCE(o.state, 'recorded'), "
            + "COALESCE(o.attempts, 0), COALESCE(o.retry_base, 0), COALESCE(o.unknown, 0), COALESCE(o.next_attempt_us, 0), "
            + "COALESCE(o.lease_until_us, 0), COALESCE(o.last_error, ''), COALESCE(o.external_id, ''), COALESCE(o.url, ''), "
            + "COALESCE(o.approvers, ''), COALESCE(o.decided_by, ''), COALESCE(o.decision_reason, ''), COALESCE(o.decided_us, 0), "
            + "COALESCE(o.created_us, 0), COALESCE(o.updated_us, 0), b.body, b.event_seq";
    private static final String FROM = " FROM outputs b LEFT JOIN outbox o ON o.tenant = b.tenant AND o.action_id = b.output_id";
    /** At most this many candidates of one lane are read per claim: more could not be taken at once anyway. */
    static final int MAX_PER_LANE = 256;

    private final JdbcEventStore owner;
    private final Dialect dialect;
    private final OutcomeJson json;

    JdbcOutbox(JdbcEventStore owner, Dialect dialect, String where) {
        this.owner = owner;
        this.dialect = dialect;
        this.json = new OutcomeJson(where);
    }

    private Connection conn() {
        return owner.conn();
    }

    private <T> T transaction(String tenant, String action, JdbcEventStore.SqlWork<T> work) {
        return owner.transaction(tenant, action, work);
    }

    private <T> T query(JdbcEventStore.SqlWork<T> work) {
        return owner.query(work);
    }

    /**
     * Inserts the outbox row of a newly recorded planned action (inside the caller's transaction):
     * as {@code placement} says, or, with a {@code leaseUntil}, taken at once (see {@link RecordIntake}).
     *
     * @return whether the row is new
     */
    static boolean admit(Connection c, String tenant, TimelineEntry.PlannedAction action, long seq, Placement placement,
                         Instant now, Instant leaseUntil) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO outbox (tenant, action_id, seq, tool, rule, state, attempts, "
                + "retry_base, unknown, next_attempt_us, lease_until_us, last_error, external_id, url, approvers, decided_by, "
                + "decision_reason, decided_us, created_us, updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, '', '', '', ?, '', '', 0, ?, ?) "
                + "ON CONFLICT (tenant, action_id) DO NOTHING")) {
            long us = Times.micros(now);
            p.setString(1, tenant);
            p.setString(2, action.actionId());
            p.setLong(3, seq);
            p.setString(4, action.tool());
            p.setString(5, OutputIds.origin(action));
            p.setString(6, leaseUntil == null ? placement.state().label() : State.SENDING.label());
            p.setInt(7, leaseUntil == null ? 0 : 1);
            p.setLong(8, us);
            p.setLong(9, leaseUntil == null ? 0 : Times.micros(leaseUntil));
            p.setString(10, String.join(",", placement.approvers()));
            p.setLong(11, us);
            p.setLong(12, us);
            return p.executeUpdate() > 0;
        }
    }

    @Override
    public List<Claimed> claim(Instant now, Duration lease, int limit, Room room) {
        long nowUs = Times.micros(now);
        long leaseUntil = Times.micros(now.plus(lease));
        return transaction(null, "claim actions in", () -> {
            // first the keys of due actions (no bodies read), then the full rows of those taken
            record Candidate(String tenant, String actionId, String tool, State state, int attempts) {}
            List<Candidate> candidates = new ArrayList<>();
            try (PreparedStatement p = conn().prepareStatement("SELECT tenant, action_id, tool, state, attempts FROM (SELECT tenant, action_id, "
                    + "tool, state, attempts, seq, CASE WHEN state = 'sending' THEN lease_until_us ELSE next_attempt_us END AS due, "
                    + "ROW_NUMBER() OVER (PARTITION BY tenant, tool ORDER BY CASE WHEN state = 'sending' THEN lease_until_us ELSE next_attempt_us END, seq) AS rn "
                    + "FROM outbox WHERE ((state IN ('planned', 'retrying') AND next_attempt_us <= ?) OR (state = 'sending' AND lease_until_us <= ?)) "
                    + "AND NOT EXISTS (SELECT 1 FROM outbox_pauses z WHERE z.tenant = outbox.tenant AND (z.tool = '*' OR z.tool = outbox.tool))) o "
                    + "WHERE o.rn <= ? ORDER BY o.due, o.seq LIMIT ?")) {
                p.setLong(1, nowUs);
                p.setLong(2, nowUs);
                p.setLong(3, MAX_PER_LANE);
                p.setLong(4, (long) limit * 4);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new Candidate(rs.getString(1), rs.getString(2), rs.getString(3),
                                State.parse(rs.getString(4)).orElseThrow(), rs.getInt(5)));
                    }
                }
            }
            Map<Lane, Integer> due = new HashMap<>();
            for (Candidate r : candidates) due.merge(new Lane(r.tenant(), r.tool()), 1, Integer::sum);
            Map<Lane, Integer> left = new HashMap<>();
            List<Claimed> out = new ArrayList<>();
            try (PreparedStatement u = conn().prepareStatement("UPDATE outbox SET state = 'sending', attempts = attempts + 1, "
                    + "lease_until_us = ?, updated_us = ? WHERE tenant = ? AND action_id = ? AND state = ? AND attempts = ?")) {
                for (Candidate r : candidates) {
                    if (out.size() >= limit) break;
                    Lane lane = new Lane(r.tenant(), r.tool());
                    int free = left.computeIfAbsent(lane, l -> room.of(l, due.get(l)));
                    if (free <= 0) continue;
                    u.setLong(1, leaseUntil);
                    u.setLong(2, nowUs);
                    u.setString(3, r.tenant());
                    u.setString(4, r.actionId());
                    u.setString(5, r.state().label());
                    u.setInt(6, r.attempts());
                    if (u.executeUpdate() == 0) continue;   // another dispatcher took it
                    left.put(lane, free - 1);
                    Row taken = select(r.tenant(), r.actionId()).orElseThrow();
                    boolean takenOver = r.state() == State.SENDING;
                    out.add(new Claimed(takenOver ? new Row(taken.tenant(), taken.actionId(), taken.sequence(), taken.tool(), taken.rule(),
                            taken.state(), taken.attempts(), taken.retryBase(), true, taken.nextAttempt(), taken.leaseUntil(), taken.lastError(),
                            taken.externalId(), taken.url(), taken.approvers(), taken.decidedBy(), taken.decisionReason(), taken.decidedAt(),
                            taken.created(), taken.updated(), taken.action(), taken.eventSequence()) : taken, takenOver));
                }
            }
            return out;
        });
    }

    @Override
    public void finish(List<Finish> finished) {
        if (finished.isEmpty()) return;
        long nowUs = Times.micros(Instant.now());
        transaction(null, "record attempts in", () -> {
            try (PreparedStatement a = conn().prepareStatement(dialect.sql("INSERT INTO outbox_attempts (tenant, action_id, attempt, "
                    + "started_us, duration_us, outcome, status, detail, external_id, url, request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {{J}}) "
                    + "ON CONFLICT (tenant, action_id, attempt) DO NOTHING"));
                 PreparedStatement u = conn().prepareStatement("UPDATE outbox SET state = ?, next_attempt_us = ?, lease_until_us = 0, "
                         + "unknown = ?, last_error = ?, external_id = CASE WHEN ? = '' THEN external_id ELSE ? END, "
                         + "url = CASE WHEN ? = '' THEN url ELSE ? END, updated_us = ? "
                         + "WHERE tenant = ? AND action_id = ? AND state = 'sending' AND attempts = ?")) {
                for (Finish f : finished) {
                    Attempt t = f.attempt();
                    a.setString(1, t.tenant());
                    a.setString(2, t.actionId());
                    a.setInt(3, t.attempt());
                    a.setLong(4, Times.micros(t.started()));
                    a.setLong(5, t.duration().toNanos() / 1_000);
                    a.setString(6, t.outcome());
                    a.setInt(7, t.status());
                    a.setString(8, nz(t.detail()));
                    a.setString(9, nz(t.externalId()));
                    a.setString(10, nz(t.url()));
                    a.setString(11, t.request() == null ? "{}" : t.request());
                    a.addBatch();
                    u.setString(1, f.next().label());
                    u.setLong(2, f.nextAttempt() == null ? 0 : Times.micros(f.nextAttempt()));
                    u.setInt(3, f.unknown() ? 1 : 0);
                    u.setString(4, nz(f.error()));
                    u.setString(5, nz(t.externalId()));
                    u.setString(6, nz(t.externalId()));
                    u.setString(7, nz(t.url()));
                    u.setString(8, nz(t.url()));
                    u.setLong(9, nowUs);
                    u.setString(10, t.tenant());
                    u.setString(11, t.actionId());
                    u.setInt(12, t.attempt());
                    u.addBatch();
                }
                a.executeBatch();
                u.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Row> list(String tenant, Query q) {
        requireTenant(tenant);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + FROM + " WHERE b.tenant = ? AND b.kind = 'ACTION' AND b.seq > ?");
        List<Object> args = new ArrayList<>(List.of(tenant, q.afterSequence()));
        if (q.state() != null) {
            sql.append(" AND COALESCE(o.state, 'recorded') = ?");
            args.add(q.state().label());
        }
        if (q.tool() != null) {
            sql.append(" AND o.tool = ?");
            args.add(q.tool());
        }
        if (q.rule() != null) {
            sql.append(" AND b.origin = ?");
            args.add(q.rule());
        }
        sql.append(" ORDER BY b.seq LIMIT ?");
        args.add((long) Math.max(1, q.limit()));
        return query(() -> {
            try (PreparedStatement p = conn().prepareStatement(sql.toString())) {
                JdbcEventStore.bind(p, args);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(row(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Row> get(String tenant, String actionId) {
        requireTenant(tenant);
        return query(() -> select(tenant, actionId));
    }

    private Optional<Row> select(String tenant, String actionId) throws SQLException {
        try (PreparedStatement p = conn().prepareStatement("SELECT " + COLUMNS + FROM + " WHERE b.tenant = ? AND b.output_id = ? AND b.kind = 'ACTION'")) {
            p.setString(1, tenant);
            p.setString(2, actionId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Attempt> attempts(String tenant, String actionId) {
        requireTenant(tenant);
        return query(() -> {
            try (PreparedStatement p = conn().prepareStatement("SELECT attempt, started_us, duration_us, outcome, status, detail, "
                    + "external_id, url, request FROM outbox_attempts WHERE tenant = ? AND action_id = ? ORDER BY attempt")) {
                p.setString(1, tenant);
                p.setString(2, actionId);
                List<Attempt> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Attempt(tenant, actionId, rs.getInt(1), Times.instant(rs.getLong(2)), Duration.ofNanos(rs.getLong(3) * 1_000),
                                rs.getString(4), rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public CommandResult command(String tenant, String actionId, Command command, String actor, String reason, Instant now) {
        requireTenant(tenant);
        long us = Times.micros(now);
        return transaction(tenant, command.name().toLowerCase(java.util.Locale.ROOT) + " an action in", () -> {
            Row r = select(tenant, actionId).orElse(null);
            if (r == null) return new CommandResult.NotFound();
            List<State> from = switch (command) {
                case RETRY -> List.of(State.FAILED, State.CANCELLED);
                case CANCEL -> List.of(State.PLANNED, State.AWAITING_APPROVAL, State.RETRYING, State.FAILED);
                case APPROVE, REJECT -> List.of(State.AWAITING_APPROVAL);
            };
            if (!from.contains(r.state())) {
                return new CommandResult.Conflict(r, "the action is " + r.state().label() + "; " + command.name().toLowerCase(java.util.Locale.ROOT)
                        + " applies to an action that is " + String.join(" or ", from.stream().map(State::label).toList()));
            }
            String set = switch (command) {
                case RETRY -> "state = 'planned', retry_base = attempts, next_attempt_us = ?, last_error = ''";
                case CANCEL -> "state = 'cancelled', next_attempt_us = ?";
                case APPROVE -> "state = 'planned', next_attempt_us = ?, decided_by = ?, decision_reason = ?, decided_us = ?";
                case REJECT -> "state = 'cancelled', next_attempt_us = ?, decided_by = ?, decision_reason = ?, decided_us = ?";
            };
            try (PreparedStatement p = conn().prepareStatement("UPDATE outbox SET " + set + ", updated_us = ? "
                    + "WHERE tenant = ? AND action_id = ? AND state = ?")) {
                int i = 1;
                p.setLong(i++, us);
                if (command == Command.APPROVE || command == Command.REJECT) {
                    p.setString(i++, nz(actor));
                    p.setString(i++, nz(reason));
                    p.setLong(i++, us);
                }
                p.setLong(i++, us);
                p.setString(i++, tenant);
                p.setString(i++, actionId);
                p.setString(i, r.state().label());
                p.executeUpdate();
            }
            return new CommandResult.Applied(select(tenant, actionId).orElseThrow());
        });
    }

    @Override
    public void pause(Pause pause) {
        requireTenant(pause.tenant());
        transaction(pause.tenant(), "pause actions in", () -> {
            try (PreparedStatement p = conn().prepareStatement("INSERT INTO outbox_pauses (tenant, tool, actor, reason, paused_us) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, tool) DO NOTHING")) {
                p.setString(1, pause.tenant());
                p.setString(2, pause.tool());
                p.setString(3, nz(pause.actor()));
                p.setString(4, nz(pause.reason()));
                p.setLong(5, Times.micros(pause.since()));
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean resume(String tenant, String tool) {
        requireTenant(tenant);
        return transaction(tenant, "resume actions in", () -> {
            try (PreparedStatement p = conn().prepareStatement("DELETE FROM outbox_pauses WHERE tenant = ? AND tool = ?")) {
                p.setString(1, tenant);
                p.setString(2, tool);
                return p.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<Pause> pauses(String tenant) {
        requireTenant(tenant);
        return query(() -> {
            try (PreparedStatement p = conn().prepareStatement("SELECT tool, actor, reason, paused_us FROM outbox_pauses WHERE tenant = ? ORDER BY tool")) {
                p.setString(1, tenant);
                List<Pause> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(new Pause(tenant, rs.getString(1), rs.getString(2), rs.getString(3), Times.instant(rs.getLong(4))));
                }
                return out;
            }
        });
    }

    @Override
    public Map<State, Long> counts(String tenant) {
        requireTenant(tenant);
        return query(() -> {
            try (PreparedStatement p = conn().prepareStatement("SELECT state, COUNT(*) FROM outbox WHERE tenant = ? GROUP BY state")) {
                p.setString(1, tenant);
                Map<State, Long> out = new EnumMap<>(State.class);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) State.parse(rs.getString(1)).ifPresent(s -> {
                        try {
                            out.put(s, rs.getLong(2));
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                return out;
            }
        });
    }

    private Row row(ResultSet rs) throws SQLException {
        String approvers = rs.getString(15);
        TimelineEntry.PlannedAction action = (TimelineEntry.PlannedAction) json.entry(OutcomeStore.Kind.ACTION, rs.getString(21));
        String tool = rs.getString(4);
        return new Row(rs.getString(1), rs.getString(2), rs.getLong(3), tool.isEmpty() ? action.tool() : tool, rs.getString(5),
                State.parse(rs.getString(6)).orElseThrow(() -> new StoreException("unknown outbox state")),
                rs.getInt(7), rs.getInt(8), rs.getInt(9) != 0, Times.instant(rs.getLong(10)), Times.instant(rs.getLong(11)),
                rs.getString(12), rs.getString(13), rs.getString(14),
                approvers.isEmpty() ? List.of() : Arrays.asList(approvers.split(",")),
                rs.getString(16), rs.getString(17), rs.getLong(18) == 0 ? null : Times.instant(rs.getLong(18)),
                Times.instant(rs.getLong(19)), Times.instant(rs.getLong(20)), action, rs.getLong(22));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static void requireTenant(String tenant) {
        if (tenant == null || tenant.isBlank()) throw new IllegalArgumentException("tenant is required");
    }

}
