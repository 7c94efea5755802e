package charter.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.intent.IntentFileReader;
import charter.engine.result.SimulationResult;
import charter.engine.runtime.Simulator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example company's Program on its recorded first week: the reference interpreter agrees with the compiled path. */
class AcmeReferenceTest {
    static final Path ACME = Path.of("../program-examples/acme");

    @Test
    void referenceAgreesOnTheAcmeRecording() throws Exception {
        CompiledProgram program = new ProgramCompiler(Catalog.standard()).compile(ProgramFiles.fromDirectory(ACME)).program();
        EventFileResult events = new EventFileReader().read(ACME.resolve("events.jsonl"));
        var intents = new IntentFileReader(program).read(ACME.resolve("intents.jsonl"));
        assertEquals(List.of(), events.errors());
        // The first week: the naive interpreter re-reads the whole history at every step, and a week
        // already holds every kind of incident the recording scripts.
        // Without the opened pull requests: they go through a JavaScript function (pr_risk), and the
        // reference does not yet record a failing function as a rule error the way the engine does.
        var week = events.events().subList(0, Math.min(150, events.events().size())).stream()
                .filter(e -> !e.type().equals("github.pull_request.opened")).toList();
        java.time.Instant until = week.getLast().time();
        SimulationResult compiled = new Simulator().run(program, week, intents.intents(), until);
        SimulationResult reference = new ReferenceSimulator().run(program, week, intents.intents(), until);
        assertEquals("", Outcomes.diff(Outcomes.lines(compiled, false), Outcomes.lines(reference, false)));
    }
}
