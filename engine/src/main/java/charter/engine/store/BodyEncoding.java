package charter.engine.store;

import charter.engine.store.EventStore.Ingested;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Deflates the bodies of a batch, the second half on a helper thread when the machine has a
 * second core. Deflating is the largest single cost of an append (about a quarter of the
 * ingesting thread's time on the webhook corpus, more than SQLite itself), and the bodies of a
 * batch are independent, so two cores halve it; the transaction and its commit stay on the
 * caller's thread. The helper thread starts on the first large batch and ends with the store.
 * Used under the store's lock: one batch at a time.
 */
final class BodyEncoding implements AutoCloseable {

    /** Below this many bodies, handing half to another thread costs more than it saves. */
    private static final int MIN_SPLIT = 32;

    private final boolean split = Runtime.getRuntime().availableProcessors() > 1;
    private final Body.Encoder helperEncoder = new Body.Encoder();
    private ExecutorService helper;

    /** The encoded body of each delivery of the batch, in order; {@code own} is the caller's encoder. */
    List<Body> encode(List<Ingested> batch, Body.Encoder own) {
        int n = batch.size();
        if (!split || n < MIN_SPLIT) return encode(batch, 0, n, own);
        if (helper == null) {
            helper = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "charter-store-deflate");
                t.setDaemon(true);   // never keeps a JVM alive: it only ever runs while an append waits for it
                return t;
            });
        }
        int half = n / 2;
        Future<List<Body>> second = helper.submit(() -> encode(batch, half, n, helperEncoder));
        List<Body> out = new ArrayList<>(n);
        try {
            out.addAll(encode(batch, 0, half, own));
        } finally {
            try {
                out.addAll(second.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while compressing delivery bodies", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException("compressing delivery bodies failed", e.getCause());
            }
        }
        return out;
    }

    private static List<Body> encode(List<Ingested> batch, int from, int to, Body.Encoder encoder) {
        List<Body> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            Ingested in = Objects.requireNonNull(batch.get(i), "batch element");
            if (in.raw() == null || in.raw().body() == null) {
                out.add(null);   // prepare() refuses it with its own message
            } else {
                out.add(encoder.encode(in.raw().body()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (helper != null) helper.shutdownNow();
        helperEncoder.close();
    }
}
