package charter.compiler.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.TestPrograms;
import charter.compiler.diag.Code;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The escape list of issue 6: each hostile function gives a clear error, and none
 * escapes the sandbox, hangs, crashes the JVM or changes the result of the next call
 * (every test ends by calling a well-behaved function in the same Program, on the
 * same thread, and so in the same pooled context when it survived).
 */
@Timeout(value = 60)
class JsSandboxEscapeTest {
    private static JsFunctions js;

    /** One Program with every hostile function and one honest one, `ok`. */
    @BeforeAll
    static void compile() {
        String program = """
                program "t"
                function js ok(x: number): number { return x * 2 }
                function js spin(x: number): number { while (true) {} }
                function js big_typed(x: number): number { const a = new Float64Array(134217728); return a.length }
                function js big_array(x: number): number { return new Array(1e9).fill(0).length }
                function js big_string(x: number): number { let s = 'x'; while (true) { s = s + s; } }
                function js java_type(x: number): number { return Java.type('java.lang.System').exit(1) }
                function js load_file(x: number): number { load('/etc/passwd'); return 1 }
                function js polyglot_eval(x: number): number { return Polyglot.eval('python', '1 + 1') }
                function js polyglot_import(x: number): number { return Polyglot.import('secrets') }
                function js js_eval(x: number): number { return eval('1 + 1') }
                function js function_ctor(x: number): number { return new Function('return globalThis')().leak = 1 }
                function js require_fs(x: number): number { return require('fs').readFileSync('/etc/passwd').length }
                function js pollute(x: number): number {
                  Object.prototype.polluted = 'yes';
                  return 1
                }
                function js pollute_quietly(x: number): number {
                  try { Object.prototype.polluted = 'yes' } catch (e) {}
                  try { Array.prototype.push = function () { return 42 } } catch (e) {}
                  try { globalThis.counter = (globalThis.counter || 0) + 1 } catch (e) {}
                  try { Math.max = function () { return -1 } } catch (e) {}
                  /(sec)ret/.exec('secret')
                  return 1
                }
                function js observe(x: number): string {
                  const seen = []
                  if (({}).polluted !== undefined) seen.push('Object.prototype')
                  if ([].push(1) !== 1) seen.push('Array.prototype.push')
                  if (typeof globalThis.counter !== 'undefined') seen.push('globalThis.counter')
                  if (Math.max(1, 2) !== 2) seen.push('Math.max')
                  if (typeof RegExp.$1 !== 'undefined' && RegExp.$1 !== '') seen.push('RegExp.$1')
                  return seen.join(',')
                }
                function js now(x: number): number { return Date.now() }
                function js new_date(x: number): number { return new Date().getTime() }
                function js random(x: number): number { return Math.random() }
                function js fixed_date(x: number): number { return new Date('2026-03-06T10:00:00Z').getUTCDay() }
                function js undefined_result(x: number): number { }
                function js nan_result(x: number): number { return 0 / 0 }
                function js deep(x: number): number { return deep(x + 1) + 1 }
                function js throws(x: number): number {
                  const y = x + 1
                  throw new Error('boom ' + y)
                }
                """;
        Compilation c = TestPrograms.compile(program);
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        js = c.program().functions();
    }

    @AfterAll
    static void close() {
        js.close();
    }

    private static Object call(String name, Object... args) {
        return js.call(js.byName(name), args);
    }

    private static String failure(String name) {
        return assertThrows(JsFunctionException.class, () -> call(name, 1.0)).getMessage();
    }

    /** The next call in the same thread works and sees a clean world. */
    private static void nextCallUnaffected() {
        assertEquals(42.0, call("ok", 21.0));
        assertEquals("", call("observe", 1.0));
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected «" + expected + "» in: " + actual);
    }

