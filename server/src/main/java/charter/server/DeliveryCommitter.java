package charter.server;

import charter.engine.ingest.IngestReport;
import charter.engine.ingest.Ingestor;
import charter.engine.ingest.LabeledDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Group commit of one tenant's webhooks. Request threads hand their delivery over and wait; one
 * writer thread takes every delivery that is waiting (up to a batch) and ingests them together, so
 * the store's transaction and its fsync are paid once per batch, not once per request. Under light
 * load a batch is one delivery and nothing waits for company; under heavy load batches grow by
 * themselves. Each request is answered only after the batch that holds it committed.
 *
 * <p>Being the tenant's only writer also keeps its log in arrival order.
 */
final class DeliveryCommitter implements AutoCloseable {
    private record Pending(LabeledDelivery delivery, CompletableFuture<IngestReport> result) {}

    private final String tenant;
    private final Supplier<Ingestor> ingestor;
    private final Runnable afterCommit;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param ingestor    the tenant's current ingestor (it changes when the Program is swapped)
     * @param afterCommit called on the writer thread after each batch committed (wakes the log consumer)
     */
    DeliveryCommitter(String tenant, Supplier<Ingestor> ingestor, Runnable afterCommit, int maxBatch) {
        this.tenant = tenant;
        this.ingestor = ingestor;
        this.afterCommit = afterCommit;
        this.maxBatch = maxBatch;
        this.writer = Thread.ofPlatform().daemon(true).name("charter-commit-" + tenant).start(this::loop);
    }

    /** Completes with what ingest said of this delivery, once it is durable (or refused). */
    CompletableFuture<IngestReport> submit(LabeledDelivery delivery) {
        CompletableFuture<IngestReport> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the server is stopping"));
            return result;
        }
        queue.add(new Pending(delivery, result));
        return result;
    }

    int waiting() {
        return queue.size();
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
            } catch (InterruptedException e) {
                break;
            }
            commit(batch);
            batch.clear();
        }
        for (Pending p; (p = queue.poll()) != null; ) p.result().completeExceptionally(new IllegalStateException("the server is stopping"));
    }

    private void commit(List<Pending> batch) {
        List<LabeledDelivery> deliveries = new ArrayList<>(batch.size());
        for (Pending p : batch) deliveries.add(p.delivery());
        IngestReport report;
        try {
            report = ingestor.get().ingest(tenant, deliveries);
        } catch (RuntimeException e) {
            // the batch was rolled back: nothing of it is in the log, and every sender is told so
            for (Pending p : batch) p.result().completeExceptionally(e);
            return;
        }
        if (!report.accepted().isEmpty()) afterCommit.run();
        for (Pending p : batch) p.result().complete(report.about(p.delivery().label()));
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
