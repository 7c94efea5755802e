package charter.cli;

import charter.cli.report.EventsReport;
import charter.engine.store.EventStore;
import charter.engine.store.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "events", description = {
        "The stored canonical events, in log order (the order they were ingested).",
        "Filters combine: --since (event time), --type, --source; --limit caps how many."})
final class EventsCommand implements Callable<Integer> {
    @Option(names = "--since", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Only events at or after this ISO-8601 instant (event time).")
    Instant since;

    @Option(names = "--type", paramLabel = "T", description = "Only this event type, e.g. github.push.")
    String type;

    @Option(names = "--source", paramLabel = "S", description = "Only this source: github, vercel, linear or sentry.")
    String source;

    @Option(names = "--limit", paramLabel = "N", description = "At most N events (default: all).")
    Integer limit;

    @Mixin
    StoreOptions store;

    @Mixin
    ReportOptions report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit != null && limit < 0) throw new UserError("--limit must be 0 or more, got " + limit);
        EventStore.EventQuery query = new EventStore.EventQuery(since, type, source, 0, limit == null ? Integer.MAX_VALUE : limit);
        try (EventStore s = store.openExisting()) {
            int code = report.emit(new EventsReport(store.tenant(), store.data(), query, s.events(store.tenant(), query)));
            // A log the store knows to be short of what it acknowledged is not a clean read.
            List<EventStore.Fault> faults = s.faults().stream().filter(f -> f.tenant() == null || f.tenant().equals(store.tenant())).toList();
            for (EventStore.Fault f : faults) spec.commandLine().getErr().println("charter: the store is not sound: " + f.message());
            spec.commandLine().getErr().flush();
            return faults.isEmpty() ? code : Main.USER_ERROR;
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
    }
}