    @Test
    void infiniteLoopIsStoppedByTheStatementLimit() {
        long start = System.nanoTime();
        String m = failure("spin");
        assertContains("function `spin` (main.charter:3) was stopped: it ran more than", m);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5);
        nextCallUnaffected();
    }

    @Test
    void gigabyteTypedArrayIsRefused() {
        String m = failure("big_typed");
        // refused before it is allocated: zeroing a gigabyte would not notice a cancel until done
        assertContains("function `big_typed` (main.charter:4) threw RangeError: new Float64Array of 1073741824 bytes is over the allocation limit", m);
        nextCallUnaffected();
    }

    @Test
    void gigabyteArrayIsRefused() {
        String m = failure("big_array");
        assertContains("function `big_array` (main.charter:5) threw RangeError: Array.prototype.fill is not available on an array of length 1000000000", m);
        nextCallUnaffected();
    }

    @Test
    void doublingStringIsRefused() {
        String m = failure("big_string");
        assertContains("function `big_string` (main.charter:6)", m);
        nextCallUnaffected();
    }

    @Test
    void javaTypeIsNotDefined() {
        assertContains("threw ReferenceError: Java is not defined", failure("java_type"));
        nextCallUnaffected();
    }

    @Test
    void loadIsNotDefined() {
        assertContains("threw ReferenceError: load is not defined", failure("load_file"));
        nextCallUnaffected();
    }

    @Test
    void otherLanguagesAreUnreachable() {
        assertContains("threw ReferenceError: Polyglot is not defined", failure("polyglot_eval"));
        assertContains("threw ReferenceError: Polyglot is not defined", failure("polyglot_import"));
        assertContains("threw ReferenceError: eval is not defined", failure("js_eval"));
        assertContains("function `function_ctor` (main.charter:12) threw TypeError", failure("function_ctor"));
        nextCallUnaffected();
    }

    @Test
    void requireIsNotDefined() {
        assertContains("threw ReferenceError: require is not defined", failure("require_fs"));
        nextCallUnaffected();
    }

    @Test
    void prototypePollutionFailsAndIsNotObservedByTheNextCall() {
        String m = failure("pollute");
        assertContains("function `pollute` (main.charter:14) threw TypeError", m);
        assertEquals(1.0, call("pollute_quietly", 1.0));
        nextCallUnaffected();
    }

    @Test
    void wallClockAndRandomnessAreUnavailable() {
        assertContains("Date.now() is not available in Charter functions", failure("now"));
        assertContains("new Date() is not available in Charter functions", failure("new_date"));
        assertContains("Math.random() is not available in Charter functions", failure("random"));
        assertEquals(5.0, call("fixed_date", 1.0)); // a given time still works: 2026-03-06 is a Friday
        nextCallUnaffected();
    }

    @Test
    void undefinedWhereANumberIsDeclaredIsAnError() {
        assertContains("function `undefined_result` (main.charter:39) returned undefined where its declared result is number",
                failure("undefined_result"));
        assertContains("returned the number NaN where its declared result is number", failure("nan_result"));
        nextCallUnaffected();
    }

    @Test
    void deepRecursionIsStopped() {
        String m = failure("deep");
        assertContains("function `deep` (main.charter:41) threw RangeError: Maximum call stack size exceeded", m);
        nextCallUnaffected();
    }

    @Test
    void aThrowNamesTheProgramLine() {
        assertContains("function `throws` (main.charter:42) threw Error: boom 2 at main.charter:44", failure("throws"));
        nextCallUnaffected();
    }

    @Test
    void aMegabyteBodyIsAClearCompileError() {
        String body = "{ return 1 + " + "1 + ".repeat(250_000) + "1 }";
        Compilation c = TestPrograms.compile("program \"t\"\nfunction js huge(x: number): number " + body + "\n");
        assertEquals(1, c.diagnostics().size(), () -> TestPrograms.rendered(c));
        assertEquals(Code.JS_FUNCTION, c.diagnostics().getFirst().code());
        assertContains("a function may be at most 64 KiB", c.diagnostics().getFirst().message());
        assertEquals(2, c.diagnostics().getFirst().span().line());
    }
}
