package charter.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Group commit. Request threads hand over what they want written and wait; one writer thread
 * takes everything that is waiting (up to a batch) and writes it in one go, so a transaction and
 * its fsync are paid once per batch rather than once per request. Under light load a batch is one
 * item and nothing waits for company; under heavy load batches grow by themselves. Each request is
 * answered only after the batch that holds it committed.
 *
 * <p>Being the only writer of its kind for a tenant, it also keeps the tenant's writes in arrival
 * order (the event log in particular).
 *
 * @param <I> what a request writes
 * @param <O> what the request is told once it is written
 */
final class GroupCommitter<I, O> implements AutoCloseable {
    private record Pending<I, O>(I item, CompletableFuture<O> result) {}

    private final Function<List<I>, List<O>> writeBatch;
    private final int maxBatch;
    private final BlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    /**
     * Held while a submission checks {@link #closed} and enqueues, and while {@link #close} sets it: so
     * every item admitted is in the queue before the writer can see the committer closed and drain it
     * for the last time.
     */
    private final Object admission = new Object();
    private volatile boolean closed;
    /** Runs between a submission's admission and its enqueue; a seam for the race test, a no-op otherwise. */
    private final Runnable beforeEnqueue;
    private final java.util.function.ObjIntConsumer<RuntimeException> onFailure;

    /**
     * @param writeBatch writes a batch in one transaction and answers each item, in order; a
     *                   failure means nothing of the batch was written, and every request is told
     */
    GroupCommitter(String name, Function<List<I>, List<O>> writeBatch, int maxBatch) {
        this(name, writeBatch, maxBatch, () -> { }, (e, n) -> { });
    }

    GroupCommitter(String name, Function<List<I>, List<O>> writeBatch, int maxBatch, Runnable beforeEnqueue) {
        this(name, writeBatch, maxBatch, beforeEnqueue, (e, n) -> { });
    }

    /** @param onFailure told of each batch that failed (and how many requests it held), on the writer's thread */
    GroupCommitter(String name, Function<List<I>, List<O>> writeBatch, int maxBatch, Runnable beforeEnqueue,
                   java.util.function.ObjIntConsumer<RuntimeException> onFailure) {
        this.beforeEnqueue = beforeEnqueue;
        this.onFailure = onFailure;
        this.writeBatch = writeBatch;
        this.maxBatch = maxBatch;
        this.writer = Thread.ofPlatform().daemon(true).name(name).start(this::loop);
    }

    /** Completes with the answer for this item once its batch is written. */
    CompletableFuture<O> submit(I item) {
        CompletableFuture<O> result = new CompletableFuture<>();
        synchronized (admission) {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("the server is stopping"));
                return result;
            }
            beforeEnqueue.run();
            queue.add(new Pending<>(item, result));
        }
        return result;
    }

    int waiting() {
        return queue.size();
    }

    private void loop() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<I, O> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
            } catch (InterruptedException e) {
                break;
            }
            write(batch);
            batch.clear();
        }
        for (Pending<I, O> p; (p = queue.poll()) != null; ) p.result().completeExceptionally(new IllegalStateException("the server is stopping"));
    }

    private void write(List<Pending<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        for (Pending<I, O> p : batch) items.add(p.item());
        List<O> answers;
        try {
            answers = writeBatch.apply(items);
            if (answers.size() != items.size()) throw new IllegalStateException(answers.size() + " answers for " + items.size() + " items");
        } catch (RuntimeException e) {
            for (Pending<I, O> p : batch) p.result().completeExceptionally(e);
            onFailure.accept(e, batch.size());
            return;
        }
        for (int i = 0; i < batch.size(); i++) batch.get(i).result().complete(answers.get(i));
    }

    @Override
    public void close() {
        synchronized (admission) {
            closed = true;
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
