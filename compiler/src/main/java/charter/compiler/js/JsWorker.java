package charter.compiler.js;

import java.lang.management.ManagementFactory;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One sandboxed context and the platform thread that alone enters it. A call is handed
 * to that thread and its caller waits, watching the thread's CPU time and allocation
 * counter (which the JVM keeps for platform threads only: a virtual thread reports
 * nothing, which is why JavaScript never runs on the caller's own thread).
 *
 * <p>Some built-ins loop in the engine without ever checking for cancellation
 * ({@code [].lastIndexOf.call({length: 2 ** 53 - 1})}): closing their context does not
 * stop them, and {@code Context.close} waits for them for ever. So a call over its limit
 * is cancelled from a throwaway thread, and when it has not stopped after a grace period
 * its caller gives up on it: the worker is abandoned (its thread spins on, alone, and
 * holds nobody up) and the caller goes on. No shared thread ever waits for a context.
 */
final class JsWorker {
    /** What the caller learns of a call. */
    sealed interface Outcome {
        /** The call returned (or failed on its own, e.g. threw): the worker is reusable unless {@code broken}. */
        record Finished(Object value, RuntimeException failure, boolean broken) implements Outcome {}

        /** The call ran over a limit and was cancelled; the worker is gone. */
        record Stopped(String reason) implements Outcome {}

        /**
         * The call ran over a limit and did not stop when cancelled; the worker was abandoned
         * (it ends by itself if the call ever does). {@code ended} completes then, if ever.
         */
        record Abandoned(String reason, CompletableFuture<?> ended) implements Outcome {}
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Object STOP = new Object();

    private final JsLimits limits;
    private final BlockingQueue<Object> jobs = new LinkedBlockingQueue<>();
    private final CompletableFuture<JsSandbox.Locked> context = new CompletableFuture<>();
    private final Thread thread;

    private record Job(Function<JsSandbox.Locked, Outcome.Finished> work, CompletableFuture<Outcome.Finished> done) {}

    JsWorker(JsLimits limits, String name) {
        this.limits = limits;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
        thread.start();
    }

    /** The worker's thread: opens the context, then runs one job at a time until told to stop. */
    private void loop() {
        if (Thread.currentThread().isVirtual()) throw new IllegalStateException("JavaScript must run on a platform thread");
        JsSandbox.Locked c;
        try {
            c = JsSandbox.newContext(limits);
        } catch (RuntimeException | Error e) {
            context.completeExceptionally(e);
            return;
        }
        context.complete(c);
        while (true) {
            Object next = awaitJob();
            if (next == null) break;
            if (next == STOP) break;
            Job job = (Job) next;
            try {
                job.done.complete(job.work.apply(c));
            } catch (RuntimeException | Error e) {
                job.done.completeExceptionally(e);
            }
        }
        JsSandbox.closeQuietly(c.context());
    }

    /**
     * The next job: polled for a short while first, since waking a parked thread costs tens of
     * microseconds, more than most calls take, and calls come in runs (one per event of a kind);
     * then parked. Null when interrupted.
     */
    private Object awaitJob() {
        long until = System.nanoTime() + SPIN_NANOS;
        do {
            Object next = jobs.poll();
            if (next != null) return next;
            Thread.onSpinWait();
        } while (System.nanoTime() < until);
        try {
            return jobs.take();
        } catch (InterruptedException e) {
            return null;
        }
    }

    /** How long each side of a call spins before parking: about one thread wake-up. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /**
     * Runs {@code work} on the worker's thread with the context, and waits for it within
     * the limits. Called by one caller at a time.
     */
    Outcome call(Function<JsSandbox.Locked, Outcome.Finished> work) {
        awaitContext();
        long threadId = thread.threadId();
        long bytesBefore = THREADS.getThreadAllocatedBytes(threadId);
        long cpuBefore = THREADS.getThreadCpuTime(threadId);
        long started = System.nanoTime();
        long limit = limits.time().toNanos();
        CompletableFuture<Outcome.Finished> done = new CompletableFuture<>();
        jobs.add(new Job(work, done));
        while (!done.isDone() && System.nanoTime() - started < SPIN_NANOS) Thread.onSpinWait();
        String reason = null;
        while (reason == null) {
            try {
                return done.get(1, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still running: check its limits below
            } catch (ExecutionException e) {
                return crashed(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reason = "was interrupted";
                break;
            }
            // Over the limit in wall time and in the thread's own CPU time: a call that only waited
            // for a core on a busy machine is not stopped, one that computes that long is.
            if (System.nanoTime() - started > limit && THREADS.getThreadCpuTime(threadId) - cpuBefore > limit) {
                reason = "ran for more than " + limits.time().toMillis() + " ms";
            } else if (THREADS.getThreadAllocatedBytes(threadId) - bytesBefore > limits.allocatedBytes()) {
                reason = "allocated more than " + (limits.allocatedBytes() >> 20) + " MiB";
            }
        }
        cancel();
        try {
            // A gigabyte being zeroed notices the cancel once it is done; a loop in a built-in never does.
            done.get(limits.grace().toNanos(), TimeUnit.NANOSECONDS);
            return new Outcome.Stopped(reason);
        } catch (ExecutionException e) {
            return new Outcome.Stopped(reason);
        } catch (TimeoutException e) {
            stop();
            return new Outcome.Abandoned(reason, done);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return new Outcome.Abandoned(reason, done);
        }
    }

    private void awaitContext() {
        try {
            context.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsFunctionException("interrupted while starting a JavaScript context");
        }
    }

    private static Outcome crashed(Throwable cause) {
        if (cause instanceof StackOverflowError) {
            return new Outcome.Finished(null, new JsFunctionException("overflowed the stack"), true);
        }
        if (cause instanceof RuntimeException r) return new Outcome.Finished(null, r, true);
        return new Outcome.Finished(null, new JsFunctionException("failed inside the JavaScript engine: " + cause), true);
    }

    /**
     * Cancels the running call by closing the context from a thread of its own: closing
     * waits until the call has left the context, which may be never.
     */
    private void cancel() {
        JsSandbox.Locked c = context.getNow(null);
        if (c == null) return;
        Thread.ofPlatform().daemon().name(thread.getName() + "-cancel").start(() -> JsSandbox.closeQuietly(c.context()));
    }

    /** Ends the worker once its current job (if any) is over; its context is closed on its own thread. */
    void stop() {
        jobs.add(STOP);
    }

    /** For tests: the thread that runs this worker's calls. */
    Thread thread() {
        return thread;
    }
}
