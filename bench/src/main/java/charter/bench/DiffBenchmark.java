package charter.bench;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diff.ProgramDiff;
import charter.compiler.diff.SemanticDiff;
import charter.compiler.load.ProgramFiles;
import charter.compiler.model.ResolvedProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.impact.ImpactAnalysis;
import charter.engine.impact.ImpactReport;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.runtime.Simulator;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the cost of `charter diff`:
 * <ol>
 *   <li>the semantic diff of two 1,000-rule synthetic Programs (about 30 rules changed, 10
 *       renamed), first call after JVM start and warm median (target ≤ 200 ms);</li>
 *   <li>impact analysis of a changed acme Program over N generated events (default 100k) and
 *       the recorded intents, against one replay of the same inputs (target ratio ≤ 2.2).</li>
 * </ol>
 * Usage: {@code DiffBenchmark [events] [acme-dir]}; run with {@code scripts/bench-diff}.
 */
public final class DiffBenchmark {
    private DiffBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path acmeDir = Path.of(args.length > 1 ? args[1] : "program-examples/acme");
        Runtime rt = Runtime.getRuntime();
        System.out.println("DiffBenchmark — java " + System.getProperty("java.version") + ", " + rt.availableProcessors()
                + " cores, -Xmx " + rt.maxMemory() / (1 << 20) + " MB");
        ProgramCompiler compiler = new ProgramCompiler(Catalog.standard());
        semanticDiff(compiler);
        impact(compiler, acmeDir, events);
    }

    // ---- 1. semantic diff

    private static void semanticDiff(ProgramCompiler compiler) {
        SyntheticPrograms generator = new SyntheticPrograms(Catalog.standard());
        String a = generator.text(1000, 42);
        String b = a;
        int renamed = 0;
        for (int i = 5; i < 1000 && renamed < 10; i += 97, renamed++) b = b.replace("rule r" + i + " ", "rule r" + i + "_renamed ");
        b = b.replaceFirst("within 15m", "within 20m").replaceFirst(">= 3", ">= 4");
        int windows = 0;
        StringBuilder changed = new StringBuilder();
        // Change about 30 windows, spread over the file.
        int from = 0;
        while (windows < 30) {
            int at = b.indexOf("within 30m", from);
            if (at < 0) break;
            changed.append(b, from, at).append("within 45m");
            from = at + "within 30m".length();
            windows++;
        }
        b = changed.append(b.substring(from)).toString();
        long t0 = System.nanoTime();
        ResolvedProgram ra = resolved(compiler, a);
        ResolvedProgram rb = resolved(compiler, b);
        System.out.printf("%n1. Semantic diff of two 1,000-rule Programs%n  check (load..generate) of both: %s%n", ms(System.nanoTime() - t0));
        long jvmUp = ManagementFactory.getRuntimeMXBean().getUptime();
        long c0 = System.nanoTime();
        ProgramDiff first = SemanticDiff.between(ra, rb);
        long cold = System.nanoTime() - c0;
        long[] warm = new long[15];
        for (int i = 0; i < warm.length; i++) {
            long w0 = System.nanoTime();
            SemanticDiff.between(ra, rb);
            warm[i] = System.nanoTime() - w0;
        }
        Arrays.sort(warm);
        System.out.printf("  %d changes (%d renamed, %d changed, %d added, %d removed)%n", first.changes().size(),
                first.count(ProgramDiff.Op.RENAMED), first.count(ProgramDiff.Op.CHANGED), first.count(ProgramDiff.Op.ADDED),
                first.count(ProgramDiff.Op.REMOVED));
        System.out.printf("  first diff after JVM start (JVM up %,d ms): %s   warm median of %d: %s   target ≤ 200 ms: %s%n",
                jvmUp, ms(cold), warm.length, ms(warm[warm.length / 2]), cold <= 200_000_000L ? "met" : "MISSED");
    }

    private static ResolvedProgram resolved(ProgramCompiler compiler, String text) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("charter.yaml", "name: synthetic\n".getBytes(StandardCharsets.UTF_8));
        files.put("main.charter", text.getBytes(StandardCharsets.UTF_8));
        Compilation c = compiler.check(new ProgramFiles("synthetic", files));
        if (!c.ok()) throw new IllegalStateException("synthetic Program does not compile: " + c.diagnostics().getFirst());
        return c.drl().core().typed().program();
    }

    // ---- 2. impact analysis

    private static void impact(ProgramCompiler compiler, Path acmeDir, int count) throws Exception {
        ProgramFiles files = ProgramFiles.fromDirectory(acmeDir);
        CompiledProgram before = compile(compiler, files);
        Map<String, byte[]> changed = new TreeMap<>(files.files());
        edit(changed, "intents.charter", "made by the owning team\" soft", "made by the owning team\" hard");
        edit(changed, "intents.charter", "within 1h before intent", "within 10m before intent");
        edit(changed, "deploys.charter", "severity: \"error\")", "severity: \"critical\")");
        edit(changed, "incidents.charter", "a.issue_id == i.issue_id within 15m after i\n  because", "a.issue_id == i.issue_id within 30m after i\n  because");
        CompiledProgram after = compile(compiler, new ProgramFiles(files.root(), changed));
        List<IntentRequest> intents = new IntentFileReader(before).read(acmeDir.resolve("intents.jsonl")).intents();
        List<CanonicalEvent> events = new AcmeEventGenerator(Catalog.standard())
                .generate(AcmeEventGenerator.ACME_SEED, AcmeEventGenerator.ACME_START, count).toList();
        // Intents spread over the generated span, so decisions see a real state.
        List<IntentRequest> spread = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            for (IntentRequest i : intents) {
                java.time.Instant at = events.get((int) ((long) events.size() * (k * intents.size() + spread.size() % intents.size())
                        / (20L * intents.size() + 1))).time();
                spread.add(new IntentRequest(i.id() + "-" + k, i.intent(), i.actor(), i.reason(), at, i.params(), i.override()));
            }
        }
        System.out.printf("%n2. Impact analysis over %,d events and %,d intents (acme, 4 changes)%n", events.size(), spread.size());
        // Warm-up on a tenth, both paths.
        List<CanonicalEvent> tenth = events.subList(0, events.size() / 10);
        new Simulator().run(before, tenth, List.of(), null);
        ImpactAnalysis.run(before, after, tenth, List.of());
        int runs = 3;
        long[] single = new long[runs];
        long[] parallel = new long[runs];
        long[] sequential = new long[runs];
        ImpactReport report = null;
        for (int r = 0; r < runs; r++) {
            System.gc();
            long t0 = System.nanoTime();
            new Simulator().run(after, events, spread, null);
            single[r] = System.nanoTime() - t0;
            System.gc();
            t0 = System.nanoTime();
            report = ImpactAnalysis.run(before, after, events, spread);
            parallel[r] = System.nanoTime() - t0;
            System.gc();
            t0 = System.nanoTime();
            ImpactAnalysis.run(before, after, events, spread, ImpactAnalysis.Options.defaults().withParallel(false));
            sequential[r] = System.nanoTime() - t0;
        }
        Arrays.sort(single);
        Arrays.sort(parallel);
        Arrays.sort(sequential);
        long one = single[runs / 2];
        double ratio = (double) parallel[runs / 2] / one;
        double ratioSeq = (double) sequential[runs / 2] / one;
        System.out.printf("  differences: %d flips %s, %d actions added, %d removed, %d changed, %d violations vanished, %d moved%n",
                report.decisionsFlipped().count(), report.flips(), report.actionsAdded().count(), report.actionsRemoved().count(),
                report.actionsChanged().count(), report.violationsVanished().count(), report.violationsMoved().count());
        System.out.printf("  one replay (median of %d): %s   impact, two threads: %s (×%.2f)   impact, one thread: %s (×%.2f)%n",
                runs, ms(one), ms(parallel[runs / 2]), ratio, ms(sequential[runs / 2]), ratioSeq);
        System.out.printf("  target ≤ 2.2 × one replay: %s (two threads), %s (one thread)%n", ratio <= 2.2 ? "met" : "MISSED",
                ratioSeq <= 2.2 ? "met" : "MISSED");
    }

    private static void edit(Map<String, byte[]> files, String file, String from, String to) {
        String text = new String(files.get(file), StandardCharsets.UTF_8);
        if (!text.contains(from)) throw new IllegalStateException("not in " + file + ": " + from);
        files.put(file, text.replace(from, to).getBytes(StandardCharsets.UTF_8));
    }

    private static CompiledProgram compile(ProgramCompiler compiler, ProgramFiles files) {
        Compilation c = compiler.compile(files);
        if (!c.ok()) throw new IllegalStateException("does not compile: " + c.diagnostics().getFirst());
        return c.program();
    }

    private static String ms(long nanos) {
        return String.format("%,.1f ms", nanos / 1e6);
    }
}
