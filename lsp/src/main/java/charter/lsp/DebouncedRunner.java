package charter.lsp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task for a key once the key has been quiet for a delay: a burst of keystrokes costs one
 * check, not one per key. Tasks run one at a time on one thread, so two checks of a Program never
 * race to publish.
 */
final class DebouncedRunner implements AutoCloseable {
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "charter-lsp-check");
        t.setDaemon(true);
        return t;
    });
    private final Map<Object, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final long delayMillis;

    DebouncedRunner(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    void submit(Object key, Runnable task) {
        pending.compute(key, (k, previous) -> {
            if (previous != null) previous.cancel(false);
            var self = new java.util.concurrent.atomic.AtomicReference<ScheduledFuture<?>>();
            ScheduledFuture<?> future = thread.schedule(() -> {
                // Only this run's own entry: a newer submit for the key must stay cancellable.
                pending.remove(k, self.get());
                task.run();
            }, delayMillis, TimeUnit.MILLISECONDS);
            self.set(future);
            return future;
        });
    }

    @Override
    public void close() {
        // Not shutdownNow: interrupting a check while it writes to the client would close the client's channel.
        pending.values().forEach(f -> f.cancel(false));
        thread.shutdown();
    }
}
