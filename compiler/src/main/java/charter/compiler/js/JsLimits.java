package charter.compiler.js;

import java.time.Duration;

/**
 * What one call of a Program's JavaScript function may spend. The statement limit
 * stops loops; the time limit stops single long operations (a catastrophic regular
 * expression, a huge `repeat`), counted in the calling thread's CPU time, so a call on a
 * machine busy with other work is not cut short; the allocation limit bounds the memory a call may
 * allocate (GraalVM's heap limit is not available on the community runtime, so the caller
 * reads the worker thread's allocation counter instead). A call over a limit is cancelled;
 * {@code grace} is how long it then has to stop before its caller abandons it.
 */
public record JsLimits(long statements, Duration time, long allocatedBytes, Duration grace) {
    public static final JsLimits DEFAULT = new JsLimits(
            Long.getLong("charter.js.statements", 100_000),
            Duration.ofMillis(Long.getLong("charter.js.timeMillis", 500)),
            Long.getLong("charter.js.allocatedBytes", 64L << 20),
            Duration.ofMillis(Long.getLong("charter.js.graceMillis", 1_000)));
}
