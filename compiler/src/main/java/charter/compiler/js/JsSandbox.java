package charter.compiler.js;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The one GraalJS {@link Engine} of the process and the sandboxed contexts made
 * from it. Every context is built under {@link SandboxPolicy#CONSTRAINED} (GraalVM
 * validates the settings), with no host access, no polyglot access, no I/O, no
 * environment, no threads, no process creation, stdout/stderr discarded, UTC as
 * time zone and a statement limit; then {@code lockdown.js} removes the clock and
 * randomness and freezes every reachable object.
 *
 * <p>A single daemon watchdog enforces the per-call time and allocation limits by
 * cancelling (closing) a context whose call overruns; its owner then discards it.
 */
public final class JsSandbox {
    private JsSandbox() {}

    private static final OutputStream DISCARD = OutputStream.nullOutputStream();

    /** Lazily: the first context costs about a second, and Programs without functions never pay it. */
    private static final class Holder {
        static final Engine ENGINE = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(DISCARD).err(DISCARD)
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        static final Source LOCKDOWN = lockdownSource();
        static final Watchdog WATCHDOG = Watchdog.start();
    }

    static Engine engine() {
        return Holder.ENGINE;
    }

    /** A new locked-down context; the caller owns it and must close it. */
    static Context newContext(JsLimits limits) {
        Context context = Context.newBuilder("js")
                .engine(Holder.ENGINE)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.CONSTRAINED)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowIO(IOAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowHostClassLoading(false)
                .out(DISCARD).err(DISCARD).in(InputStream.nullInputStream())
                .timeZone(ZoneOffset.UTC)
                .option("js.strict", "true")
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.console", "false")
                .option("js.graal-builtin", "false")
                .option("js.performance", "false")
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statements(), null).build())
                .build();
        try {
            context.eval(Holder.LOCKDOWN);
            context.resetLimits();
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
        return context;
    }

    static Watchdog watchdog() {
        return Holder.WATCHDOG;
    }

    private static Source lockdownSource() {
        try (InputStream in = JsSandbox.class.getResourceAsStream("lockdown.js")) {
            if (in == null) throw new IllegalStateException("lockdown.js is missing from the compiler jar");
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "charter-lockdown.js").build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes a context that may have been cancelled already; closing a cancelled context rethrows. */
    static void closeQuietly(Context context) {
        try {
            context.close(true);
        } catch (RuntimeException ignored) {
            // cancelled or already closed
        }
    }

    /**
     * One daemon thread polling the calls in progress every millisecond or so. A call
     * costs its caller two volatile writes and a read of its own allocation counter.
     */
    static final class Watchdog implements Runnable {
        private final Set<Call> running = ConcurrentHashMap.newKeySet();
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        static Watchdog start() {
            Watchdog w = new Watchdog();
            Thread t = Thread.ofPlatform().daemon().name("charter-js-watchdog").unstarted(w);
            t.start();
            return w;
        }

        long allocatedBytes() {
            return threads.getCurrentThreadAllocatedBytes();
        }

        void watch(Call call) {
            running.add(call);
        }

        void forget(Call call) {
            running.remove(call);
        }

        @Override
        public void run() {
            while (true) {
                LockSupport.parkNanos(1_000_000L);
                long now = System.nanoTime();
                for (Call call : running) {
                    long started = call.startedNanos;
                    if (started == 0) continue;
                    if (call.seenStarted != started) {   // a new call: where its thread's CPU clock stands now
                        call.seenStarted = started;
                        call.cpuAtSeen = threads.getThreadCpuTime(call.threadId);
                    }
                    String reason = null;
                    long limit = call.limits.time().toNanos();
                    // Over the limit in wall time and in the thread's own CPU time: a call that only waited
                    // for a core on a busy machine is not stopped, one that computes that long is.
                    if (now - started > limit && threads.getThreadCpuTime(call.threadId) - call.cpuAtSeen > limit) {
                        reason = "ran for more than " + call.limits.time().toMillis() + " ms";
                    } else {
                        long allocated = threads.getThreadAllocatedBytes(call.threadId) - call.startedBytes;
                        if (allocated > call.limits.allocatedBytes()) {
                            reason = "allocated more than " + (call.limits.allocatedBytes() >> 20) + " MiB";
                        }
                    }
                    if (reason != null && call.startedNanos == started) {
                        call.cancelReason = reason;
                        closeQuietly(call.context);
                    }
                }
            }
        }
    }

    /** A context and the call it is running, as the watchdog sees it. */
    static final class Call {
        final Context context;
        /** The thread of the current call (a pooled context moves between threads); set before {@link #startedNanos}. */
        volatile long threadId;
        final JsLimits limits;
        volatile long startedNanos;
        volatile long startedBytes;
        volatile String cancelReason;
        /** Watchdog-thread only: the call it last saw start, and its thread's CPU time then. */
        long seenStarted;
        long cpuAtSeen;

        Call(Context context, JsLimits limits) {
            this.context = context;
            this.limits = limits;
        }
    }
}
