package charter.cli;

import charter.gitsync.GitProgramException;
import charter.gitsync.ProgramRepository;
import charter.gitsync.ProgramSnapshot;

import charter.cli.render.DiffText;
import charter.cli.render.JsonRenderer;
import charter.cli.render.Rendered;
import charter.cli.render.TextRenderer;
import charter.cli.report.CommandResult;
import charter.cli.report.DiagnosticSet;
import charter.cli.report.DiffReport;
import charter.cli.report.Rejected;
import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileError;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.impact.ChangeReport;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "diff", description = {
        "What changed in the rules between two Program versions, and what would have happened differently.",
        "The semantic diff lists rules, invariants, intents, people, teams, significance, truth and functions",
        "added, removed, renamed and changed; formatting, comments and reordering are no change.",
        "With --events and/or --intents, both versions replay them (no side effects) and the impact is reported:",
        "actions added and removed, decisions that flip, violations that appear or vanish, with examples.",
        "Exits 0 whatever the differences; 1 when a version does not compile or an input file is malformed."})
final class DiffCommand implements Callable<Integer>, Main.OwnExitCodes {
    @Parameters(index = "0", paramLabel = "A", description = "The Program before the change: a folder with charter.yaml, or with --repo a revision.")
    String before;

    @Parameters(index = "1", paramLabel = "B", description = "The Program after the change: a folder, or with --repo a revision.")
    String after;

    @Option(names = "--repo", paramLabel = "PATH", description = "Compare two revisions of the Program in this Git repository (A and B are revisions: main, v1.2, HEAD~1, a SHA).")
    Path repo;

    @Option(names = "--path", paramLabel = "P", description = "With --repo: the Program folder inside the repository (default: the one holding charter.yaml).")
    String path;

    @Option(names = "--events", paramLabel = "FILE", description = "Canonical events (JSONL) to replay through both versions.")
    Path events;

    @Option(names = "--intents", paramLabel = "FILE", description = "Intents (JSONL) to decide with both versions.")
    Path intents;

    @Option(names = "--from-store", description = "Replay the stored event log (see --data, --tenant, --since) through both versions.")
    boolean fromStore;

    @Option(names = "--since", paramLabel = "TIME", converter = InstantConverter.class,
            description = "With --from-store: only stored events at or after this ISO-8601 instant.")
    java.time.Instant since;

