package charter.cli;

import charter.cli.report.CatalogReport;
import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.CatalogSearch;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "catalog", description = {
        "What a Program can use: the event types of each source with their fields, the entity types with their attributes,",
        "and the tools actions call, with their arguments.",
        "  charter catalog                      every entry, by source",
        "  charter catalog vercel               the event types of one source (or of a prefix: github.pull_request)",
        "  charter catalog sentry.issue.created one entry in full: fields and types, entities, default significance",
        "  charter catalog --search \"deploy failed\"   entries matching every word, in names, descriptions and fields"})
final class CatalogCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "An event type, entity type or tool (exact), a source, or a prefix of event types.")
    String name;

    @Option(names = "--search", paramLabel = "WORDS", description = "Entries matching every word (any case).")
    String search;

    @Option(names = "--kind", paramLabel = "event|entity|tool", description = "Only entries of this kind.")
    Kind kind;

    enum Kind { event, entity, tool }

    @Mixin
    ReportOptions report;

    @Override
    public Integer call() {
        CatalogSearch catalog = new CatalogSearch(Catalog.standard());
        if (name != null && search != null) throw new UserError("give a NAME or --search, not both");
        if (search != null) {
            if (search.isBlank()) throw new UserError("--search needs at least one word");
            List<CatalogSearch.Hit> hits = catalog.search(search).stream().filter(h -> ofKind(h.entry())).toList();
            return report.emit(new CatalogReport(new CatalogReport.View.Search(search, hits)));
        }
        if (name == null) {
            List<CatalogSearch.Entry> all = catalog.all().stream().filter(this::ofKind).toList();
            return report.emit(new CatalogReport(new CatalogReport.View.Listing(kind == null ? "" : kind.name(), all)));
        }
        var exact = catalog.lookup(name);
        if (exact.isPresent()) return report.emit(new CatalogReport(new CatalogReport.View.One(exact.get())));
        List<CatalogSearch.Entry> under = catalog.under(name).stream().filter(this::ofKind).toList();
        if (!under.isEmpty()) return report.emit(new CatalogReport(new CatalogReport.View.Listing(name, under)));
        String hint = catalog.closest(name).map(s -> "; did you mean `" + s + "`?").orElse("");
        throw new UserError("the catalog has no `" + name + "`" + hint + " (charter catalog --search WORDS finds entries by words)");
    }

    private boolean ofKind(CatalogSearch.Entry entry) {
        return kind == null || entry.kind().equals(kind.name());
    }
}
