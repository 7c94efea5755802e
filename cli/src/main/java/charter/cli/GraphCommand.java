package charter.cli;

import charter.cli.report.GraphReport;
import charter.cli.report.Rejected;
import charter.compiler.Compilation;
import charter.engine.store.EventStore;
import charter.engine.store.StoreException;
import charter.engine.store.TruthPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "graph", description = {
        "An entity of the graph: its current attribute values, every claim (value, source, time, event),",
        "its relations in both directions, and the events that back them.",
        "KEY alone finds every entity with that key (a commit SHA is a commit, and a release or deployment may share it);",
        "a prefix of 4 or more characters works when nothing matches exactly."})
final class GraphCommand implements Callable<Integer> {
    @Parameters(paramLabel = "KEY", description = "The entity's key: a commit SHA, acme/api#42, ENG-123, dpl_…")
    String key;

    @Option(names = "--type", paramLabel = "T", description = "Only the entity of this type (commit, pull_request, linear_issue …).")
    String type;

    @Option(names = "--program", paramLabel = "DIR",
            description = "Resolve current values with this Program's truth declarations (default: the latest claim wins).")
    Path program;

    @Mixin
    StoreOptions store;

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        TruthPolicy truth = TruthPolicy.latestWins();
        if (program != null) {
            Compilation c = Programs.compile(program);
            if (!c.ok()) return report.emit(Rejected.diagnostics("graph", program.toString(), Programs.diagnostics(c)));
            truth = TruthPolicy.of(c.program());
        }
        String tenant = store.tenant();
        try (EventStore s = store.openExisting()) {
            List<EventStore.EntityView> views = type != null
                    ? s.entity(tenant, type, key).map(List::of).orElse(List.of())
                    : s.findEntities(tenant, key);
            if (views.isEmpty()) {
                throw new UserError("no entity " + (type == null ? "" : "of type " + type + " ") + "with key " + key
                        + " in tenant " + tenant + " (" + store.data() + ")");
            }
            List<GraphReport.Node> nodes = new ArrayList<>();
            for (EventStore.EntityView v : views) {
                nodes.add(new GraphReport.Node(v, truth.resolve(v.claims()), s.citations(tenant, v.type(), v.key())));
            }
            return report.emit(new GraphReport(tenant, store.data(), key, type, truth.toString(), nodes));
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
    }
}