    @Mixin
    StoreOptions store;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "5",
            description = "Examples shown per kind of difference (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|markdown|json",
            description = "text for a terminal, markdown for a pull-request comment, json for machines (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--detailed-exitcode",
            description = "Exit 0 when nothing would change, 2 when the Programs or their replays differ, 1 on an error (as terraform plan).")
    boolean detailedExitcode;

    @Option(names = "--fail-on", split = ",", paramLabel = "KIND[,KIND…]", converter = FailOnConverter.class,
            description = "Exit 3 when the impact analysis shows any of: decisions-flipped, actions-removed, actions-added, "
                    + "actions-changed, violations-appeared, errors-appeared (needs --events, --intents or --from-store).")
    List<DiffReport.FailOn> failOn = new ArrayList<>();

    @Spec
    CommandSpec spec;

    enum Format { text, markdown, json }

    /** `--fail-on decisions-flipped`: the labels users type, with a did-you-mean for the rest. */
    static final class FailOnConverter implements picocli.CommandLine.ITypeConverter<DiffReport.FailOn> {
        @Override
        public DiffReport.FailOn convert(String value) {
            for (DiffReport.FailOn kind : DiffReport.FailOn.values()) {
                if (kind.label().equals(value)) return kind;
            }
            List<String> labels = java.util.Arrays.stream(DiffReport.FailOn.values()).map(DiffReport.FailOn::label).toList();
            String hint = charter.compiler.diag.Suggestions.closest(value, labels).map(s -> "did you mean `" + s + "`? ").orElse("");
            throw new picocli.CommandLine.TypeConversionException("unknown kind `" + value + "`; " + hint + "one of " + String.join(", ", labels));
        }
    }

    /** With --detailed-exitcode, 2 means "changes", so every error is 1 (as terraform plan). */
    @Override
    public int internalErrorCode() {
        return detailedExitcode ? Main.USER_ERROR : Main.INTERNAL_ERROR;
    }

    @Override
    public Integer call() {
        if (events != null) Programs.requireFile(events, "events file");
        if (intents != null) Programs.requireFile(intents, "intents file");
        if (examples < 0) throw new UserError("--examples must be 0 or more, got " + examples);
        if (fromStore && events != null) throw new UserError("give either --events FILE or --from-store, not both");
        if (since != null && !fromStore) throw new UserError("--since reads the store: use it with --from-store");
        if (!failOn.isEmpty() && events == null && intents == null && !fromStore) {
            throw new UserError("--fail-on judges the impact analysis: give --events, --intents or --from-store");
        }
        List<CanonicalEvent> stored = fromStore ? storedEvents() : null;
        if (repo == null) {
            if (path != null) throw new UserError("--path goes with --repo PATH");
            return emit(diff(Programs.read(Path.of(before)), before, null, Programs.read(Path.of(after)), after, null,
                    stored, events, intents, examples));
        }
        try (ProgramRepository r = ProgramRepository.open(repo)) {
            ProgramSnapshot a = r.snapshot(before, path);
            ProgramSnapshot b = r.snapshot(after, path);
            return emit(diff(a.files(), before, a.sha(), b.files(), after, b.sha(), stored, events, intents, examples));
        } catch (GitProgramException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * The whole command on two Program versions already read, wherever from (folders here;
     * a repository at two revisions for `--repo`): compile both, diff, and replay the inputs.
     */
    private List<CanonicalEvent> storedEvents() {
        try (charter.engine.store.EventStore s = store.openExisting()) {
            return s.events(store.tenant(), new charter.engine.store.EventStore.EventQuery(since, null, null, 0, Integer.MAX_VALUE))
                    .stream().map(charter.engine.store.EventStore.StoredEvent::event).toList();
        } catch (charter.engine.store.StoreException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * @param versionA the commit SHA when read from Git (it becomes the Program version), else null for the content hash
     * @param stored   events replayed from the store, or null
     */
    static CommandResult diff(ProgramFiles a, String sourceA, String versionA, ProgramFiles b, String sourceB, String versionB,
                              List<CanonicalEvent> stored, Path events, Path intents, int examples) {
        ProgramCompiler compiler = new ProgramCompiler(Catalog.standard());
        Compilation ca = compiler.compile(a);
        if (!ca.ok()) return Rejected.diagnostics("diff", sourceA, Programs.diagnostics(ca));
        Compilation cb = compiler.compile(b);
        if (!cb.ok()) return Rejected.diagnostics("diff", sourceB, Programs.diagnostics(cb));
        CompiledProgram before = versionA == null ? ca.program() : ca.program().withVersion(versionA);
        CompiledProgram after = versionB == null ? cb.program() : cb.program().withVersion(versionB);

        List<CanonicalEvent> canonical = null;
        List<IntentRequest> requests = null;
        if (stored != null || events != null || intents != null) {
            List<EventFileError> errors = new ArrayList<>();
            canonical = stored != null ? stored : List.of();
            if (events != null) {
                EventFileResult read = new EventFileReader().read(events);
                errors.addAll(read.errors());
                canonical = read.events();
            }
            requests = List.of();
            if (intents != null) {
                // Read against the new version; a file written for the old one (an intent since removed or
                // changed) is read against the old one instead.
                IntentFileReader.Result read = new IntentFileReader(after).read(intents);
                if (!read.errors().isEmpty()) {
                    IntentFileReader.Result old = new IntentFileReader(before).read(intents);
                    if (old.errors().isEmpty()) read = old;
                }
                errors.addAll(read.errors());
                requests = read.intents();
            }
            if (!errors.isEmpty()) return new Rejected("diff", sourceB, DiagnosticSet.EMPTY, errors);
        }
        return new DiffReport(ChangeReport.between(sourceA, before, sourceB, after, canonical, requests, examples));
    }

    private int emit(CommandResult result) {
        if (result instanceof DiffReport r) result = new DiffReport(r.result(), new DiffReport.ExitPolicy(detailedExitcode, java.util.Set.copyOf(failOn)));
        if (result instanceof DiffReport r) {
            for (String failure : r.failures()) spec.commandLine().getErr().println("charter diff: failing: " + failure);
        }
        Rendered rendered = switch (format) {
            case json -> new JsonRenderer().render(result);
            case markdown -> result instanceof DiffReport r ? Rendered.out(new DiffText(true).render(r)) : new TextRenderer().render(result);
            case text -> new TextRenderer().render(result);
        };
        return ReportOptions.write(spec, rendered, result);
    }
}
