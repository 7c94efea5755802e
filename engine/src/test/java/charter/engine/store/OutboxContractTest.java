package charter.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.intent.IntentRequest;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The outbox's contract on SQLite and PostgreSQL: actions enter it with the output that planned them
 * (once, placed as the admission says), are taken under a lease (per-lane room, pauses, expired leases
 * taken over), finish with their attempts, and answer commands only in the states they apply to.
 */
class OutboxContractTest extends StoreContract {
    static final Instant T = Instant.parse("2026-03-02T08:00:00Z");
    static final Outbox.Admission LIVE = a -> new Outbox.Placement(Outbox.State.PLANNED, List.of());

    static TimelineEntry.PlannedAction action(String id, String tool) {
        return new TimelineEntry.PlannedAction(T, id, tool, Map.of("text", "hi " + id), 0,
                new Provenance(Provenance.Kind.RULE, "r1", null, List.of("ev-" + id), null, "v1"));
    }

    @Test
    void actionsEnterWithTheirOutputOnceAndOnlyWhenAdmitted() {
        store.outcomes().record("acme", "engine", 1, List.of(action("a1", "slack.post"), action("a2", "github.comment")),
                a -> a.tool().equals("slack.post") ? new Outbox.Placement(Outbox.State.PLANNED, List.of())
                        : new Outbox.Placement(Outbox.State.AWAITING_APPROVAL, List.of("alice", "team:ops")));
        store.outcomes().record("acme", "engine", 2, List.of(action("a1", "slack.post")), LIVE);   // replayed: nothing new
        store.outcomes().record("acme", "engine", 3, List.of(action("a3", "slack.post")));          // no admission: recorded only
        Outbox o = store.outbox();
        assertEquals(Outbox.State.PLANNED, o.get("acme", "a1").orElseThrow().state());
        Outbox.Row a2 = o.get("acme", "a2").orElseThrow();
        assertEquals(Outbox.State.AWAITING_APPROVAL, a2.state());
        assertEquals(List.of("alice", "team:ops"), a2.approvers());
        assertEquals(Outbox.State.RECORDED, o.get("acme", "a3").orElseThrow().state());
        assertEquals(List.of("a1", "a2", "a3"), o.list("acme", new Outbox.Query(null, null, null, 0, 10)).stream().map(Outbox.Row::actionId).toList());
        assertEquals(List.of("a2"), o.list("acme", new Outbox.Query(null, "github.comment", "r1", 0, 10)).stream().map(Outbox.Row::actionId).toList());
        assertTrue(o.get("beta", "a1").isEmpty(), "another tenant sees nothing");
        assertEquals(Map.of("hi a1", "hi a1").get("hi a1"), o.get("acme", "a1").orElseThrow().args().get("text"));
    }

    @Test
    void intentsPlannedActionsEnterTheOutboxWithTheirDecision() {
        IntentRequest request = new IntentRequest("int-1", "ship", "dave", "", T, Map.of(), null);
        TimelineEntry.PlannedAction planned = new TimelineEntry.PlannedAction(T, "act-int", "slack.post", Map.of(), 0,
                new Provenance(Provenance.Kind.INTENT, "ship", null, List.of(), "int-1", "v1"));
        TimelineEntry.Decision decision = new TimelineEntry.Decision(T, "int-1", "ship", "dave", "", Map.of(), TimelineEntry.Verdict.ALLOW,
                List.of(), List.of(planned), null, null, "v1");
        store.outcomes().recordDecisions("acme", List.of(new OutcomeStore.DecisionToRecord(request, decision, 0)), LIVE);
        assertEquals(Outbox.State.PLANNED, store.outbox().get("acme", "act-int").orElseThrow().state());
    }

