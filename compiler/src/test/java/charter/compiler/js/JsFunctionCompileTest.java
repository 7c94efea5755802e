package charter.compiler.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.TestPrograms;
import charter.compiler.builtins.Builtin;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.facts.EventFact;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `function js` in the language: lexing of bodies, diagnostics, and calls from every place an expression goes. */
class JsFunctionCompileTest {
    static final String FUNCTIONS = """
            program "t"
            function js risk(additions: number, paths: list): number {
              // braces in strings, comments, templates and regexes do not end the body: "}" '}' /* } */
              const sensitive = paths.filter((p) => /^(infra|auth)\\//.test(p) || p === "}").length
              return Math.min(100, `${additions}`.length * 10 + sensitive * 30)
            }
            function js env_of(url: string): string {
              const m = /^https:\\/\\/([a-z0-9-]+)-(production|preview)\\.example\\.dev/.exec(url)
              return m ? m[2] : "unknown"
            }
            """;

    @Test
    void callableFromWhereActionArgumentsAndInterpolation() {
        Compilation c = TestPrograms.compile(FUNCTIONS + """
                rule risky {
                  when github.pull_request.opened pr where risk(pr.additions, ["infra/main.tf", "README.md"]) >= 40
                  then slack.post(channel: "#review", text: "risk ${risk(pr.additions, pr.labels)} in ${env_of(pr.url)}")
                }
                """);
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        var ctx = new Builtin.Context(c.program().directory(), ZoneId.of("UTC"), 0);
        EventFact pr = EventFact.of("e1", "github.pull_request.opened", 1, Map.of("additions", 1200.0, "labels", List.of("auth/x"),
                "url", "https://api-production.example.dev/x"));
        assertTrue(c.program().conditions().test(0, new Object[]{pr}, ctx));
        var args = c.program().rules().getFirst().actions().getFirst().evaluate(new Object[]{pr}, ctx);
        assertEquals("risk 70 in production", args.get("text"));
    }

    @Test
    void wrongArgumentTypesAreReportedAtTheCallSite() {
        Compilation c = TestPrograms.check(TestPrograms.files(FUNCTIONS + """
                rule risky {
                  when github.pull_request.opened pr where risk("many", pr.additions) >= 40
                  then slack.post(channel: "#review", text: "x")
                }
                """));
        Diagnostic d = only(c, Code.WRONG_ARGUMENTS);
        assertEquals(12, d.span().line());
        assertEquals(44, d.span().column());
        assertTrue(d.message().contains("risk (declared at main.charter:2:13) expects (number, list<string>), got (string, number)"),
                d.message());
    }

    @Test
    void javaScriptSyntaxErrorIsReportedAtItsProgramLine() {
        Compilation c = TestPrograms.check(TestPrograms.files("""
                program "t"

                function js broken(x: number): number {
                  const y = x +
                  return y ]
                }
                """));
        Diagnostic d = only(c, Code.JS_FUNCTION);
        assertEquals(5, d.span().line(), () -> TestPrograms.rendered(c));
        assertTrue(d.message().startsWith("JavaScript syntax error in function `broken`: "), d.message());
    }

    @Test
    void syntaxErrorOnTheBraceLineHasItsColumn() {
        Compilation c = TestPrograms.check(TestPrograms.files("program \"t\"\nfunction js f(x: number): number { return ) }\n"));
        Diagnostic d = only(c, Code.JS_FUNCTION);
        assertEquals(2, d.span().line());
        assertEquals(43, d.span().column(), () -> TestPrograms.rendered(c)); // GraalJS points just after `return`
    }

    /** Found by the Program fuzzer (seed 20261205): a flat chain of operators nests GraalJS's tree without a bracket. */
    @Test
    void longOperatorChainIsADiagnosticNotAnInternalError() {
        String chain = String.join(" + ", java.util.Collections.nCopies(5_000, "1"));
        Compilation c = TestPrograms.check(TestPrograms.files(
                "program \"t\"\nfunction js f(x: number): number {\n  return Math.round(" + chain + ")\n}\n"));
        Diagnostic d = only(c, Code.JS_FUNCTION);
        assertEquals(2, d.span().line(), () -> TestPrograms.rendered(c));
        assertTrue(d.message().contains("too deeply nested"), d.message());
    }

