package charter.server;

import charter.compiler.CompiledProgram;
import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Diagnostic;
import charter.compiler.load.ProgramFiles;
import charter.engine.ingest.IngestReport;
import charter.engine.ingest.Ingestor;
import charter.engine.ingest.PersonIdentity;
import charter.engine.ingest.LabeledDelivery;
import charter.engine.runtime.LiveEngine;
import charter.engine.runtime.SignificanceScorer;
import charter.engine.store.EventStore;
import charter.engine.store.OutcomeStore;
import charter.engine.store.Outbox;
import charter.compiler.load.ActionPolicy;
import charter.gitsync.GitProgramException;
import charter.gitsync.ProgramRepository;
import charter.gitsync.ProgramWatcher;
import charter.gitsync.WatchEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import charter.engine.event.CanonicalEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One tenant at run time: its live Program (from a folder, or followed on a Git branch by a
 * {@link ProgramWatcher}), its {@link Ingestor} (with the tenant's webhook secrets and the Program's
 * significance), its {@link LiveEngine} (one thread, the tenant's events in log order), and the
 * threads around it: the {@link GroupCommitter}s that group-commit webhooks into the durable log
 * and decisions into the audit log, and the {@link LogConsumer} that runs the Program on the log
 * and records what it reported. A webhook is acknowledged when its batch committed; running the Program on it is
 * asynchronous and survives a crash (see LogConsumer).
 */
final class Tenant implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Tenant.class);

    final String name;
    private final FailureLog failures;
    final ServerConfig.TenantConfig config;
    private final EventStore store;
    private final EventStore reader;
    /** Intent ids being decided right now: a second request for the same id waits for none of them, it is refused. */
    private final Set<String> deciding = ConcurrentHashMap.newKeySet();
    private final ProgramWatcher watcher;
    private volatile Pipeline pipeline;
    /** Pushes of the Program's repository not yet covered by a refresh. */
    private final AtomicInteger refreshRequests = new AtomicInteger();
    private volatile CompiledProgram program;
    private volatile Ingestor ingestor;
    private volatile Instant liveSince = Instant.now();
    /** The tenant's search index, kept up to its log. */
    private final SearchFeeder search;
    /** Told of each Program swapped in (the MCP endpoint changes its tool list). */
    private final List<java.util.function.Consumer<CompiledProgram>> swapListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param store  the store every write goes to
     * @param reader a second connection to the same store, from which the log consumer reads, so
     *               reading the log does not hold up appends to it
     */
    /** The dispatcher's intake: new actions are taken as they are recorded. */
    private final Outbox.Intake intake;

    /**
     * @param searchFolder where this tenant's search index lives
     * @param intake       the dispatcher's ({@link Outbox.Intake#NONE} when nothing is carried out), given the
     *                     actions as outputs and decisions are recorded
     */
    Tenant(ServerConfig.TenantConfig config, EventStore store, EventStore reader, FailureLog failures, Path searchFolder,
           Outbox.Intake intake) {
        this.intake = intake;
        this.name = config.name();
        this.failures = failures;
        this.config = config;
        this.store = store;
        this.reader = reader;
        if (config.program() != null) {
            this.watcher = null;
            // Compiled for this tenant alone, even when another names the same folder: nothing compiled
            // (JavaScript contexts and their threads included) is shared between tenants.
            this.program = compileFolder(config.program().toAbsolutePath().normalize());
        } else {
            this.watcher = openWatcher(config);
            this.program = watcher.live().orElseThrow().program();
        }
        this.ingestor = ingestorFor(program);
        this.search = new SearchFeeder(name, reader, charter.engine.search.SearchIndex.open(name, searchFolder), failures);
        try {
            this.pipeline = startPipeline();
        } catch (RuntimeException e) {
            if (watcher != null) watcher.close();
            search.close();
            throw e;
        }
        if (watcher != null) {
            watcher.onSwap((prev, next) -> {
                try {
                    pipeline.engine().swap(next.program()).get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failures.failed(name, FailureLog.Kind.SWAP, "commit " + next.commit().sha() + " could not be swapped in; "
                            + (prev == null ? "no" : "commit " + prev.commit().sha() + "'s") + " Program still runs", e);
                    throw e;
                }
                program = next.program();
                ingestor = ingestorFor(program);
                liveSince = next.since();
                for (var listener : swapListeners) {
                    try {
                        listener.accept(next.program());
                    } catch (RuntimeException e) {
                        LOG.error("tenant={} a listener of Program swaps failed on commit {}", name, next.commit().sha(), e);
                    }
                }
            });
            watcher.onEvent(this::watched);
        }
    }

    /** What the watcher recorded, in the log: a commit live, rejected, or the branch unreadable. */
    private void watched(WatchEvent e) {
        String commit = e.commit() == null ? "" : "commit " + e.commit().sha() + " ";
        switch (e.kind()) {
            case ACCEPTED -> LOG.info("tenant={} {}is live{}", name, commit, e.reasons().isEmpty() ? "" : " (" + String.join("; ", e.reasons()) + ")");
            // a swap that failed was logged, with its exception, by the swap listener above
            case REJECTED -> {
                if (e.reasons().getFirst().startsWith(ProgramWatcher.SWAP_FAILED)) LOG.debug("tenant={} {}{}", name, commit, e.reasons());
                else failures.failed(name, FailureLog.Kind.REJECTED, commit + "rejected: " + String.join("; ", e.reasons()));
            }
            case ERROR -> failures.failed(name, FailureLog.Kind.WATCH, "branch " + config.branch() + " of " + config.repo() + ": "
                    + String.join("; ", e.reasons()));
            default -> LOG.debug("tenant={} watcher: {} {}{}", name, e.kind(), commit, e.reasons());
        }
    }

    /** The engine and the two threads around it; rebuilt from the store when the tenant's data is erased. */
    private record Pipeline(LiveEngine engine, LogConsumer consumer,
                            GroupCommitter<Ingestor.Checked, IngestReport> deliveries,
                            GroupCommitter<OutcomeStore.DecisionToRecord, OutcomeStore.StoredDecision> decisions) implements AutoCloseable {
        @Override
        public void close() {
            deliveries.close();   // first: no new delivery is taken, those waiting are committed
            decisions.close();
            consumer.close();
            engine.close();
        }
    }

    private Pipeline startPipeline() {
        LogConsumer[] sink = new LogConsumer[1];   // the engine reports to the consumer, which needs the engine
        LiveEngine engine = new LiveEngine(name, program, Instant.now(), e -> sink[0].collect(e), (since, upTo) -> sink[0].processed(since, upTo));
        try {
            sink[0] = new LogConsumer(name, reader, store.outcomes(), engine, LiveEngine.retention(program, Duration.ZERO), failures,
                    this::admission, intake);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        LogConsumer consumer = sink[0];
        var deliveries = new GroupCommitter<Ingestor.Checked, IngestReport>("charter-commit-" + name, batch -> {
            IngestReport report = ingestor.append(name, batch);
            if (!report.accepted().isEmpty()) {
                consumer.appended(acceptedEvents(batch, report));
                search.appended();
            }
            Map<String, IngestReport> perDelivery = report.perDelivery();
            return batch.stream().map(d -> perDelivery.get(d.label())).toList();
        }, Ingestor.DEFAULT_BATCH, () -> { }, (e, n) -> commitFailed("deliveries", n, e));
        var decisions = new GroupCommitter<OutcomeStore.DecisionToRecord, OutcomeStore.StoredDecision>("charter-decisions-" + name,
                batch -> store.outcomes().recordDecisions(name, batch, admission(), intake), 500, () -> { }, (e, n) -> commitFailed("decisions", n, e));
        return new Pipeline(engine, consumer, deliveries, decisions);
    }

    /** A group commit failed: each of its requests was answered 503 (retry). */
    private void commitFailed(String what, int requests, RuntimeException e) {
        failures.failed(name, FailureLog.Kind.STORE, "a group commit of " + requests + " " + what + " failed; each was answered 503", e);
    }

    /** The events of a committed batch that went into the log (not the duplicates), in log order. */
    private static List<CanonicalEvent> acceptedEvents(List<Ingestor.Checked> batch, IngestReport report) {
        Set<String> accepted = new HashSet<>();
        for (IngestReport.Accepted a : report.accepted()) accepted.add(a.eventId());
        List<CanonicalEvent> events = new ArrayList<>(accepted.size());
        for (Ingestor.Checked c : batch) {
            if (c instanceof Ingestor.Ready r && accepted.remove(r.ingested().normalised().event().id())) {
                events.add(r.ingested().normalised().event());
            }
        }
        return events;
    }

    /**
     * Erases everything the tenant has in the store (log, graph, outputs, decisions, positions) and
     * starts a fresh engine on the live Program. A webhook or decision that arrives meanwhile is
     * refused with 503 (retry), and lands in the new, empty log once the pipeline is back.
     */
    synchronized void erase() {
        pipeline.close();
        store.deleteTenant(name);
        search.erased();
        pipeline = startPipeline();
    }

    /** Starts following the branch (a no-op for a folder Program). */
    void startWatching() {
        if (watcher != null) watcher.start(config.pollInterval());
    }

    /**
     * A GitHub push was accepted: when it comes from the Program's own repository, fetch and swap
     * now rather than at the next poll. The refresh runs off the request thread; pushes that arrive
     * while one runs are covered by it or by the one after.
     */
    void pushed(byte[] body) {
        if (watcher == null || config.githubRepository() == null) return;
        String repository;
        try {
            repository = CharterServer.JSON.readTree(body).path("repository").path("full_name").asText("");
        } catch (java.io.IOException e) {
            return;   // it was accepted, so it parses; nothing to refresh otherwise
        }
        if (!repository.equalsIgnoreCase(config.githubRepository())) return;
        if (refreshRequests.getAndIncrement() > 0) return;   // the running refresh goes round once more for it
        Thread.ofVirtual().name("charter-refresh-" + name).start(() -> {
            int served;
            do {
                served = refreshRequests.get();
                try {
                    watcher.refresh();   // accepted or rejected commits land in the watcher's history (and the log)
                } catch (RuntimeException e) {
                    failures.failed(name, FailureLog.Kind.WATCH, "refresh after a push to " + config.githubRepository()
                            + " failed; the next poll retries", e);
                }
            } while (refreshRequests.addAndGet(-served) > 0);
        });
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
        Ingestor.Builder b = Ingestor.builder(store).scorer(SignificanceScorer.of(p)).identity(PersonIdentity.of(p));
        config.secrets().forEach(b::secret);
        return b.build();
    }

    boolean serves(String source) {
        return config.secrets().containsKey(source);
    }

    /** Completes once the delivery is durable in the log (or refused); see {@link DeliveryCommitter}. */
    CompletableFuture<IngestReport> ingest(LabeledDelivery delivery) {
        // verified and normalised here, on the request's thread; only the append is the writer's
        Ingestor.Checked checked = ingestor.check(delivery);
        if (checked instanceof Ingestor.Refused r) {
            return CompletableFuture.completedFuture(new IngestReport(List.of(), List.of(), List.of(r.rejection()), List.of()));
        }
        return pipeline.deliveries().submit(checked);
    }

    /** Completes once the decision (and the actions it plans) is in the audit log. */
    CompletableFuture<OutcomeStore.StoredDecision> record(OutcomeStore.DecisionToRecord decision) {
        return pipeline.decisions().submit(decision);
    }

    /**
     * Claims an intent id while it is decided and recorded; false when another request holds it.
     * Release it with {@link #released}.
     */
    boolean claim(String intentId) {
        return deciding.add(intentId);
    }

    void released(String intentId) {
        deciding.remove(intentId);
    }

    OutcomeStore outcomes() {
        return store.outcomes();
    }

    Outbox outbox() {
        return store.outbox();
    }

    /**
     * How the live Program places each planned action in the outbox: see {@link ApprovalAdmission}.
     */
    Outbox.Admission admission() {
        return new ApprovalAdmission(program.manifest().actions());
    }

    /** How far the Program has run on the log (the last event sequence whose outputs are recorded). */
    long eventsReread() {
        return pipeline.consumer().reread();
    }

    long processedSequence() {
        return pipeline.consumer().position();
    }

    /** The last failure of the log consumer (a store outage; it retries), or null. */
    Throwable consumerFailure() {
        return pipeline.consumer().lastFailure();
    }

    int webhooksWaiting() {
        return pipeline.deliveries().waiting();
    }

    CompiledProgram program() {
        return program;
    }

    Instant liveSince() {
        return liveSince;
    }

    LiveEngine engine() {
        return pipeline.engine();
    }

    /** Calls {@code listener} with each Program swapped in from now on (on the watcher's thread). */
    void onProgramSwap(java.util.function.Consumer<CompiledProgram> listener) {
        swapListeners.add(listener);
    }

    /**
     * The live Program's files: the live commit's tree for a Program followed in Git, the folder as it
     * is now for a folder Program (compiled when the server started).
     */
    ProgramFiles programFiles() {
        try {
            if (watcher == null) return ProgramFiles.fromDirectory(config.program().toAbsolutePath().normalize());
            ProgramWatcher.Live live = watcher.live().orElseThrow();
            return watcher.repository().read(live.commit().sha(), live.folder());
        } catch (ProgramFiles.NoSuchProgramException | GitProgramException e) {
            throw new CharterServer.ApiError(503, "program_unreadable", "the live Program's files cannot be read right now: " + e.getMessage(), e);
        }
    }

    /** The repository the Program is followed in, or null for a folder Program. */
    ProgramRepository repository() {
        return watcher == null ? null : watcher.repository();
    }

    /** The watcher's history (accepted and rejected commits), empty for a folder Program. */
    List<WatchEvent> history() {
        return watcher == null ? List.of() : watcher.history();
    }

    @Override
    public void close() {
        if (watcher != null) watcher.close();
        pipeline.close();
        search.close();
    }

    /** The tenant's own search index. */
    charter.engine.search.SearchIndex searchIndex() {
        return search.index();
    }
}
