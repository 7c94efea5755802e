package charter.cli;

import charter.cli.report.SimulationReport;
import charter.compiler.Compilation;
import charter.compiler.diag.DiagnosticRenderer;
import charter.engine.event.EventFileReader;
import charter.engine.intent.IntentFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.runtime.Simulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", description = {
        "Show what the example Program would have done with real recorded events.",
        "Replays the embedded example Program (acme) against its recorded webhook events as a dry run",
        "and prints the timeline and a summary. Needs no files; works from any folder."})
final class DemoCommand implements Callable<Integer> {
    static final String EXAMPLE = "acme";

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() throws IOException {
        try (ExampleProgram example = ExampleProgram.materialise(EXAMPLE, DemoCommand.class.getClassLoader())) {
            Compilation c = Programs.compile(example.dir());
            if (!c.ok()) {
                // The example ships with Charter: if it does not compile, that is Charter's bug, not the user's.
                DiagnosticRenderer renderer = new DiagnosticRenderer(c.sources());
                var first = c.diagnostics().stream().filter(charter.compiler.diag.Diagnostic::isError).findFirst().orElseThrow();
                throw new IllegalStateException("the embedded example Program does not compile (" + c.errorCount()
                        + " errors; first: " + first.span() + ": " + first.message() + ")\n"
                        + c.diagnostics().stream().map(renderer::render).collect(Collectors.joining()));
            }
            EventFileResult events;
            try (InputStream in = Files.newInputStream(example.events())) {
                events = new EventFileReader().read(ExampleProgram.EVENTS, in);
            }
            if (!events.ok()) {
                throw new IllegalStateException("the embedded example's events are malformed: " + events.errors().getFirst());
            }
            var intents = new IntentFileReader(c.program()).read(example.intents());
            if (!intents.errors().isEmpty()) {
                throw new IllegalStateException("the embedded example's intents are malformed: " + intents.errors().getFirst());
            }
            var result = new Simulator().run(c.program(), events.events(), intents.intents(), null);
            return report.emit(new SimulationReport(result, new SimulationReport.Demo(EXAMPLE, ExampleProgram.EVENTS)));
        }
    }
}
