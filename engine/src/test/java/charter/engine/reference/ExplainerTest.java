package charter.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileReader;
import charter.engine.explain.ExplainException;
import charter.engine.explain.Explanation;
import charter.engine.explain.Explanation.Question;
import charter.engine.explain.Explanation.SubjectKind;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The library entry point on the acme Program and its recording: a counting rule, and every question it refuses. */
class ExplainerTest {
    private static CompiledProgram acme;
    private static List<CanonicalEvent> events;
    private static List<IntentRequest> intents;
    private final Explainer explainer = new Explainer();

    @BeforeAll
    static void compileAcme() throws Exception {
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(ProgramFiles.fromDirectory(AcmeReferenceTest.ACME));
        assertTrue(c.ok(), () -> c.diagnostics().toString());
        acme = c.program();
        events = new EventFileReader().read(AcmeReferenceTest.ACME.resolve("events.jsonl")).events();
        intents = new IntentFileReader(acme).read(AcmeReferenceTest.ACME.resolve("intents.jsonl")).intents();
    }

    private Explanation explain(String id, SubjectKind kind, String subject, Instant at) {
        return explainer.explain(acme, events, intents, at, new Question(id, kind, subject));
    }

    @Test
    void aCountingRuleShowsTheEventsItsWindowHeldAndFiresWithEachOfThem() {
        for (String id : List.of("vercel-000198", "vercel-000201", "vercel-000204")) {
            Explanation x = explain("prod_deploy_error_burst", SubjectKind.EVENT, id, null);
            assertEquals(Explanation.Verdict.FIRED, x.verdict(), x.reason());
            assertEquals(List.of("vercel-000198", "vercel-000201", "vercel-000204"), x.occurrences().getFirst().eventIds());
        }
        Explanation alone = explain("prod_deploy_error_burst", SubjectKind.EVENT, "vercel-000100", null);
        assertEquals(Explanation.Verdict.DID_NOT_FIRE, alone.verdict());
        assertEquals("the count 1 is not >= 3", alone.reason());
        // Cut before the third error, the same event has not made the rule fire yet.
        Explanation early = explain("prod_deploy_error_burst", SubjectKind.EVENT, "vercel-000198", Instant.parse("2026-03-11T15:40:00Z"));
        assertEquals(Explanation.Verdict.DID_NOT_FIRE, early.verdict());
        assertTrue(early.steps().getFirst().note().startsWith("2 matching events"), early.steps().getFirst().note());
    }

    @Test
    void questionsItCannotAnswerSayWhatToGiveInstead() {
        assertRefused("the Program has no rule or invariant `escalate_unasigned_fatal`; did you mean `escalate_unassigned_fatal`?",
                () -> explain("escalate_unasigned_fatal", SubjectKind.EVENT, "sentry-000151", null));
        assertRefused("no event `sentry-00151` in the events (307 read); did you mean `sentry-000151`?",
                () -> explain("escalate_unassigned_fatal", SubjectKind.EVENT, "sentry-00151", null));
        assertRefused("no intent `int-04` in the intents (9 read); did you mean `int-004`?",
                () -> explain("no_deploy_during_fatal", SubjectKind.INTENT, "int-04", null));
        assertRefused("rule `escalate_unassigned_fatal` reacts to events, not intents: explain it for an event (--event ID)",
                () -> explain("escalate_unassigned_fatal", SubjectKind.INTENT, "int-004", null));
        assertRefused("invariant `no_deploy_during_fatal` guards the `ship` intent: explain it for an intent (--intent ID), not an event",
                () -> explain("no_deploy_during_fatal", SubjectKind.EVENT, "sentry-000151", null));
        assertRefused("`ship` is an intent: explain one of the invariants that guard it, with --intent ID (every guard of the intent is listed)",
                () -> explain("ship", SubjectKind.INTENT, "int-004", null));
        assertRefused("event `sentry-000151` at 2026-03-10T14:05:00Z is after the end of the run (2026-03-03T00:00:00Z)",
                () -> explain("escalate_unassigned_fatal", SubjectKind.EVENT, "sentry-000151", Instant.parse("2026-03-03T00:00:00Z")));
        assertRefused("no intent `int-001`: no intents were given (--intents FILE)",
                () -> explainer.explain(acme, events, List.of(), null, new Question("no_deploy_during_fatal", SubjectKind.INTENT, "int-001")));
    }

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, assertThrows(ExplainException.class, call).getMessage());
    }
}
