package charter.compiler.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.TestPrograms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 item 7 and issue 13 §3: a call that will not stop is abandoned without holding
 * anyone up, the limits of another Program (another tenant) still hold meanwhile, and the
 * limits hold for a caller on a virtual thread (JavaScript runs on platform threads only).
 */
@Timeout(120)
class JsStallTest {
    /** Each `lastIndexOf` over 4,194,304 indices loops inside the engine without noticing a cancel; fifty of them take seconds. */
    private static final String PROGRAM = """
            program "t"
            function js ok(x: string): string { return x + "!" }
            function js slow_builtins(x: string): string {
              const o = { length: 4194304 }
              let r = 0
              for (let i = 0; i < 50; i++) r = [].lastIndexOf.call(o, x)
              return String(r)
            }
            function js spin(x: string): string { while (true) {} }
            function js allocate(x: string): string {
              const keep = []
              for (let i = 0; i < 1000; i++) keep.push(new Float64Array(1 << 20))
              return String(keep.length)
            }
            function js issue_spin(x: string): string { return String([].lastIndexOf.call({length: 2 ** 53 - 1}, x)) }
            function js issue_index_of(x: string): string { return String([].indexOf.call({length: 2 ** 53 - 1}, x)) }
            function js issue_sort(x: string): string { [].sort.call({length: 2 ** 32 - 1}); return x }
            """;

    private static JsFunctions compile(JsLimits limits) {
        Compilation c = TestPrograms.compile(PROGRAM);
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        return new JsFunctions(c.program().functions().functions(), limits);
    }

    private static Object call(JsFunctions js, String name) {
        return js.call(js.byName(name), new Object[]{"a"});
    }

    @Test
    void theIssuesBuiltinsFailAsARuleErrorAndTheNextCallWorks() {
        try (JsFunctions js = compile(JsLimits.DEFAULT)) {
            assertEquals("a!", call(js, "ok"));   // the context exists: what follows is the calls alone
            for (String name : List.of("issue_spin", "issue_index_of", "issue_sort")) {
                long t0 = System.nanoTime();
                String m = assertThrows(JsFunctionException.class, () -> call(js, name)).getMessage();
                assertTrue(m.contains("function `" + name + "`") && m.contains("is not available on an array-like of length"), m);
                assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10, name);
                assertEquals("a!", call(js, "ok"));
            }
            assertEquals(java.util.Map.of(), js.abandoned());
        }
    }

    @Test
    void aCallThatDoesNotStopWhenCancelledIsAbandonedAndItsThreadEndsWhenTheCallDoes() throws Exception {
        JsLimits tight = new JsLimits(10_000_000, Duration.ofMillis(20), 64L << 20, Duration.ofMillis(1));
        try (JsFunctions js = compile(tight)) {
            assertEquals("a!", call(js, "ok"));
            List<Thread> before = js.threads();
            assertEquals(1, before.size());
            long t0 = System.nanoTime();
            String m = assertThrows(JsFunctionException.class, () -> call(js, "slow_builtins")).getMessage();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(m.contains("did not stop when cancelled"), m);
            assertTrue(ms < 5_000, "the caller waited " + ms + " ms");
            assertEquals("a!", call(js, "ok"), "another function of the same Program goes on, on a new context");
            assertFalse(js.threads().contains(before.getFirst()), "the abandoned worker is not reused");
            before.getFirst().join(Duration.ofSeconds(60));
            assertFalse(before.getFirst().isAlive(), "the abandoned worker ends once its call does");
            long until = System.nanoTime() + 10_000_000_000L;
            while (!js.abandoned().isEmpty() && System.nanoTime() < until) Thread.sleep(10);
            assertEquals(java.util.Map.of(), js.abandoned(), "the function is enabled again once the call ended");
        }
    }

    @Test
    void anotherTenantsLimitHoldsWhileOneCallWillNotStop() throws Exception {
        JsLimits hostile = new JsLimits(10_000_000, Duration.ofMillis(20), 64L << 20, Duration.ofMillis(1));
        JsLimits other = new JsLimits(Long.MAX_VALUE, Duration.ofMillis(300), 64L << 20, Duration.ofSeconds(1));
        try (JsFunctions a = compile(hostile); JsFunctions b = compile(other)) {
            AtomicReference<Throwable> aFailed = new AtomicReference<>();
            CompletableFuture<Void> aRuns = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 3; i++) {
                    try {
                        call(a, "slow_builtins");
                    } catch (RuntimeException e) {
                        aFailed.set(e);
                    }
                }
            });
            Thread.sleep(200);
            long t0 = System.nanoTime();
            String m = assertThrows(JsFunctionException.class, () -> call(b, "spin")).getMessage();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(m.contains("was stopped: it ran for more than 300 ms"), m);
            // 300 ms of the worker's CPU time; on a loaded machine the wall time is longer, but bounded.
            assertTrue(ms < 15_000, "tenant B's runaway call ran " + ms + " ms");
            aRuns.get();
            assertTrue(aFailed.get() instanceof JsFunctionException, String.valueOf(aFailed.get()));
            assertEquals("a!", call(a, "ok"));
            assertEquals("a!", call(b, "ok"));
        }
    }

    @Test
    void theAllocationLimitHoldsForACallerOnAVirtualThread() throws Exception {
        try (JsFunctions js = compile(JsLimits.DEFAULT)) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    outcome.set(call(js, "allocate"));
                } catch (RuntimeException | Error e) {
                    outcome.set(e);
                }
            });
            caller.join(Duration.ofSeconds(60));
            assertTrue(outcome.get() instanceof JsFunctionException e && e.getMessage().contains("allocated more than 64 MiB"),
                    String.valueOf(outcome.get()));
            for (Thread t : js.threads()) assertFalse(t.isVirtual(), "JavaScript runs on platform threads only");
        }
    }
}
