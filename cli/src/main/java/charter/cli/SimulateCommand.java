package charter.cli;

import charter.cli.report.DiagnosticSet;
import charter.cli.report.Rejected;
import charter.cli.report.SimulationReport;
import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.engine.event.EventFileError;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.runtime.Simulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "simulate", description = {
        "Dry run: replay recorded events and intents through a Program.",
        "The clock is driven by the inputs' timestamps.",
        "Prints the timeline of planned actions, decisions and violations, each with its provenance, then a summary.",
        "Nothing is sent anywhere; the same inputs give byte-identical output.",
        "With --repo PATH --rev REV [--path P]: the Program at a Git revision; provenance carries the commit SHA."})
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    ProgramSource source;

    @Option(names = "--events", required = true, paramLabel = "FILE",
            description = "Canonical events, one JSON object a line (JSONL).")
    Path events;

    @Option(names = "--intents", paramLabel = "FILE",
            description = "Intents, one JSON object a line: {\"id\",\"intent\",\"actor\",\"time\",\"params\"}.")
    Path intents;

    @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Run the clock to this ISO-8601 instant (reporting deadlines that pass before it) and ignore later inputs.")
    Instant at;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        Programs.requireFile(events, "events file");
        if (intents != null) Programs.requireFile(intents, "intents file");
        Compilation c = source.compile();
        if (!c.ok()) return report.emit(Rejected.diagnostics("simulate", source.label(), Programs.diagnostics(c)));
        CompiledProgram program = c.program();

        EventFileResult read = new EventFileReader().read(events);
        List<EventFileError> errors = new ArrayList<>(read.errors());
        List<IntentRequest> requests = List.of();
        if (intents != null) {
            IntentFileReader.Result readIntents = new IntentFileReader(program).read(intents);
            errors.addAll(readIntents.errors());
            requests = readIntents.intents();
        }
        if (!errors.isEmpty()) return report.emit(new Rejected("simulate", source.label(), DiagnosticSet.EMPTY, errors));
        return report.emit(new SimulationReport(new Simulator().run(program, read.events(), requests, at), null));
    }
}
