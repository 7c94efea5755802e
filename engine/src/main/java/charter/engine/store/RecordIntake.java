package charter.engine.store;

import charter.engine.result.TimelineEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One record transaction's side of an {@link Outbox.Intake}: admits each newly planned action to the
 * outbox, taking it for the dispatcher at once when its placement is {@code planned}, its lane is not
 * paused and the dispatcher has room; then, once the transaction is over, tells the dispatcher what
 * it got. A pause is read from the store inside the transaction, so a pause committed before it is
 * never missed.
 */
final class RecordIntake {
    private final String tenant;
    private final Outbox.Intake intake;
    private final Map<String, Boolean> paused = new HashMap<>();
    private final List<Outbox.Claimed> taken = new ArrayList<>();
    private final List<Outbox.Lane> reserved = new ArrayList<>();
    private final List<Outbox.Lane> unused = new ArrayList<>();
    private boolean waiting;

    RecordIntake(String tenant, Outbox.Intake intake) {
        this.tenant = tenant;
        this.intake = intake;
    }

    /** Admits an action just recorded as output {@code seq} at {@code now} (inside the caller's transaction). */
    void admit(Connection c, TimelineEntry.PlannedAction action, long seq, long eventSeq, Outbox.Placement placement, Instant now)
            throws SQLException {
        if (placement.state() != Outbox.State.PLANNED) {
            JdbcOutbox.admit(c, tenant, action, seq, placement, now, null);
            return;
        }
        Outbox.Lane lane = new Outbox.Lane(tenant, action.tool());
        if (paused(c, action.tool()) || !intake.reserve(lane)) {
            JdbcOutbox.admit(c, tenant, action, seq, placement, now, null);
            waiting = true;
            return;
        }
        reserved.add(lane);
        Instant leaseUntil = now.plus(intake.lease());
        if (!JdbcOutbox.admit(c, tenant, action, seq, placement, now, leaseUntil)) {
            unused.add(lane);   // it had a row already: whoever has it carries it out
            return;
        }
        Instant at = Times.instant(Times.micros(now));
        taken.add(new Outbox.Claimed(new Outbox.Row(tenant, action.actionId(), seq, action.tool(), OutputIds.origin(action),
                Outbox.State.SENDING, 1, 0, false, at, Times.instant(Times.micros(leaseUntil)), "", "", "", List.of(), "", "", null,
                at, at, action, eventSeq), false));
    }

    private boolean paused(Connection c, String tool) throws SQLException {
        Boolean known = paused.get(tool);
        if (known != null) return known;
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM outbox_pauses WHERE tenant = ? AND (tool = '*' OR tool = ?)")) {
            p.setString(1, tenant);
            p.setString(2, tool);
            try (ResultSet rs = p.executeQuery()) {
                boolean is = rs.next();
                paused.put(tool, is);
                return is;
            }
        }
    }

    /**
     * Runs the transaction, then settles with the dispatcher: what was taken is sent if it
     * committed; every reservation is given back if it did not. (A commit that fails only its
     * after-check, a store file replaced meanwhile, leaves its taken rows to run out their lease.)
     */
    <T> T around(Supplier<T> transaction) {
        T result;
        try {
            result = transaction.get();
        } catch (RuntimeException e) {
            intake.settle(List.of(), List.copyOf(reserved), false);
            throw e;
        }
        intake.settle(List.copyOf(taken), List.copyOf(unused), waiting);
        return result;
    }
}
