package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

    /**
     * A submission admitted just before close, whose enqueue is slow (here: it waits for close to
     * finish, up to half a second): it is still written, rather than enqueued after the writer's
     * last drain and left waiting.
     */
    @Test
    void aSubmissionRacingWithCloseIsWrittenNotLeftWaiting() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicBoolean slow = new AtomicBoolean(true);
        GroupCommitter<Integer, Integer> committer = new GroupCommitter<>("test-commit", batch -> batch, 64, () -> {
            if (!slow.getAndSet(false)) return;
            try {
                closed.await(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<CompletableFuture<Integer>> submitted = new CompletableFuture<>();
        Thread submitter = Thread.ofPlatform().start(() -> submitted.complete(committer.submit(7)));
        while (slow.get()) Thread.onSpinWait();   // the submission is admitted, its enqueue not done
        Thread closer = Thread.ofPlatform().start(() -> {
            committer.close();
            closed.countDown();
        });
        submitter.join();
        closer.join();
        assertEquals(7, submitted.get().get(5, TimeUnit.SECONDS), "the admitted submission is written");
        CompletableFuture<Integer> late = committer.submit(8);
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class, () -> late.get(1, TimeUnit.SECONDS));
        assertEquals("the server is stopping", e.getCause().getMessage());
    }
}
