package charter.bench;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.builtins.Builtin;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.runtime.Simulator;
import charter.facts.EventFact;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cost of `function js`, printed:
 * <ol>
 *   <li>per-call overhead of a small function in a rule condition over 1M events: the
 *       condition `small(pr.additions) > 100` against the same condition written with
 *       built-ins, evaluated through the compiled condition table on one thread;</li>
 *   <li>the same for a call like acme's `pr_risk`, with a list argument and Array built-ins;</li>
 *   <li>simulation throughput of the acme Program with its JavaScript functions next to
 *       the same Program with each call replaced by a built-in expression, as a ratio.</li>
 * </ol>
 * Run: {@code scripts/bench-js} (or see docs/js-functions.md).
 */
public final class JsFunctionBenchmark {
    private static final ProgramCompiler COMPILER = new ProgramCompiler(Catalog.standard());

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path acme = Path.of(args.length > 1 ? args[1] : "program-examples/acme");
        perCall(events);
        perCallWithList(events / 4);
        simulation(acme);
    }

    private static void perCall(int n) {
        String head = "program \"b\"\nfunction js small(x: number): number { return x * 2 + 1 }\n";
        CompiledProgram js = compile(Map.of("main.charter", head + rule("small(pr.additions) > 100")));
        CompiledProgram builtin = compile(Map.of("main.charter", head + rule("pr.additions + pr.additions + 1 > 100")));
        // Distinct arguments on every call: a function's results are remembered, and a repeated
        // argument would measure the memory, not the call.
        EventFact[] facts = new EventFact[n];
        for (int i = 0; i < facts.length; i++) {
            facts[i] = EventFact.of("e" + i, "github.pull_request.opened", i, Map.of("additions", (double) i));
        }
        for (int round = 0; round < 3; round++) {
            double jsNanos = conditions(js, facts, n);
            double builtinNanos = conditions(builtin, facts, n);
            System.out.printf("per call (round %d, %,d events): js condition %.3f µs, built-in condition %.3f µs, "
                    + "js overhead %.3f µs/call%n", round + 1, n, jsNanos / 1000, builtinNanos / 1000, (jsNanos - builtinNanos) / 1000);
        }
        js.functions().close();
    }

    /**
     * A call like acme's `pr_risk`: a list argument turned into a guest array, and Array
     * built-ins on it (each goes through the sandbox's guard), next to the small function.
     */
    private static void perCallWithList(int n) {
        String head = "program \"b\"\nfunction js risky(additions: number, labels: list): number {\n"
                + "  const sensitive = [\"security\", \"infra\"]\n"
                + "  return labels.some((l) => sensitive.includes(l.split(\"/\")[0])) ? additions + 30 : additions\n}\n";
        CompiledProgram js = compile(Map.of("main.charter", head + rule("risky(pr.additions, pr.labels) > 100")));
        EventFact[] facts = new EventFact[n];
        for (int i = 0; i < facts.length; i++) {
            facts[i] = EventFact.of("e" + i, "github.pull_request.opened", i, Map.of("additions", (double) i,
                    "labels", i % 3 == 0 ? List.of("infra/k8s", "size/S") : List.of("docs", "size/M", "ui")));
        }
        for (int round = 0; round < 3; round++) {
            System.out.printf("per call with a list and Array built-ins (round %d, %,d events): %.3f µs%n", round + 1, n,
                    conditions(js, facts, n) / 1000);
        }
        js.functions().close();
    }

    private static String rule(String condition) {
        return "rule r {\n  when github.pull_request.opened pr where " + condition
                + "\n  then slack.post(channel: \"#a\", text: \"x\")\n}\n";
    }

    /** Nanoseconds per condition evaluation. */
    private static double conditions(CompiledProgram p, EventFact[] facts, int n) {
        Builtin.Context ctx = new Builtin.Context(p.directory(), ZoneId.of("UTC"), 0);
        int hits = 0;
        Object[] frame = new Object[1];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            frame[0] = facts[i % facts.length];
            if (p.conditions().test(0, frame, ctx)) hits++;
        }
        long elapsed = System.nanoTime() - start;
        if (hits == 0) throw new IllegalStateException("no hits");
        return (double) elapsed / n;
    }

    private static void simulation(Path acme) throws Exception {
        ProgramFiles files = ProgramFiles.fromDirectory(acme);
        Map<String, byte[]> replaced = new LinkedHashMap<>(files.files());
        replace(replaced, "reviews.charter", "pr_risk(pr.additions, pr.deletions, pr.changed_files, pr.labels) >= 60",
                "pr.additions + pr.deletions + pr.changed_files >= 2400 and len(pr.labels) >= 0");
        replace(replaced, "reviews.charter", "${pr_risk(pr.additions, pr.deletions, pr.changed_files, pr.labels)}", "${len(pr.labels)}");
        replace(replaced, "main.charter", "pr_risk(additions, deletions, changed_files, labels) >= 60", "additions + deletions >= 2400");
        replace(replaced, "deploys.charter", "deploy_env(d.url) == \"staging\"", "d.url matches \"^https://[a-z0-9]+-staging-acme\\\\.vercel\\\\.app\"");
        replace(replaced, "deploys.charter", "${deploy_env(d.url)}", "${lower(d.branch)}");
        CompiledProgram withJs = compile(files);
        CompiledProgram withBuiltins = compile(new ProgramFiles(files.root(), replaced));
        List<CanonicalEvent> events = new AcmeEventGenerator().generate(7L, AcmeEventGenerator.ACME_START, 100_000).toList();
        for (int round = 0; round < 3; round++) {
            double js = throughput(withJs, events);
            double builtins = throughput(withBuiltins, events);
            System.out.printf("simulation (round %d, %,d acme events): with js functions %,.0f events/s, with built-ins %,.0f events/s, "
                    + "ratio js/built-ins %.2f%n", round + 1, events.size(), js, builtins, js / builtins);
        }
    }

    private static double throughput(CompiledProgram p, List<CanonicalEvent> events) {
        long start = System.nanoTime();
        var result = new Simulator().run(p, events, List.of(), null);
        long elapsed = System.nanoTime() - start;
        if (!result.errors().isEmpty()) throw new IllegalStateException("rule errors: " + result.errors().getFirst());
        return events.size() / (elapsed / 1e9);
    }

    private static void replace(Map<String, byte[]> files, String file, String from, String to) {
        String text = new String(files.get(file), StandardCharsets.UTF_8);
        if (!text.contains(from)) throw new IllegalStateException(file + " no longer contains " + from);
        files.put(file, text.replace(from, to).getBytes(StandardCharsets.UTF_8));
    }

    private static CompiledProgram compile(Map<String, String> charter) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("charter.yaml", "name: b\n".getBytes(StandardCharsets.UTF_8));
        charter.forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return compile(new ProgramFiles("b", files));
    }

    private static CompiledProgram compile(ProgramFiles files) {
        Compilation c = COMPILER.compile(files);
        if (!c.ok()) throw new IllegalStateException("does not compile: " + c.diagnostics());
        return c.program();
    }
}