    @Test
    void claimsRespectLaneRoomPausesAndLeasesAndAttemptsFinish() {
        store.outcomes().record("acme", null, 0, List.of(action("s1", "slack.post"), action("s2", "slack.post"), action("s3", "slack.post"),
                action("p1", "pagerduty.page")), LIVE);
        store.outcomes().record("beta", null, 0, List.of(action("b1", "slack.post")), LIVE);
        Outbox o = store.outbox();
        Instant now = Instant.now().plusSeconds(1);   // admitted actions are due from when they were recorded
        o.pause(new Outbox.Pause("beta", Outbox.ALL_TOOLS, "ops", "incident", T));
        Map<Outbox.Lane, Integer> asked = new java.util.HashMap<>();
        List<Outbox.Claimed> taken = o.claim(now, Duration.ofSeconds(30), 10, (lane, due) -> {
            asked.put(lane, due);
            return lane.tool().equals("slack.post") ? 2 : 5;
        });
        assertEquals(Map.of(new Outbox.Lane("acme", "slack.post"), 3, new Outbox.Lane("acme", "pagerduty.page"), 1), asked,
                "each lane is asked for room once, told how many of its actions are due (a paused tenant's are not)");
        assertEquals(List.of("s1", "s2", "p1"), taken.stream().map(c -> c.row().actionId()).sorted(java.util.Comparator.comparing(
                id -> List.of("s1", "s2", "p1").indexOf(id))).toList());
        assertTrue(taken.stream().allMatch(c -> c.row().state() == Outbox.State.SENDING && c.row().attempts() == 1 && !c.takenOver()));
        assertEquals(List.of(), o.claim(now.plusSeconds(1), Duration.ofSeconds(30), 10, (lane, due) -> 0), "no room, nothing taken");

        Outbox.Row s1 = taken.stream().filter(c -> c.row().actionId().equals("s1")).findFirst().orElseThrow().row();
        o.finish(List.of(new Outbox.Finish(new Outbox.Attempt("acme", "s1", 1, T, Duration.ofMillis(12), "done", 201, "", "ext-1", "http://x/1",
                "{\"method\":\"POST\"}"), Outbox.State.DONE, null, false, "")));
        Outbox.Row done = o.get("acme", s1.actionId()).orElseThrow();
        assertEquals(Outbox.State.DONE, done.state());
        assertEquals("http://x/1", done.url());
        assertEquals(List.of(201), o.attempts("acme", "s1").stream().map(Outbox.Attempt::status).toList());

        // s2 and p1 were never finished: past their lease they are taken over, once
        List<Outbox.Claimed> over = o.claim(now.plusSeconds(31), Duration.ofSeconds(30), 10, (lane, due) -> 5);
        assertEquals(List.of("p1", "s2", "s3"), over.stream().map(c -> c.row().actionId()).sorted().toList());
        assertTrue(over.stream().filter(c -> !c.row().actionId().equals("s3")).allMatch(c -> c.takenOver() && c.row().unknown() && c.row().attempts() == 2));
        assertTrue(o.claim(now.plusSeconds(32), Duration.ofSeconds(30), 10, (lane, due) -> 5).isEmpty());

        assertTrue(o.resume("beta", Outbox.ALL_TOOLS));
        assertEquals(List.of("b1"), o.claim(now.plusSeconds(33), Duration.ofSeconds(30), 10, (lane, due) -> 5).stream().map(c -> c.row().actionId()).toList());
    }

    /** An intake with a fixed room per tool, which remembers what it was given. */
    static final class CountingIntake implements Outbox.Intake {
        final Map<String, Integer> room;
        final List<Outbox.Claimed> taken = new java.util.ArrayList<>();
        final List<Outbox.Lane> unused = new java.util.ArrayList<>();
        int reserved;
        boolean waiting;

        CountingIntake(Map<String, Integer> room) {
            this.room = new java.util.HashMap<>(room);
        }

        @Override
        public Duration lease() {
            return Duration.ofSeconds(30);
        }

        @Override
        public boolean reserve(Outbox.Lane lane) {
            int left = room.getOrDefault(lane.tool(), 0);
            if (left == 0) return false;
            room.put(lane.tool(), left - 1);
            reserved++;
            return true;
        }

        @Override
        public void settle(List<Outbox.Claimed> taken, List<Outbox.Lane> unused, boolean waiting) {
            this.taken.addAll(taken);
            this.unused.addAll(unused);
            this.waiting |= waiting;
        }
    }

