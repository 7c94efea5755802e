package charter.gitsync;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Diagnostic;
import charter.engine.scenario.ScenarioError;
import charter.engine.scenario.ScenarioOutcome;
import charter.engine.scenario.TestReport;
import charter.gitsync.GitProgramException.Kind;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Follows a branch and keeps the last good Program live.
 *
 * <p>On every {@link #refresh()} (called by the poll timer of {@link #start}, and by a
 * server on a push webhook) it fetches when the repository is a clone, reads the
 * branch tip, and takes each new commit in order (the first-parent chain from the last
 * tip seen; a merge commit is one step, evaluated as its tree): read the Program at the
 * commit, compile it, run its scenarios as a gate, and only then swap the live Program
 * in one {@link AtomicReference#set}. A commit that has no Program, does not compile
 * (nesting too deep for the compiler included) or fails a scenario is
 * {@link WatchEvent.Kind#REJECTED rejected} with its reasons, once, and the last good
 * Program stays live; a scenario's JavaScript that will not stop fails that scenario
 * (see {@code JsFunctions}). A commit whose objects cannot be read (a missing or damaged
 * object) is not judged: an {@link WatchEvent.Kind#ERROR error} is recorded and the commit
 * is taken again at the next refresh, so it goes live once the object is restored. A branch whose new tip does not descend from the last
 * one seen (a force-push) is recorded as {@link WatchEvent.Kind#REWRITTEN} and its new
 * tip is taken as a new commit. Nothing here throws at the caller: every failure
 * becomes an entry of {@link #history()}.
 */
public final class ProgramWatcher implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProgramWatcher.class);

    /** A Program that is live: it compiled and passed its scenarios at {@code commit}. */
    public record Live(CompiledProgram program, ProgramCommit commit, String folder, Instant since) {}

    /**
     * Called with the previous live Program (null at first) and the new one, after the reference is set.
     * A listener that throws refuses the swap: the previous Program is live again and the commit is
     * recorded {@link WatchEvent.Kind#REJECTED rejected}, its reason starting with {@link #SWAP_FAILED}
     * (the listeners after it are not called; a server has one).
     */
    @FunctionalInterface
    public interface SwapListener {
        void swapped(Live previous, Live next) throws Exception;
    }

    /** How many commits one refresh evaluates at most; older pending ones are skipped (and said so). */
    static final int MAX_PENDING = 50;
    /** How the reason of a commit that compiled and passed, but that a swap listener could not put live, starts. */
    public static final String SWAP_FAILED = "could not be swapped in: ";

    private final ProgramRepository repository;
    private final String branch;
    private final String path;
    private final boolean fetch;
    private final ProgramCompiler compiler = new ProgramCompiler(Catalog.standard());
    private final AtomicReference<Live> live = new AtomicReference<>();
    private final List<WatchEvent> history = new CopyOnWriteArrayList<>();
    private final List<Consumer<WatchEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<SwapListener> swapListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private ObjectId lastSeen;
    private ProgramSnapshot liveSnapshot;
    private String since;
    private volatile ScheduledExecutorService timer;

    /**
     * @param path  the Program folder, or null to find the one holding charter.yaml at each commit
     * @param fetch fetch from {@code origin} before each refresh (a clone made by {@link ProgramRepository#clone})
     */
    public ProgramWatcher(ProgramRepository repository, String branch, String path, boolean fetch) {
        this(repository, branch, path, fetch, Clock.systemUTC());
    }

    ProgramWatcher(ProgramRepository repository, String branch, String path, boolean fetch, Clock clock) {
        this.repository = Objects.requireNonNull(repository);
        this.branch = Objects.requireNonNull(branch);
        this.path = path;
        this.fetch = fetch;
        this.clock = clock;
    }

    /** Each history entry, as it is recorded (on the refreshing thread). */
    public ProgramWatcher onEvent(Consumer<WatchEvent> listener) {
        listeners.add(listener);
        return this;
    }

    /** Called after each swap, e.g. to hand the Program to a {@code LiveEngine}; a failure is recorded, never thrown. */
    public ProgramWatcher onSwap(SwapListener listener) {
        swapListeners.add(listener);
        return this;
    }

    /**
     * The first refresh starts at {@code rev} (it must be on the branch's first-parent
     * chain) and takes every commit from it to the tip, instead of the tip alone.
     */
    public ProgramWatcher since(String rev) {
        this.since = rev;
        return this;
    }

    /** The repository followed (for reading other revisions of the Program: a diff, a dry run). */
    public ProgramRepository repository() {
        return repository;
    }

    /** The live Program, or empty when no commit has been accepted yet. Never half-swapped. */
    public Optional<Live> live() {
        return Optional.ofNullable(live.get());
    }

    /** Every event so far, oldest first. */
    public List<WatchEvent> history() {
        return List.copyOf(history);
    }

    /** Polls every {@code interval} on a daemon thread, starting now. */
    public synchronized void start(Duration interval) {
        if (timer != null) throw new IllegalStateException("already started");
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "charter-watch-" + branch);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refreshQuietly, 0, Math.max(1, interval.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException | Error e) {
            LOG.error("the watcher of branch {} failed; it polls again", branch, e);
            record(new WatchEvent(WatchEvent.Kind.ERROR, now(), null, List.of("internal error: " + e), liveSha(), null));
        }
    }

    /** Looks at the branch now and takes every new commit; returns the events this refresh recorded. */
    public synchronized List<WatchEvent> refresh() {
        int before = history.size();
        try {
            refreshOrThrow();
        } catch (GitProgramException e) {
            error(e.getMessage());
        } catch (IOException e) {
            error(repository.corrupt(e).getMessage());
        }
        return List.copyOf(history.subList(before, history.size()));
    }

    private void refreshOrThrow() throws GitProgramException, IOException {
        if (fetch) repository.fetch();
        Ref ref = repository.repository().exactRef(Constants.R_HEADS + branch);
        if (ref == null || ref.getObjectId() == null) {
            List<String> branches = repository.branches();
            String hint = charter.compiler.diag.Suggestions.closest(branch, branches).map(s -> "; did you mean `" + s + "`?")
                    .orElse(branches.isEmpty() ? "; the repository has no branches yet" : " (branches: " + String.join(", ", branches) + ")");
            throw new GitProgramException(Kind.UNKNOWN_REVISION, "no branch `" + branch + "` in " + repository.display() + hint);
        }
        ObjectId tip = ref.getObjectId();
        if (tip.equals(lastSeen)) return;
        boolean firstLook = lastSeen == null && since == null;
        List<RevCommit> pending = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repository.repository())) {
            RevCommit head = walk.parseCommit(tip);
            ObjectId stop = lastSeen;
            boolean inclusive = false;
            if (stop == null && since != null) {
                stop = repository.resolveId(since);
                inclusive = true;
                since = null;
            }
            if (stop == null) {
                pending.add(head);
            } else if (descends(walk, head, stop)) {
                // The first-parent chain from the tip back to the last commit seen.
                RevCommit c = head;
                while (c != null && !c.equals(stop)) {
                    pending.add(c);
                    c = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
                }
                if (inclusive && c != null) pending.add(c);
                Collections.reverse(pending);
            } else {
                record(new WatchEvent(WatchEvent.Kind.REWRITTEN, now(), ProgramRepository.commit(head),
                        List.of("branch `" + branch + "` was rewritten: " + stop.abbreviate(7).name() + " is no longer on it; taking "
                                + head.abbreviate(7).name() + " as a new commit"), liveSha(), null));
                pending.add(head);
            }
        }
        if (pending.size() > MAX_PENDING) {
            List<RevCommit> skipped = pending.subList(0, pending.size() - MAX_PENDING);
            record(new WatchEvent(WatchEvent.Kind.ERROR, now(), ProgramRepository.commit(skipped.getLast()),
                    List.of(skipped.size() + " older pending commits skipped; evaluating the newest " + MAX_PENDING), liveSha(), null));
            pending = new ArrayList<>(pending.subList(pending.size() - MAX_PENDING, pending.size()));
        }
        for (RevCommit c : pending) {
            take(c);
            lastSeen = c;   // a commit that could not be read stops the refresh before this: it is taken again next time
        }
        if (firstLook && live.get() == null) fallBackToLastGood(tip);
        lastSeen = tip;
    }

    /**
     * On the first look, a tip that does not pass leaves nothing live; the newest commit before it
     * (along first parents, at most {@link #MAX_PENDING} back) that passes goes live instead. The
     * tip stays rejected, and a later commit is taken as usual.
     */
    private void fallBackToLastGood(ObjectId tip) throws IOException, GitProgramException {
        try (RevWalk walk = new RevWalk(repository.repository())) {
            RevCommit c = walk.parseCommit(tip);
            for (int i = 0; i < MAX_PENDING && live.get() == null && c.getParentCount() > 0; i++) {
                c = walk.parseCommit(c.getParent(0));
                take(c);
            }
        }
    }

    /** Whether {@code tip} descends from {@code old} along first parents; false when {@code old} is gone (a rewrite). */
    private static boolean descends(RevWalk walk, RevCommit tip, ObjectId old) throws IOException {
        RevCommit c = tip;
        int steps = 0;
        try {
            while (c != null && steps++ < 100_000) {
                if (c.equals(old)) return true;
                c = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
            }
        } catch (MissingObjectException e) {
            return false;
        }
        return false;
    }

    /**
     * Reads, compiles, gates and (when good) swaps one commit.
     *
     * @throws GitProgramException when the repository cannot be read at that commit (an object is
     *         missing): the commit is not judged, and is taken again at the next refresh
     */
    private void take(RevCommit c) throws GitProgramException {
        ProgramCommit commit = ProgramRepository.commit(c);
        long t0 = System.nanoTime();
        ProgramSnapshot snapshot;
        try {
            snapshot = repository.snapshot(c.getName(), path);
        } catch (GitProgramException e) {
            if (e.kind() == Kind.CORRUPT) throw e;
            reject(commit, List.of(e.getMessage()));
            return;
        }
        if (liveSnapshot != null && sameProgram(liveSnapshot, snapshot)) {
            record(new WatchEvent(WatchEvent.Kind.UNCHANGED, now(), commit,
                    List.of("the Program is the same as at " + liveSnapshot.commit().shortSha()), liveSha(), null));
            return;
        }
        long t1 = System.nanoTime();
        Compilation compilation;
        try {
            compilation = GitPrograms.compile(compiler, snapshot);
        } catch (RuntimeException e) {
            reject(commit, List.of("the compiler failed: " + e));
            return;
        } catch (StackOverflowError e) {
            // Nesting deeper than the compiler's stack: the commit is rejected once, not retried at every poll.
            reject(commit, List.of("the Program is nested too deeply to compile"));
            return;
        }
        if (!compilation.ok() || compilation.program() == null) {
            List<String> reasons = new ArrayList<>();
            for (Diagnostic d : compilation.diagnostics()) if (d.isError()) reasons.add(describe(snapshot.folder(), d));
            reject(commit, reasons);
            return;
        }
        CompiledProgram program = compilation.program();
        long t2 = System.nanoTime();
        TestReport tests;
        try {
            tests = GitPrograms.runScenarios(program, snapshot);
        } catch (RuntimeException e) {
            program.functions().close();
            reject(commit, List.of("the scenarios could not run: " + e));
            return;
        } catch (StackOverflowError e) {
            program.functions().close();
            reject(commit, List.of("the scenarios could not run: the Program is nested too deeply"));
            return;
        }
        if (!tests.passed() || !tests.errors().isEmpty()) {
            program.functions().close();
            reject(commit, failures(snapshot.folder(), tests));
            return;
        }
        long t3 = System.nanoTime();
        Live next = new Live(program, commit, snapshot.folder(), now());
        Live previous = live.getAndSet(next);
        ProgramSnapshot previousSnapshot = liveSnapshot;
        liveSnapshot = snapshot;
        for (SwapListener l : swapListeners) {
            try {
                l.swapped(previous, next);
            } catch (Exception e) {
                // The listener (a server's engine) still runs the previous Program: so does the watcher, and the
                // commit is recorded as failed, with why. The listener logs it with its own context (the tenant).
                live.set(previous);
                liveSnapshot = previousSnapshot;
                reject(commit, List.of(SWAP_FAILED + ProgramRepository.message(e) + "; "
                        + (previous == null ? "no Program is live" : previous.commit().shortSha() + " stays live")));
                return;
            }
        }
        long t4 = System.nanoTime();
        int passed = tests.scenarios().size();
        record(new WatchEvent(WatchEvent.Kind.ACCEPTED, now(), commit, List.of(), commit.sha(),
                new WatchEvent.Timings(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t4 - t0), passed)));
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private void reject(ProgramCommit commit, List<String> reasons) {
        record(new WatchEvent(WatchEvent.Kind.REJECTED, now(), commit, reasons.isEmpty() ? List.of("rejected") : reasons, liveSha(), null));
    }

    private void error(String message) {
        // A repeated failure (the same message at every poll) is recorded once.
        if (!history.isEmpty()) {
            WatchEvent last = history.getLast();
            if (last.kind() == WatchEvent.Kind.ERROR && last.reasons().equals(List.of(message))) return;
        }
        record(new WatchEvent(WatchEvent.Kind.ERROR, now(), null, List.of(message), liveSha(), null));
    }

    private void record(WatchEvent event) {
        history.add(event);
        for (Consumer<WatchEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                // a listener's failure must not stop the watcher
                LOG.error("a watch listener failed on {} event of branch {}: {}", event.kind(), branch, e.toString(), e);
            }
        }
    }

    private String liveSha() {
        Live l = live.get();
        return l == null ? null : l.commit().sha();
    }

    private Instant now() {
        return clock.instant();
    }

    static boolean sameProgram(ProgramSnapshot a, ProgramSnapshot b) {
        return a.folder().equals(b.folder()) && sameBytes(a.files().files(), b.files().files())
                && a.files().oversized().equals(b.files().oversized()) && sameBytes(a.scenarios(), b.scenarios());
    }

    private static boolean sameBytes(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (var e : a.entrySet()) if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) return false;
        return true;
    }

    /** A diagnostic as one line: {@code folder/file:line:col: error[CODE]: message (did you mean …?)}. */
    static String describe(String folder, Diagnostic d) {
        String where = d.span() == null ? (folder.isEmpty() ? "." : folder)
                : (folder.isEmpty() ? "" : folder + "/") + d.span().file() + ":" + d.span().line() + ":" + d.span().column();
        return where + ": " + d.severity().name().toLowerCase(java.util.Locale.ROOT) + "[" + d.code().id() + "]: " + d.message()
                + (d.suggestion() == null ? "" : " (did you mean `" + d.suggestion() + "`?)");
    }

    static List<String> failures(String folder, TestReport tests) {
        String prefix = folder.isEmpty() ? "" : folder + "/";
        List<String> out = new ArrayList<>();
        for (ScenarioOutcome o : tests.scenarios()) {
            if (o.passed()) continue;
            out.add("scenario " + prefix + o.file() + " (" + o.name() + ") failed: " + String.join("; ", o.differences()));
        }
        for (ScenarioError e : tests.errors()) out.add(prefix + e.file() + ":" + e.line() + ":" + e.column() + ": " + e.message());
        return out;
    }

    @Override
    public void close() {
        ScheduledExecutorService timer = this.timer;
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
