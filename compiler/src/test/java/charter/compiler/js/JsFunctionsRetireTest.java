package charter.compiler.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.TestPrograms;
import org.junit.jupiter.api.Test;

/** A retired Program version's functions close when the last hold on them is let go, not before. */
class JsFunctionsRetireTest {
    private static final String PROGRAM = """
            program "t"
            function js twice(x: number): number { return x * 2 }
            """;

    @Test
    void retiredFunctionsRunUntilTheLastHoldIsLetGoThenTheirWorkersStop() throws Exception {
        Compilation c = TestPrograms.compile(PROGRAM);
        JsFunctions functions = new JsFunctions(c.program().functions().functions(), JsLimits.DEFAULT);
        c.program().functions().close();
        JsFunction twice = functions.byName("twice");
        JsFunctions.Hold first = functions.hold();
        JsFunctions.Hold second = functions.hold();
        assertEquals(4.0, ((Number) functions.call(twice, new Object[] {2.0})).doubleValue());
        Thread worker = functions.threads().getFirst();

        functions.retire();
        assertEquals(6.0, ((Number) functions.call(twice, new Object[] {3.0})).doubleValue(), "held: still runs");
        first.close();
        first.close();   // a second close lets go once
        assertEquals(8.0, ((Number) functions.call(twice, new Object[] {4.0})).doubleValue(), "one hold left");
        second.close();

        assertThrows(JsFunctionException.class, () -> functions.call(twice, new Object[] {5.0}));
        worker.join(10_000);
        assertTrue(!worker.isAlive(), "the worker thread stopped");
        assertEquals(0, functions.contexts());
    }
}