    @Test
    void unclosedBodyUnknownTypesAndReservedNames() {
        assertEquals(Code.SYNTAX, TestPrograms.check(TestPrograms.files("program \"t\"\nfunction js f(x: number): number { return '}' \n"))
                .diagnostics().getFirst().code());
        Compilation names = TestPrograms.check(TestPrograms.files(
                "program \"t\"\nfunction js f(class: number): number { return 1 }\nfunction js lower(x: string): string { return x }\n"));
        assertEquals(List.of(Code.DUPLICATE_NAME, Code.DUPLICATE_NAME),
                names.diagnostics().stream().map(Diagnostic::code).toList(), () -> TestPrograms.rendered(names));
        Compilation types = TestPrograms.check(TestPrograms.files("program \"t\"\nfunction js f(y: map): thing { return 1 }\n"));
        assertEquals(List.of(Code.UNKNOWN_TYPE, Code.UNKNOWN_TYPE),
                types.diagnostics().stream().map(Diagnostic::code).toList(), () -> TestPrograms.rendered(types));
    }

    @Test
    void otherLanguagesAreRefused() {
        Compilation c = TestPrograms.check(TestPrograms.files("program \"t\"\nfunction py f(x: number): number { return 1 }\n"));
        assertEquals(Code.JS_FUNCTION, only(c, Code.JS_FUNCTION).code());
    }

    /** Functions are pure: the same arguments are answered from memory; a failure is never remembered. */
    @Test
    void resultsAreRememberedFailuresAreNot() {
        Compilation c = TestPrograms.compile("""
                program "t"
                function js risk(additions: number, labels: list): number {
                  if (additions < 0) throw new Error("negative")
                  return additions + labels.length
                }
                """);
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        JsFunctions functions = c.program().functions();
        JsFunction risk = functions.byName("risk");
        for (int i = 0; i < 50; i++) assertEquals(12.0, functions.call(risk, new Object[]{10.0, List.of("a", "b")}));
        assertEquals(13.0, functions.call(risk, new Object[]{10.0, List.of("a", "b", "c")}));
        assertEquals(2, functions.callsRun());
        for (int i = 0; i < 3; i++) {
            JsFunctionException e = org.junit.jupiter.api.Assertions.assertThrows(JsFunctionException.class,
                    () -> functions.call(risk, new Object[]{-1.0, List.of()}));
            assertTrue(e.getMessage().contains("negative"), e.getMessage());
        }
        assertEquals(5, functions.callsRun());
        functions.close();
    }

    @Test
    void contextsArePooledAcrossThreadsNotMadePerThread() throws Exception {
        Compilation c = TestPrograms.compile(FUNCTIONS);
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        JsFunctions functions = c.program().functions();
        JsFunction risk = functions.byName("risk");
        for (int i = 0; i < 20; i++) {   // twenty threads, one after another: one context serves them all
            Thread t = Thread.ofPlatform().start(() -> functions.call(risk, new Object[]{1200.0, List.of("auth/x")}));
            t.join();
        }
        assertEquals(1, functions.contexts());

        int threads = 4;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<Object>> results = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                double additions = Math.pow(10, t);   // 1, 10, 100, 1000: risk 10, 20, 30, 40
                results.add(pool.submit(() -> {
                    together.await();
                    Object last = null;
                    for (int i = 0; i < 200; i++) last = functions.call(risk, new Object[]{additions, List.of()});
                    return last;
                }));
            }
            for (int t = 0; t < threads; t++) assertEquals(10.0 * (t + 1), results.get(t).get());
        }
        assertTrue(functions.contexts() <= threads, "contexts: " + functions.contexts());
    }

    private static Diagnostic only(Compilation c, Code code) {
        assertEquals(1, c.diagnostics().size(), () -> TestPrograms.rendered(c));
        Diagnostic d = c.diagnostics().getFirst();
        assertEquals(code, d.code(), () -> TestPrograms.rendered(c));
        return d;
    }
}
