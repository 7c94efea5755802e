package charter.compiler.js;

import charter.compiler.Compilation;
import charter.compiler.TestPrograms;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The JavaScript escape and stall corpus (src/test/resources/js-corpus): hostile function
 * bodies, each with what must happen to it, and the oracle that judges any body, from the
 * corpus or mutated from it. Used by {@link JsCorpusTest} (bounded) and by
 * {@code scripts/fuzz-js} (for as long as asked).
 *
 * <p>Every body becomes {@code function js f(x: string): string BODY} in a Program that also
 * has an honest function {@code ok}. Whatever the body, the oracle requires: no internal
 * error at check; when it compiles, each call returns or fails with a {@link JsFunctionException}
 * within {@link #BOUND_MILLIS}, no call is abandoned, two calls with the same argument agree
 * (a function keeps no state), and {@code ok} still works in the same Program afterwards.
 */
final class JsCorpus {
    /** What a corpus file says must happen. */
    enum Expect { CHECK, RUN_ERROR, STATELESS, VALUE }

    /** {@code value} is what a {@link Expect#VALUE} case must return for the argument "a". */
    record Case(String name, Expect expect, String value, String body) {}

    /** What happened to one body. */
    enum Verdict { REFUSED, VALUE, RUN_ERROR }

    record Result(Verdict verdict, Object first, long slowestMillis, List<String> violations) {}

    /** The longest a call may take: the time limit, the grace after cancelling, and room for a loaded machine. */
    static final long BOUND_MILLIS = 2 * JsLimits.DEFAULT.time().toMillis() + 11_000;

    private JsCorpus() {}

    static List<Case> load() {
        try {
            Path dir = Path.of(Objects.requireNonNull(JsCorpus.class.getResource("/js-corpus")).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                List<Case> cases = new ArrayList<>();
                for (Path f : files.filter(p -> p.toString().endsWith(".js")).sorted().toList()) cases.add(parse(f));
                return cases;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Case parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Expect expect = null;
        String value = null;
        int i = 0;
        for (; i < lines.size() && lines.get(i).startsWith("//"); i++) {
            String l = lines.get(i);
            if (l.startsWith("// expect: value ")) {
                expect = Expect.VALUE;
                value = l.substring("// expect: value ".length());
            } else if (l.startsWith("// expect: ")) {
                expect = Expect.valueOf(l.substring(11).trim().toUpperCase().replace('-', '_'));
            }
        }
        if (expect == null) throw new IllegalStateException(file + ": no `// expect:` line");
        return new Case(file.getFileName().toString(), expect, value, String.join("\n", lines.subList(i, lines.size())).strip());
    }

    static String program(String body) {
        return "program \"t\"\nfunction js ok(x: string): string { return x + \"!\" }\nfunction js f(x: string): string " + body + "\n";
    }

    /** Judges one body against the oracle (and nothing more: a corpus case also checks its expectation). */
    static Result judge(String body) {
        List<String> violations = new ArrayList<>();
        Compilation c;
        try {
            c = TestPrograms.compile(program(body));
        } catch (RuntimeException | StackOverflowError e) {
            return new Result(Verdict.REFUSED, null, 0, List.of("the compiler threw " + e));
        }
        for (Diagnostic d : c.diagnostics()) {
            if (d.code() == Code.INTERNAL) violations.add("internal error at check: " + d.message());
        }
        if (!c.ok() || c.program() == null) return new Result(Verdict.REFUSED, TestPrograms.rendered(c), 0, violations);
        JsFunctions js = c.program().functions();
        try {
            JsFunction f = js.byName("f");
            JsFunction ok = js.byName("ok");
            if (!"a!".equals(js.call(ok, new Object[]{"a"}))) violations.add("`ok` did not answer before the call");
            long slowest = 0;
            List<Object> outcomes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                Object outcome;
                try {
                    outcome = js.call(f, new Object[]{"a"});
                } catch (JsFunctionException e) {
                    outcome = e;
                } catch (RuntimeException | Error e) {
                    outcome = e;
                    violations.add("the call threw " + e + " instead of a function error");
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                slowest = Math.max(slowest, ms);
                if (ms > BOUND_MILLIS) violations.add("a call took " + ms + " ms (bound " + BOUND_MILLIS + " ms)");
                outcomes.add(outcome);
                if (!js.abandoned().isEmpty()) {
                    // Abandoned: it may still end by itself (a gigabyte being zeroed); one that never does holds a core for good.
                    long until = System.nanoTime() + 10_000_000_000L;
                    while (!js.abandoned().isEmpty() && System.nanoTime() < until) sleep();
                    if (!js.abandoned().isEmpty()) violations.add("a call did not stop when cancelled: " + js.abandoned());
                    break;
                }
            }
            if (outcomes.size() == 2 && outcomes.get(0) instanceof String a && outcomes.get(1) instanceof String b && !a.equals(b)) {
                violations.add("two calls with the same argument disagree: «" + a + "» then «" + b + "» (state kept between calls)");
            }
            if (!"a!".equals(js.call(ok, new Object[]{"a"}))) violations.add("`ok` did not answer after the call");
            Verdict v = outcomes.stream().allMatch(o -> o instanceof String) ? Verdict.VALUE : Verdict.RUN_ERROR;
            return new Result(v, outcomes.getFirst(), slowest, violations);
        } catch (RuntimeException e) {
            violations.add("`ok` failed after the call: " + e);
            return new Result(Verdict.RUN_ERROR, null, 0, violations);
        } finally {
            js.close();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a corpus case requires beyond the oracle. */
    static List<String> check(Case c, Result r) {
        List<String> problems = new ArrayList<>(r.violations());
        switch (c.expect()) {
            case CHECK -> { if (r.verdict() != Verdict.REFUSED) problems.add("expected to be refused at check, but " + r.verdict()); }
            case RUN_ERROR -> { if (r.verdict() != Verdict.RUN_ERROR) problems.add("expected a run-time error, but " + r.verdict()); }
            case STATELESS -> { if (r.verdict() == Verdict.REFUSED) problems.add("expected to compile and run, but refused at check: " + r.first()); }
            case VALUE -> {
                if (!c.value().equals(r.first())) problems.add("expected the value «" + c.value() + "», but " + r.verdict() + ": " + r.first());
            }
        }
        return problems;
    }

    // ---- mutation ----

    private static final String[] METHODS = {"lastIndexOf", "indexOf", "includes", "sort", "join", "fill", "reverse", "copyWithin",
            "map", "filter", "reduce", "reduceRight", "every", "some", "find", "findLast", "findIndex", "flat", "flatMap", "splice",
            "slice", "toSorted", "toReversed", "toSpliced", "with", "at", "keys", "entries", "values", "forEach", "push", "pop",
            "shift", "unshift", "concat", "toString", "toLocaleString"};
    private static final String[] NUMBERS = {"2 ** 53 - 1", "2 ** 32 - 1", "2 ** 31", "1e9", "4194304", "4194305", "-1", "NaN",
            "Infinity", "0", "1e308", "2 ** 24"};
    private static final String[] FRAGMENTS = {"}); (function g(x) {", "}) || (function g(x) {", "} /", "/ 2 }", "of / 2", "x++ / 2",
            "`${", "}`", "'", "\"", "//", "/*", "*/", "\n", "{", "}", "(", ")", ";", "let n = 0;", "globalThis.n = 1;",
            "[].lastIndexOf.call({length: 2 ** 53 - 1}, x)", "Array.from({length: 2 ** 32 - 1})", "new Proxy({}, {})",
            "{ get length() { return 2 ** 53 - 1 } }", "Reflect.apply", "Function('return this')()", "while (true) {}",
            "Symbol.iterator", "Symbol.isConcatSpreadable", "Object.defineProperty", "arguments", "JSON.stringify(", "a.length = 1e9;", "[...a]", "Array.from(a)", "Object.assign([], a)"};

    /** A variant of {@code body}: one to three edits among swapping a method or a number, inserting a fragment, deleting or duplicating a slice. */
    static String mutate(String body, Random random) {
        String s = body;
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> {
                    String from = METHODS[random.nextInt(METHODS.length)];
                    s = s.contains(from) ? s.replaceFirst(from, METHODS[random.nextInt(METHODS.length)])
                            : s.replaceFirst("\\.(\\w+)\\(", "." + METHODS[random.nextInt(METHODS.length)] + "(");
                }
                case 1 -> s = s.replaceFirst("2 \\*\\* \\d+ - 1|\\d+(\\.\\d+)?(e\\d+)?", java.util.regex.Matcher.quoteReplacement(NUMBERS[random.nextInt(NUMBERS.length)]));
                case 2 -> s = s.substring(0, at) + FRAGMENTS[random.nextInt(FRAGMENTS.length)] + s.substring(at);
                case 3 -> {
                    int end = Math.min(s.length(), at + 1 + random.nextInt(8));
                    s = s.substring(0, at) + s.substring(end);
                }
                default -> {
                    int end = Math.min(s.length(), at + 1 + random.nextInt(24));
                    s = s.substring(0, at) + s.substring(at, end) + s.substring(at);
                }
            }
        }
        return s;
    }

    /** Counts of a fuzz run. */
    record Counts(int programs, int refused, int values, int runErrors, long slowestMillis, List<String> violations) {
        @Override
        public String toString() {
            return "programs=" + programs + " refused_at_check=" + refused + " values=" + values + " run_errors=" + runErrors
                    + " slowest_call_ms=" + slowestMillis + " violations=" + violations.size();
        }
    }

    /** Mutates corpus bodies for {@code millis} with {@code seed}; each violation names the body that caused it. */
    static Counts fuzz(long seed, long millis) {
        List<Case> cases = load();
        Random random = new Random(seed);
        long end = System.nanoTime() + millis * 1_000_000;
        int programs = 0, refused = 0, values = 0, errors = 0;
        long slowest = 0;
        List<String> violations = new ArrayList<>();
        while (System.nanoTime() < end) {
            String body = mutate(cases.get(random.nextInt(cases.size())).body(), random);
            Result r = judge(body);
            programs++;
            switch (r.verdict()) {
                case REFUSED -> refused++;
                case VALUE -> values++;
                case RUN_ERROR -> errors++;
            }
            slowest = Math.max(slowest, r.slowestMillis());
            for (String v : r.violations()) violations.add(v + " — body: " + body);
        }
        return new Counts(programs, refused, values, errors, slowest, violations);
    }
}
