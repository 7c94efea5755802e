package charter.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.ast.Span;
import charter.engine.intent.IntentRequest;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import charter.engine.store.OutcomeStore.Kind;
import charter.engine.store.OutcomeStore.OutputQuery;
import charter.engine.store.OutcomeStore.StoredDecision;
import charter.engine.store.OutcomeStore.StoredOutput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outcome store's contract (outputs, cursor, decisions), on SQLite and on PostgreSQL. */
class OutcomeStoreContractTest extends StoreContract {
    OutcomeStore outcomes;

    @BeforeEach
    void open() throws Exception {
        outcomes = store.outcomes();
    }

    private static final Instant T = Instant.parse("2026-03-02T08:00:00Z");
    private static final Span SPAN = new Span("rules.charter", 12, 1, 15, 2);

    private static TimelineEntry.PlannedAction action(String id, String eventId) {
        return new TimelineEntry.PlannedAction(T, id, "slack.post", Map.of("channel", "#incidents", "priority", 1.0), 0,
                new Provenance(Provenance.Kind.RULE, "page_on_failed_prod_deploy", SPAN, List.of(eventId), null, "sha-1"));
    }

    private static TimelineEntry.Violation violation(String eventId) {
        return new TimelineEntry.Violation(T.plusSeconds(900), "fatal_has_owner", "hard", "Fatal issues get an owner",
                "nobody took it", new Provenance(Provenance.Kind.INVARIANT, "fatal_has_owner", SPAN, List.of(eventId), null, "sha-1"));
    }

    private static TimelineEntry.RuleError error(String eventId) {
        return new TimelineEntry.RuleError(T, "pr_risk threw: boom",
                new Provenance(Provenance.Kind.RULE, "risky_pr_review", SPAN, List.of(eventId), null, "sha-1"));
    }

    @Test
    void outputsReadBackAsWrittenInRecordingOrderAndTheCursorMoves() {
        assertEquals(0, outcomes.processed("acme", "engine"));
        List<TimelineEntry> batch = List.of(action("act-1", "github:d-1"), violation("github:d-1"), error("github:d-2"));
        assertEquals(3, outcomes.record("acme", "engine", 2, batch));
        assertEquals(2, outcomes.processed("acme", "engine"));

        List<StoredOutput> all = outcomes.outputs("acme", new OutputQuery(null, null, 0, 100));
        assertEquals(List.of(batch.get(0), batch.get(1), batch.get(2)), all.stream().map(StoredOutput::entry).toList());
        assertEquals(List.of(1L, 2L, 3L), all.stream().map(StoredOutput::sequence).toList());
        assertTrue(all.stream().allMatch(o -> o.eventSequence() == 2));
        assertEquals("act-1", all.getFirst().outputId());
        assertEquals(batch.get(0), outcomes.output("acme", "act-1").orElseThrow().entry());

        assertEquals(List.of(batch.get(1)), outcomes.outputs("acme", new OutputQuery(Kind.VIOLATION, null, 0, 100))
                .stream().map(StoredOutput::entry).toList());
        assertEquals(List.of(batch.get(2)), outcomes.outputs("acme", new OutputQuery(null, "risky_pr_review", 0, 100))
                .stream().map(StoredOutput::entry).toList());
        assertEquals(List.of(3L), outcomes.outputs("acme", new OutputQuery(null, null, 2, 100))
                .stream().map(StoredOutput::sequence).toList());
    }

    @Test
    void anActionsApproversReadBackAsPlanned() {
        TimelineEntry.PlannedAction plain = action("act-9", "github:d-9");
        var waiting = new TimelineEntry.PlannedAction(plain.time(), plain.actionId(), plain.tool(), plain.args(), 0, plain.provenance(),
                List.of("team:platform", "alice"));
        outcomes.record("acme", "engine", 1, List.of(waiting));
        assertEquals(waiting, outcomes.output("acme", "act-9").orElseThrow().entry());
    }

    @Test
    void recordingTheSameOutputsAgainAddsNothing() {
        List<TimelineEntry> batch = List.of(action("act-1", "github:d-1"), violation("github:d-1"), error("github:d-1"));
        outcomes.record("acme", "engine", 1, batch);
        assertEquals(1, outcomes.record("acme", "engine", 2, List.of(batch.get(0), batch.get(1), action("act-2", "github:d-2"))));
        List<StoredOutput> all = outcomes.outputs("acme", new OutputQuery(null, null, 0, 100));
        assertEquals(4, all.size());
        assertEquals(List.of(1L, 2L, 3L, 4L), all.stream().map(StoredOutput::sequence).toList());
        assertEquals(2, outcomes.processed("acme", "engine"));
    }

