package charter.cli;

import charter.cli.report.DiagnosticSet;
import charter.cli.report.Rejected;
import charter.cli.report.SimulationReport;
import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileError;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.reference.ReferenceSimulator;
import charter.engine.runtime.Simulator;
import charter.engine.store.EventStore;
import charter.engine.store.StoreException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "simulate", description = {
        "Dry run: replay recorded events (--events FILE, or the stored log with --from-store) and intents through a Program.",
        "The clock is driven by the inputs' timestamps.",
        "Prints the timeline of planned actions, decisions and violations, each with its provenance, then a summary.",
        "Nothing is sent anywhere; the same inputs give byte-identical output.",
        "With --repo PATH --rev REV [--path P]: the Program at a Git revision; provenance carries the commit SHA."})
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    ProgramSource source;

    @Option(names = "--events", paramLabel = "FILE",
            description = "Canonical events, one JSON object a line (JSONL).")
    Path events;

    @Option(names = "--from-store",
            description = "Replay the stored event log (see --data, --tenant, --since) instead of --events.")
    boolean fromStore;

    @Option(names = "--since", paramLabel = "TIME", converter = InstantConverter.class,
            description = "With --from-store: only stored events at or after this ISO-8601 instant.")
    Instant since;

    @Mixin
    StoreOptions store;

    @Option(names = "--intents", paramLabel = "FILE",
            description = "Intents, one JSON object a line: {\"id\",\"intent\",\"actor\",\"time\",\"params\"}.")
    Path intents;

    @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Run the clock to this ISO-8601 instant (reporting deadlines that pass before it) and ignore later inputs.")
    Instant at;

    /** Which implementation runs the Program: the compiled Drools path, or the reference interpreter (a test oracle). */
    enum Engine { compiled, reference }

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "compiled",
            description = "compiled (the Drools engine, default) or reference: the naive reference interpreter the "
                    + "differential tests check the engine against, to debug a surprise (slow on long histories).")
    Engine engine;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        if (fromStore == (events != null)) {
            throw new UserError(fromStore ? "give either --events FILE or --from-store, not both"
                    : "missing the events: give --events FILE, or --from-store to replay the stored log");
        }
        if (since != null && !fromStore) throw new UserError("--since reads the store: use it with --from-store");
        if (events != null) Programs.requireFile(events, "events file");
        if (intents != null) Programs.requireFile(intents, "intents file");
        // The reference interpreter runs no Drools: it needs the Program only up to the link pass.
        Compilation c = source.compile(engine == Engine.reference ? ProgramCompiler.Stage.LINKED : ProgramCompiler.Stage.BUILT);
        if (!c.ok()) return report.emit(Rejected.diagnostics("simulate", source.label(), Programs.diagnostics(c)));
        CompiledProgram program = c.program();

        List<CanonicalEvent> replayed;
        List<EventFileError> errors = new ArrayList<>();
        if (fromStore) {
            try (EventStore s = store.openExisting()) {
                replayed = s.events(store.tenant(), new EventStore.EventQuery(since, null, null, 0, Integer.MAX_VALUE))
                        .stream().map(EventStore.StoredEvent::event).toList();
            } catch (StoreException e) {
                throw new UserError(e.getMessage());
            }
        } else {
            EventFileResult read = new EventFileReader().read(events);
            errors.addAll(read.errors());
            replayed = read.events();
        }
        List<IntentRequest> requests = List.of();
        if (intents != null) {
            IntentFileReader.Result readIntents = new IntentFileReader(program).read(intents);
            errors.addAll(readIntents.errors());
            requests = readIntents.intents();
        }
        if (!errors.isEmpty()) return report.emit(new Rejected("simulate", source.label(), DiagnosticSet.EMPTY, errors));
        var result = switch (engine) {
            case compiled -> new Simulator().run(program, replayed, requests, at);
            case reference -> new ReferenceSimulator().run(program, replayed, requests, at);
        };
        return report.emit(new SimulationReport(result, null));
    }
}
