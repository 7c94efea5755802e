package charter.server;

import charter.compiler.CompiledProgram;
import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Diagnostic;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.ingest.IngestReport;
import charter.engine.ingest.Ingestor;
import charter.engine.ingest.LabeledDelivery;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.LiveEngine;
import charter.engine.runtime.SignificanceScorer;
import charter.engine.store.EventStore;
import charter.gitsync.GitProgramException;
import charter.gitsync.ProgramRepository;
import charter.gitsync.ProgramWatcher;
import charter.gitsync.WatchEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One tenant at run time: its live Program (from a folder, or followed on a Git branch by a
 * {@link ProgramWatcher}), its {@link Ingestor} (with the tenant's webhook secrets and the Program's
 * significance), its {@link LiveEngine} (one thread, the tenant's events in log order), its
 * decisions, and the outputs the engine reported.
 *
 * <p>Ingest holds the tenant's lock from the append to the hand-off to the engine, so the engine
 * sees the tenant's events exactly in log order; the append itself is durable (committed) before
 * the webhook is acknowledged. Running the Program is asynchronous: the acknowledgement does not
 * wait for it.
 */
final class Tenant implements AutoCloseable {
    static final int MAX_OUTPUTS = 10_000;
    static final Duration RETENTION = Duration.ofDays(1);

    final String name;
    final ServerConfig.TenantConfig config;
    final DecisionLog decisions = new DecisionLog();
    private final EventStore store;
    private final LiveEngine engine;
    private final ProgramWatcher watcher;
    private final ScheduledExecutorService ticker;
    private final Object ingestLock = new Object();
    private final ArrayDeque<TimelineEntry> outputs = new ArrayDeque<>();
    private volatile CompiledProgram program;
    private volatile Ingestor ingestor;
    private volatile Instant liveSince = Instant.now();

    Tenant(ServerConfig.TenantConfig config, EventStore store, Map<Path, CompiledProgram> compiled) {
        this.name = config.name();
        this.config = config;
        this.store = store;
        if (config.program() != null) {
            this.watcher = null;
            this.program = compiled.computeIfAbsent(config.program().toAbsolutePath().normalize(), Tenant::compileFolder);
        } else {
            this.watcher = openWatcher(config);
            this.program = watcher.live().orElseThrow().program();
        }
        this.ingestor = ingestorFor(program);
        this.engine = new LiveEngine(program, Instant.now(), this::output, RETENTION);
        if (watcher != null) {
            watcher.onSwap((prev, next) -> {
                engine.swap(next.program()).get(60, TimeUnit.SECONDS);
                synchronized (ingestLock) {
                    program = next.program();
                    ingestor = ingestorFor(program);
                    liveSince = next.since();
                }
            });
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true).name("charter-tick-" + name).unstarted(r));
        // Deadlines fall on the wall clock: move the engine's clock every second.
        ticker.scheduleWithFixedDelay(() -> engine.tick(Instant.now()), 1, 1, TimeUnit.SECONDS);
    }

    /** Starts following the branch (a no-op for a folder Program). */
    void startWatching(Duration interval) {
        if (watcher != null) watcher.start(interval);
    }

    private static CompiledProgram compileFolder(Path dir) {
        if (!Files.isDirectory(dir)) throw new ServerConfig.ConfigException("the Program folder " + dir + " does not exist");
        Compilation c;
        try {
            c = new ProgramCompiler(Catalog.standard()).compile(ProgramFiles.fromDirectory(dir));
        } catch (ProgramFiles.NoSuchProgramException e) {
            throw new ServerConfig.ConfigException(e.getMessage());
        }
        if (c.program() == null) {
            throw new ServerConfig.ConfigException("the Program in " + dir + " does not compile: "
                    + c.diagnostics().stream().filter(Diagnostic::isError).limit(3).map(d -> (d.span() == null ? "" : d.span() + ": ") + d.message()).collect(Collectors.joining("; ")));
        }
        return c.program();
    }

    private ProgramWatcher openWatcher(ServerConfig.TenantConfig c) {
        try {
            boolean remote = c.repo().contains("://") || c.repo().startsWith("git@");
            ProgramRepository repo = remote
                    ? ProgramRepository.clone(c.repo(), Files.createTempDirectory("charter-" + c.name() + "-repo-"))
                    : ProgramRepository.open(Path.of(c.repo()));
            ProgramWatcher w = new ProgramWatcher(repo, c.branch(), c.path(), remote);
            List<WatchEvent> first = w.refresh();
            if (w.live().isEmpty()) {
                throw new ServerConfig.ConfigException("tenant `" + c.name() + "`: no Program is live from " + c.repo() + " branch " + c.branch() + ": "
                        + first.stream().flatMap(e -> e.reasons().stream()).limit(3).collect(Collectors.joining("; ")));
            }
            return w;
        } catch (GitProgramException | java.io.IOException e) {
            throw new ServerConfig.ConfigException("tenant `" + c.name() + "`: " + e.getMessage());
        }
    }

    private Ingestor ingestorFor(CompiledProgram p) {
        Ingestor.Builder b = Ingestor.builder(store).scorer(SignificanceScorer.of(p)).onAppended(this::appended);
        config.secrets().forEach(b::secret);
        return b.build();
    }

    /** Called under the ingest lock, right after the append committed: hand it to the engine, in log order. */
    private void appended(CanonicalEvent event) {
        engine.submit(event);
    }

    boolean serves(String source) {
        return config.secrets().containsKey(source);
    }

    IngestReport ingest(LabeledDelivery delivery) {
        synchronized (ingestLock) {
            return ingestor.ingest(name, List.of(delivery));
        }
    }

    CompiledProgram program() {
        return program;
    }

    Instant liveSince() {
        return liveSince;
    }

    LiveEngine engine() {
        return engine;
    }

    /** The repository the Program is followed in, or null for a folder Program. */
    ProgramRepository repository() {
        return watcher == null ? null : watcher.repository();
    }

    /** The watcher's history (accepted and rejected commits), empty for a folder Program. */
    List<WatchEvent> history() {
        return watcher == null ? List.of() : watcher.history();
    }

    private void output(TimelineEntry e) {
        if (e instanceof TimelineEntry.Decision) return; // decisions are recorded by the intent endpoint
        synchronized (outputs) {
            outputs.addLast(e);
            while (outputs.size() > MAX_OUTPUTS) outputs.removeFirst();
        }
    }

    List<TimelineEntry> outputs() {
        synchronized (outputs) {
            return List.copyOf(outputs);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        if (watcher != null) watcher.close();
        engine.close();
    }
}
