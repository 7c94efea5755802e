package charter.server;

import charter.engine.search.SearchIndex;
import charter.engine.search.SearchIndexer;
import charter.engine.store.EventStore;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one tenant's search index up to its log: a consumer of the log of its own, beside the
 * engine's, woken when webhooks are appended (and once a second anyway). It starts from the
 * index's own position, so an index that was missing or unreadable is refilled from the log.
 */
final class SearchFeeder implements AutoCloseable {
    private final String tenant;
    private final EventStore log;
    private final SearchIndex index;
    private final FailureLog failures;
    private final Semaphore wake = new Semaphore(0);
    private final Object indexing = new Object();
    private final Thread thread;
    private volatile boolean closed;
    private boolean failing;

    SearchFeeder(String tenant, EventStore log, SearchIndex index, FailureLog failures) {
        this.tenant = tenant;
        this.log = log;
        this.index = index;
        this.failures = failures;
        this.thread = Thread.ofPlatform().daemon().name("charter-search-" + tenant).start(this::run);
    }

    SearchIndex index() {
        return index;
    }

    /** Events were appended to the log. */
    void appended() {
        wake.release();
    }

    /** The tenant's data was erased: so are its words. */
    void erased() {
        synchronized (indexing) {
            index.clear();
        }
    }

    private void run() {
        while (!closed) {
            try {
                synchronized (indexing) {
                    if (!closed) {
                        SearchIndexer.catchUp(log, tenant, index);
                        index.commitIfDue();   // what came last is committed on a quiet round once the interval is over
                    }
                }
                if (failing) {
                    failing = false;
                    org.slf4j.LoggerFactory.getLogger(SearchFeeder.class).info("tenant={} search indexing recovered", tenant);
                }
            } catch (RuntimeException e) {
                // Logged once per outage: a store that is down fails every round until it is back.
                if (!failing) failures.failed(tenant, FailureLog.Kind.STORE, "indexing the log for search failed; retried every second", e);
                failing = true;
            }
            try {
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        wake.release();   // not an interrupt: one that lands while Lucene writes a file closes its channel, and the index with it
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (indexing) {
            index.close();
        }
    }
}
