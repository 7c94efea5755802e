package charter.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileReader;
import charter.engine.explain.Explanation;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.runtime.Simulator;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Program explain and `simulate --engine reference` compile (up to the link pass, no
 * KieBase): the reference interpreter gives the same results on it as on the fully built
 * Program, and the Drools engine refuses it with a message instead of failing somewhere inside.
 */
class LinkedProgramTest {
    private static CompiledProgram linked;
    private static CompiledProgram built;
    private static List<CanonicalEvent> week;
    private static List<IntentRequest> intents;
    private static Instant until;

    @BeforeAll
    static void compileAcmeBothWays() throws Exception {
        ProgramFiles files = ProgramFiles.fromDirectory(AcmeReferenceTest.ACME);
        ProgramCompiler compiler = new ProgramCompiler(Catalog.standard());
        linked = compiler.compile(files, ProgramCompiler.Stage.LINKED).program();
        built = compiler.compile(files).program();
        var events = new EventFileReader().read(AcmeReferenceTest.ACME.resolve("events.jsonl"));
        assertEquals(List.of(), events.errors());
        // The first week, without the JavaScript-scored pull requests (as AcmeReferenceTest).
        week = events.events().subList(0, Math.min(150, events.events().size())).stream()
                .filter(e -> !e.type().equals("github.pull_request.opened")).toList();
        intents = new IntentFileReader(linked).read(AcmeReferenceTest.ACME.resolve("intents.jsonl")).intents();
        until = week.getLast().time();
    }

    @AfterAll
    static void close() {
        linked.functions().close();
        built.functions().close();
    }

    @Test
    void theDroolsEngineRefusesAProgramWithoutItsKieBase() {
        assertFalse(linked.runnable());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Simulator().run(linked, week, intents, until));
        assertTrue(e.getMessage().contains("without its Drools KieBase"), e.getMessage());
    }

    @Test
    void theReferenceInterpreterGivesTheSameRunOnTheLinkedProgram() {
        var onLinked = new ReferenceSimulator().run(linked, week, intents, until);
        var onBuilt = new ReferenceSimulator().run(built, week, intents, until);
        assertEquals("", Outcomes.diff(Outcomes.lines(onBuilt, false), Outcomes.lines(onLinked, false)));
        assertFalse(Outcomes.lines(onBuilt, false).isEmpty(), "the week produces outputs to compare");
    }

    @Test
    void explainGivesTheSameExplanationOnTheLinkedProgram() {
        Explainer explainer = new Explainer();
        int asked = 0;
        for (Decl.RuleDecl rule : linked.drl().core().typed().program().rules()) {
            String type = switch (rule.when().getFirst()) {
                case Condition.Match m -> m.pattern().type().name();
                case Condition.Absent a -> a.pattern().type().name();
                case Condition.Count k -> k.pattern().type().name();
            };
            for (CanonicalEvent e : week) {
                if (!e.type().equals(type)) continue;
                var question = new Explanation.Question(rule.name().text(), Explanation.SubjectKind.EVENT, e.id());
                assertEquals(explainer.explain(built, week, intents, until, question),
                        explainer.explain(linked, week, intents, until, question), question.toString());
                asked++;
                break;
            }
        }
        assertTrue(asked >= 5, "asked " + asked);
    }
}