    @Test
    void aRecordTakesForTheIntakeWhatItHasRoomForExactlyAsAClaimWould() {
        store.outbox().pause(new Outbox.Pause("acme", "github.comment", "ops", "incident", T));
        CountingIntake intake = new CountingIntake(Map.of("slack.post", 2, "github.comment", 5));
        store.outcomes().record("acme", "engine", 7, List.of(action("s1", "slack.post"), action("s2", "slack.post"),
                action("s3", "slack.post"), action("g1", "github.comment"), action("w1", "pagerduty.page")),
                a -> a.tool().equals("pagerduty.page") ? new Outbox.Placement(Outbox.State.AWAITING_APPROVAL, List.of("alice"))
                        : new Outbox.Placement(Outbox.State.PLANNED, List.of()), intake);
        Outbox o = store.outbox();
        assertEquals(List.of("s1", "s2"), intake.taken.stream().map(c -> c.row().actionId()).toList(), "as much as the lane has room for");
        for (Outbox.Claimed c : intake.taken) {
            assertEquals(o.get("acme", c.row().actionId()).orElseThrow(), c.row(), "the row handed over is the row stored");
            assertEquals(Outbox.State.SENDING, c.row().state());
            assertEquals(1, c.row().attempts());
            assertEquals(7, c.row().eventSequence());
        }
        assertEquals(2, intake.reserved, "a paused tool's action is not even offered");
        assertEquals(List.of(), intake.unused);
        assertTrue(intake.waiting, "s3 and g1 wait for a claim");
        assertEquals(Outbox.State.PLANNED, o.get("acme", "s3").orElseThrow().state());
        assertEquals(Outbox.State.PLANNED, o.get("acme", "g1").orElseThrow().state());
        assertEquals(Outbox.State.AWAITING_APPROVAL, o.get("acme", "w1").orElseThrow().state());

        // those taken are not claimed again while their lease runs; after it, taken over as unknown, like any claim
        Instant now = Instant.now().plusSeconds(1);
        assertEquals(List.of("s3"), o.claim(now, Duration.ofSeconds(30), 10, (lane, due) -> 5).stream().map(c -> c.row().actionId()).toList());
        List<Outbox.Claimed> over = o.claim(now.plusSeconds(31), Duration.ofSeconds(30), 10, (lane, due) -> 5);
        assertEquals(List.of("s1", "s2", "s3"), over.stream().map(c -> c.row().actionId()).sorted().toList());
        assertTrue(over.stream().allMatch(c -> c.takenOver() && c.row().attempts() == 2));

        // a replayed record takes nothing; decisions' actions are taken the same way
        CountingIntake again = new CountingIntake(Map.of("slack.post", 5));
        store.outcomes().record("acme", "engine", 8, List.of(action("s1", "slack.post")), LIVE, again);
        assertEquals(List.of(), again.taken);
        assertEquals(0, again.reserved);
        IntentRequest request = new IntentRequest("int-9", "ship", "dave", "", T, Map.of(), null);
        TimelineEntry.PlannedAction planned = new TimelineEntry.PlannedAction(T, "act-int-9", "slack.post", Map.of(), 0,
                new Provenance(Provenance.Kind.INTENT, "ship", null, List.of(), "int-9", "v1"));
        store.outcomes().recordDecisions("acme", List.of(new OutcomeStore.DecisionToRecord(request, new TimelineEntry.Decision(T, "int-9",
                "ship", "dave", "", Map.of(), TimelineEntry.Verdict.ALLOW, List.of(), List.of(planned), null, null, "v1"), 0)), LIVE, again);
        assertEquals(List.of("act-int-9"), again.taken.stream().map(c -> c.row().actionId()).toList());
        assertEquals(o.get("acme", "act-int-9").orElseThrow(), again.taken.getFirst().row());
    }

    @Test
    void aRecordThatRollsBackGivesEveryReservationBackAndTakesNothing() {
        CountingIntake intake = new CountingIntake(Map.of("slack.post", 5));
        Outbox.Admission failsOnTheSecond = a -> {
            if (a.actionId().equals("r2")) throw new IllegalStateException("admission broke");
            return new Outbox.Placement(Outbox.State.PLANNED, List.of());
        };
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> store.outcomes().record("acme", "engine", 1,
                List.of(action("r1", "slack.post"), action("r2", "slack.post")), failsOnTheSecond, intake));
        assertEquals(List.of(), intake.taken);
        assertEquals(List.of(new Outbox.Lane("acme", "slack.post")), intake.unused, "r1's reservation is given back");
        assertTrue(store.outbox().get("acme", "r1").isEmpty(), "nothing of the rolled back record is stored");
        assertEquals(0, store.outcomes().processed("acme", "engine"));
    }

    @Test
    void commandsApplyOnlyInTheirStates() {
        store.outcomes().record("acme", null, 0, List.of(action("c1", "slack.post")),
                a -> new Outbox.Placement(Outbox.State.AWAITING_APPROVAL, List.of("alice")));
        Outbox o = store.outbox();
        assertInstanceOf(Outbox.CommandResult.Conflict.class, o.command("acme", "c1", Outbox.Command.RETRY, "x", "", T));
        assertInstanceOf(Outbox.CommandResult.NotFound.class, o.command("beta", "c1", Outbox.Command.APPROVE, "alice", "ok", T));
        var approved = assertInstanceOf(Outbox.CommandResult.Applied.class, o.command("acme", "c1", Outbox.Command.APPROVE, "alice", "ok", T));
        assertEquals(Outbox.State.PLANNED, approved.row().state());
        assertEquals("alice", approved.row().decidedBy());
        assertEquals(T, approved.row().decidedAt());
        assertInstanceOf(Outbox.CommandResult.Conflict.class, o.command("acme", "c1", Outbox.Command.REJECT, "alice", "no", T));
        assertEquals(Outbox.State.CANCELLED, assertInstanceOf(Outbox.CommandResult.Applied.class,
                o.command("acme", "c1", Outbox.Command.CANCEL, "ops", "", T)).row().state());
        assertEquals(Outbox.State.PLANNED, assertInstanceOf(Outbox.CommandResult.Applied.class,
                o.command("acme", "c1", Outbox.Command.RETRY, "ops", "", T)).row().state());
    }

    @Test
    void erasingATenantErasesItsOutbox() {
        store.outcomes().record("acme", null, 0, List.of(action("e1", "slack.post")), LIVE);
        store.outbox().pause(new Outbox.Pause("acme", "slack.post", "", "", T));
        store.deleteTenant("acme");
        assertTrue(store.outbox().get("acme", "e1").isEmpty());
        assertTrue(store.outbox().pauses("acme").isEmpty());
    }
}
