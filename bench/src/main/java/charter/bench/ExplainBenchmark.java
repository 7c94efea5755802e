package charter.bench;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.InvariantBody;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileReader;
import charter.engine.explain.Explanation;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.reference.Explainer;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints the cost of `charter explain` over a recording of N generated acme events (default
 * 100,000; target: under 5 s for one question, reading the recording included): first the
 * command itself, {@code ./charter explain} in a process of its own, then in this JVM reading the
 * JSONL file, compiling acme, and every rule and `every … has …` invariant of acme asked
 * about the middle event of its first pattern's type, and every deny guard about a `ship`
 * intent in the middle of the recording. Usage: {@code bench/run explain [EVENTS] [PROGRAM]}.
 */
public final class ExplainBenchmark {
    /** The slowest of the questions below on the generated recording (seeded, so the same every run). */
    private static final String SLOWEST_RULE = "staging_deploy_failed";
    private static final String SLOWEST_EVENT = "vercel-051785";

    private ExplainBenchmark() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path acmeDir = Path.of(args.length > 1 ? args[1] : "program-examples/acme");
        Runtime rt = Runtime.getRuntime();
        System.out.println("ExplainBenchmark — java " + System.getProperty("java.version") + ", " + rt.availableProcessors()
                + " cores, -Xmx " + rt.maxMemory() / (1 << 20) + " MB");
        Path file = Files.createTempFile("charter-explain-bench", ".jsonl");
        try {
            try (Writer out = Files.newBufferedWriter(file)) {
                AcmeEventGenerator.write(new AcmeEventGenerator(Catalog.standard())
                        .generate(AcmeEventGenerator.ACME_SEED, AcmeEventGenerator.ACME_START, count), out);
            }
            // First the command as a user runs it, while this JVM is otherwise idle (its own reading and
            // explaining, below, would leave JIT and GC threads busy beside the child).
            commandEndToEnd(acmeDir, file);
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long t0 = System.nanoTime();
            long p0 = os.getProcessCpuTime();
            long m0 = threads.getCurrentThreadCpuTime();
            List<CanonicalEvent> events = new EventFileReader().read(file).events();
            long read = System.nanoTime() - t0;
            long readCpu = os.getProcessCpuTime() - p0;
            long readThread = threads.getCurrentThreadCpuTime() - m0;
            long c0 = System.nanoTime();
            long pc0 = os.getProcessCpuTime();
            long mc0 = threads.getCurrentThreadCpuTime();
            Compilation compilation = new ProgramCompiler(Catalog.standard())
                    .compile(ProgramFiles.fromDirectory(acmeDir), ProgramCompiler.Stage.LINKED);   // as `charter explain`: no KieBase
            if (!compilation.ok()) throw new IllegalStateException("acme does not compile: " + compilation.diagnostics());
            CompiledProgram program = compilation.program();
            long compile = System.nanoTime() - c0;
            long compileCpu = os.getProcessCpuTime() - pc0;
            long compileThread = threads.getCurrentThreadCpuTime() - mc0;
            // Process CPU includes the JIT compiler and GC threads (most of a cold start); this thread's is the work itself.
            System.out.printf("%nRecording of %,d events (%s .. %s)%n  read the JSONL file: %s (process CPU %s, this thread %s)%n"
                            + "  compile acme up to link, no KieBase: %s (process CPU %s, this thread %s)%n", events.size(),
                    events.getFirst().time(), events.getLast().time(), ms(read), ms(readCpu), ms(readThread), ms(compile), ms(compileCpu),
                    ms(compileThread));
            // For comparison: the whole pipeline, Drools build included (what explain compiled before the link stage).
            long b0 = System.nanoTime();
            long pb0 = os.getProcessCpuTime();
            Compilation built = new ProgramCompiler(Catalog.standard()).compile(ProgramFiles.fromDirectory(acmeDir));
            long build = System.nanoTime() - b0;
            long buildCpu = os.getProcessCpuTime() - pb0;
            built.program().functions().close();
            System.out.printf("  (compile acme with every pass, KieBase included, after the above warmed the JIT: %s, process CPU %s)%n",
                    ms(build), ms(buildCpu));

            var resolved = program.drl().core().typed().program();
            List<Explanation.Question> questions = new ArrayList<>();
            for (Decl.RuleDecl r : resolved.rules()) {
                Condition first = r.when().getFirst();
                String type = switch (first) {
                    case Condition.Match m -> m.pattern().type().name();
                    case Condition.Absent a -> a.pattern().type().name();
                    case Condition.Count k -> k.pattern().type().name();
                };
                middle(events, type).ifPresent(id -> questions.add(new Explanation.Question(r.name().text(), Explanation.SubjectKind.EVENT, id)));
            }
            List<IntentRequest> intents = new ArrayList<>();
            IntentRequest ship = new IntentFileReader(program).read(acmeDir.resolve("intents.jsonl")).intents().stream()
                    .filter(i -> i.intent().equals("ship")).findFirst().orElseThrow();
            intents.add(new IntentRequest("bench-ship", "ship", ship.actor(), ship.reason(), events.get(events.size() / 2).time(),
                    ship.params(), null));
            for (Decl.InvariantDecl inv : resolved.invariants()) {
                if (inv.body() instanceof InvariantBody.StateGuard s) {
                    middle(events, s.every().type().name())
                            .ifPresent(id -> questions.add(new Explanation.Question(inv.name().text(), Explanation.SubjectKind.EVENT, id)));
                } else if (inv.body() instanceof InvariantBody.DenyGuard d && d.intent().text().equals("ship")) {
                    questions.add(new Explanation.Question(inv.name().text(), Explanation.SubjectKind.INTENT, "bench-ship"));
                }
            }
            Explainer explainer = new Explainer();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long[] took = new long[questions.size()];
            long maxCpu = 0;
            String slowest = "";
            long max = 0;
            int happened = 0;
            for (int i = 0; i < questions.size(); i++) {
                long q0 = System.nanoTime();
                long qc0 = threads.getCurrentThreadCpuTime();
                Explanation x = explainer.explain(program, events, intents, null, questions.get(i));
                took[i] = System.nanoTime() - q0;
                maxCpu = Math.max(maxCpu, threads.getCurrentThreadCpuTime() - qc0);
                if (x.verdict().happened()) happened++;
                if (took[i] > max) {
                    max = took[i];
                    slowest = questions.get(i).id() + " on " + questions.get(i).subjectId();
                }
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long processCpu = os.getProcessCpuTime() - p0;
            long[] sorted = took.clone();
            Arrays.sort(sorted);
            System.out.printf("%n%d questions (every rule and invariant of acme; %d verdicts happened)%n", questions.size(), happened);
            System.out.printf("  explain alone: median %s, slowest %s (%s)%n", ms(sorted[sorted.length / 2]), ms(max), slowest);
            System.out.printf("  CPU time of this thread for all %d: %s (wall clock figures include waiting for a busy machine)%n", questions.size(), ms(cpu));
            System.out.printf("  one question in this JVM, cold (read + compile + slowest explain): %s (the target is the command's, above); "
                    + "CPU of read + compile + slowest explain: %s%n", ms(read + compile + max), ms(readCpu + compileCpu + maxCpu));
            System.out.printf("  process CPU of the whole run (read, both compiles, %d questions, GC and JIT threads included): %s%n",
                    questions.size(), ms(processCpu));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * One question as a user asks it: {@code ./charter explain} in a process of its own, JVM start,
     * reading, compiling and explaining included. The question is the slowest of the 25 below (a
     * rule over a type with many events). One run first, untimed, so the launcher's class-data
     * archive exists, as it does after a user's first command.
     */
    private static void commandEndToEnd(Path acmeDir, Path events) throws Exception {
        List<String> cmd = List.of(Path.of("charter").toAbsolutePath().toString(), "explain", acmeDir.toString(), SLOWEST_RULE,
                "--event", SLOWEST_EVENT, "--events", events.toString());
        long[] took = new long[3];
        int exit = 0;
        for (int i = -1; i < took.length; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            exit = p.waitFor();
            if (i >= 0) took[i] = System.nanoTime() - t0;
        }
        long[] sorted = took.clone();
        Arrays.sort(sorted);
        System.out.printf("%n./charter explain %s --event %s over the recording, a process each time (JVM start included):%n"
                        + "  median %s (runs %s, exit %d; target < 5 s)%n", SLOWEST_RULE, SLOWEST_EVENT, ms(sorted[1]),
                Arrays.stream(took).mapToObj(ExplainBenchmark::ms).toList(), exit);
    }

    /** The id of the middle event of a type in the recording, if it has any. */
    private static java.util.Optional<String> middle(List<CanonicalEvent> events, String type) {
        List<CanonicalEvent> of = events.stream().filter(e -> e.type().equals(type)).toList();
        return of.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(of.get(of.size() / 2).id());
    }

    private static String ms(long nanos) {
        return String.format("%,.0f ms", nanos / 1e6);
    }
}