    @Test
    void violationAndErrorKeysDependOnWhatTheyAreAbout() {
        assertEquals(OutputIds.of(violation("github:d-1")), OutputIds.of(violation("github:d-1")));
        assertNotEquals(OutputIds.of(violation("github:d-1")), OutputIds.of(violation("github:d-2")));
        assertNotEquals(OutputIds.of(error("github:d-1")), OutputIds.of(error("github:d-2")));
    }

    @Test
    void decisionsAndOverridesFormAnAuditLog() {
        IntentRequest req = new IntentRequest("int-1", "ship", "dana", "release", T, Map.of("target", "production"), null);
        TimelineEntry.Decision needs = new TimelineEntry.Decision(T, "int-1", "ship", "dana", "release", Map.of("target", "production"),
                TimelineEntry.Verdict.NEEDS_OVERRIDE, List.of(new TimelineEntry.Denial("no_friday", "soft", "No Friday deploys",
                "weekends", new Provenance(Provenance.Kind.INVARIANT, "no_friday", SPAN, List.of(), "int-1", "sha-1"))),
                List.of(), null, null, "sha-1");
        StoredDecision first = outcomes.recordDecision("acme", req, needs, 0);
        assertEquals(1, first.sequence());

        IntentRequest again = new IntentRequest("int-1", "ship", "dana", "release", T, Map.of("target", "production"),
                new TimelineEntry.Override("erin", "hotfix"));
        TimelineEntry.Decision allowed = new TimelineEntry.Decision(T, "int-1", "ship", "dana", "release", Map.of("target", "production"),
                TimelineEntry.Verdict.ALLOW, needs.denials(), List.of(action("act-9", "int-1")), again.override(), null, "sha-1");
        StoredDecision second = outcomes.recordDecision("acme", again, allowed, first.sequence());

        StoredDecision latest = outcomes.latestDecision("acme", "int-1").orElseThrow();
        assertEquals(second.sequence(), latest.sequence());
        assertEquals(allowed, latest.decision());
        assertEquals(again, latest.request());
        assertEquals(1, latest.overrides());
        assertEquals(List.of(1L, 2L), outcomes.decisions("acme", 0, 10).stream().map(StoredDecision::sequence).toList());
        assertEquals(needs, outcomes.decisions("acme", 0, 1).getFirst().decision());
        assertTrue(outcomes.latestDecision("acme", "int-2").isEmpty());
    }

    @Test
    void anotherTenantSeesNothingAndDeletingATenantErasesItsOutcomes() {
        outcomes.record("acme", "engine", 5, List.of(action("act-1", "github:d-1")));
        IntentRequest req = new IntentRequest("int-1", "ship", "dana", null, T, Map.of(), null);
        outcomes.recordDecision("acme", req, new TimelineEntry.Decision(T, "int-1", "ship", "dana", null, Map.of(),
                TimelineEntry.Verdict.ALLOW, List.of(), List.of(), null, null, "sha-1"), 0);

        assertTrue(outcomes.outputs("globex", new OutputQuery(null, null, 0, 100)).isEmpty());
        assertTrue(outcomes.output("globex", "act-1").isEmpty());
        assertTrue(outcomes.decisions("globex", 0, 100).isEmpty());
        assertTrue(outcomes.latestDecision("globex", "int-1").isEmpty());
        assertEquals(0, outcomes.processed("globex", "engine"));
        // the same idempotency key in another tenant is another output
        assertEquals(1, outcomes.record("globex", "engine", 1, List.of(action("act-1", "github:d-1"))));

        store.deleteTenant("acme");
        assertTrue(outcomes.outputs("acme", new OutputQuery(null, null, 0, 100)).isEmpty());
        assertTrue(outcomes.decisions("acme", 0, 100).isEmpty());
        assertEquals(0, outcomes.processed("acme", "engine"));
        assertEquals(1, outcomes.outputs("globex", new OutputQuery(null, null, 0, 100)).size());
    }
}
