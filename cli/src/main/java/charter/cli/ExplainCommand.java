package charter.cli;

import charter.cli.report.DiagnosticSet;
import charter.cli.report.ExplainReport;
import charter.cli.report.Rejected;
import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileError;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.explain.ExplainException;
import charter.engine.explain.Explanation;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.reference.Explainer;
import charter.engine.store.EventStore;
import charter.engine.store.StoreException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "explain", description = {
        "Why a rule fired or did not for an event, why an invariant denied an intent or did not, or why a",
        "state invariant (every … has …) was violated for an event, on the inputs `charter simulate` takes.",
        "Shows each condition with its value on the events it was checked on (true, false, or missing),",
        "each window with its bounds, the nearest events that almost matched, and for an intent every guard.",
        "  charter explain DIR RULE --event ID --events FILE",
        "  charter explain DIR INVARIANT --intent ID --intents FILE [--events FILE]",
        "  charter explain DIR RULE --event ID --from-store [--data DIR]",
        "The verdict is the reference interpreter's; it exits 0 whatever the verdict, 1 on bad input."})
final class ExplainCommand implements Callable<Integer> {
    @Mixin
    ProgramSource source;

    @Parameters(index = "1", paramLabel = "ID", description = "The rule or invariant to explain.")
    String id;

    @Option(names = "--event", paramLabel = "ID", description = "The event to explain it for (a rule, or an every … has … invariant).")
    String event;

    @Option(names = "--intent", paramLabel = "ID", description = "The intent to explain it for (a deny guard).")
    String intent;

    @Option(names = "--events", paramLabel = "FILE", description = "Canonical events, one JSON object a line (JSONL).")
    Path events;

    @Option(names = "--from-store", description = "Read the stored event log (see --data, --tenant, --since) instead of --events.")
    boolean fromStore;

    @Option(names = "--since", paramLabel = "TIME", converter = InstantConverter.class,
            description = "With --from-store: only stored events at or after this ISO-8601 instant.")
    Instant since;

    @Mixin
    StoreOptions store;

    @Option(names = "--intents", paramLabel = "FILE", description = "Intents, one JSON object a line, as `charter simulate` reads them.")
    Path intents;

    @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
            description = "End the run at this ISO-8601 instant, as `charter simulate --at` does: later windows are not decided.")
    Instant at;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        if ((event == null) == (intent == null)) {
            throw new UserError(event == null ? "say what to explain it for: --event ID or --intent ID"
                    : "give either --event ID or --intent ID, not both");
        }
        if (fromStore && events != null) throw new UserError("give either --events FILE or --from-store, not both");
        if (event != null && !fromStore && events == null) {
            throw new UserError("missing the events: give --events FILE, or --from-store to read the stored log");
        }
        if (intent != null && intents == null) throw new UserError("missing the intents: give --intents FILE");
        if (since != null && !fromStore) throw new UserError("--since reads the store: use it with --from-store");
        if (events != null) Programs.requireFile(events, "events file");
        if (intents != null) Programs.requireFile(intents, "intents file");
        // Reading a long recording takes about as long as compiling the Program: the two run side by side.
        FutureTask<EventFileResult> reading = null;
        if (events != null) {
            Path file = events;
            reading = new FutureTask<>(() -> new EventFileReader().read(file));
            Thread.ofPlatform().daemon(true).name("charter-read-events").start(reading);
        }
        // The reference interpreter runs no Drools: stop before the KieBase build.
        Compilation c = source.compile(ProgramCompiler.Stage.LINKED);
        if (!c.ok()) return report.emit(Rejected.diagnostics("explain", source.label(), Programs.diagnostics(c)));
        CompiledProgram program = c.program();

        List<EventFileError> errors = new ArrayList<>();
        List<CanonicalEvent> replayed = List.of();
        if (fromStore) {
            try (EventStore s = store.openExisting()) {
                replayed = s.events(store.tenant(), new EventStore.EventQuery(since, null, null, 0, Integer.MAX_VALUE))
                        .stream().map(EventStore.StoredEvent::event).toList();
            } catch (StoreException e) {
                throw new UserError(e.getMessage());
            }
        } else if (reading != null) {
            EventFileResult read = result(reading);
            errors.addAll(read.errors());
            replayed = read.events();
        }
        List<IntentRequest> requests = List.of();
        if (intents != null) {
            IntentFileReader.Result readIntents = new IntentFileReader(program).read(intents);
            errors.addAll(readIntents.errors());
            requests = readIntents.intents();
        }
        if (!errors.isEmpty()) return report.emit(new Rejected("explain", source.label(), DiagnosticSet.EMPTY, errors));
        Explanation.Question question = event != null
                ? new Explanation.Question(id, Explanation.SubjectKind.EVENT, event)
                : new Explanation.Question(id, Explanation.SubjectKind.INTENT, intent);
        try {
            return report.emit(new ExplainReport(new Explainer().explain(program, replayed, requests, at, question)));
        } catch (ExplainException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** What the task returned; what it threw, thrown here as it was. */
    private static <T> T result(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the events", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }
}
