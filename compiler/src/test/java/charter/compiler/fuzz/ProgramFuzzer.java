package charter.compiler.fuzz;

import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.fmt.FormatResult;
import charter.compiler.fmt.ProgramFormatter;
import charter.compiler.load.ProgramFiles;
import charter.compiler.parse.ProgramParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The Program fuzzer: random and mutated Programs through check, compile and fmt, with
 * one oracle — no internal error, ever. A Program is accepted or refused with
 * diagnostics that each have a code (never CH901) and a position; what check accepts,
 * compile builds; what fmt formats parses again to the same text; the two-stage parse
 * reports exactly what a full-LL parse reports; and nothing runs longer than a bound.
 */
final class ProgramFuzzer {
    /** Codes that are about the folder, not a place in a file, and so may come without a position. */
    private static final Set<Code> FOLDER_CODES = Set.of(Code.MANIFEST_MISSING, Code.NO_SOURCES);
    private static final Duration PER_PROGRAM = Duration.ofSeconds(120);
    /** The share of accepted Programs (with a DRL not built before) that compile builds into a KieBase. */
    private static final double BUILD_RATE = Double.parseDouble(System.getProperty("charter.fuzz.buildRate", "0.2"));

    record Finding(long iteration, String problem, Map<String, byte[]> files) {}

    /** What a run did; `internalErrors` must be 0. */
    record Report(long seed, long programs, long accepted, long rejected, long built, long internalErrors, List<Finding> findings) {
        String counts() {
            return "seed=" + seed + " programs=" + programs + " accepted=" + accepted + " rejected=" + rejected + " built=" + built
                    + " internalErrors=" + internalErrors;
        }
    }

    private final long seed;
    private final Random random;
    /** Separate from `random`, so the sequence of Programs depends on the seed alone. */
    private final Random buildSampler;
    private final Map<String, String> examples;
    private final ProgramMutator mutator;
    private final ProgramGenerator generator;
    private final ProgramCompiler compiler = new ProgramCompiler(Catalog.standard());
    private final Set<String> builtDrl = new HashSet<>();
    /**
     * Files (name and text) that already passed the per-file oracles (fmt, SLL-vs-LL): half the
     * mutants change one file of the example and leave six as they were, and judging those six
     * again was most of the fuzzer's time. Bounded, oldest forgotten first.
     */
    private final Set<String> filesPassed = java.util.Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 256;
        }
    });
    private volatile long checkNanos;
    private volatile long compileNanos;
    private volatile long fmtNanos;
    private volatile long cpuNanos;
    /** Programs compile built into a KieBase (the warm-up not counted). */
    private volatile long built;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private volatile long parseNanos;

    ProgramFuzzer(long seed, Path exampleProgram) {
        this.seed = seed;
        this.random = new Random(seed);
        this.buildSampler = new Random(~seed);
        this.examples = read(exampleProgram);
        this.mutator = new ProgramMutator(random, List.copyOf(examples.values()));
        this.generator = new ProgramGenerator(random);
    }

    private static Map<String, String> read(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".charter") || p.getFileName().toString().equals("charter.yaml")).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Runs until `budget` has passed or `maxPrograms` were tried, whichever comes first. */
    Report run(Duration budget, long maxPrograms) {
        long programs = 0, accepted = 0, rejected = 0, internal = 0;
        List<Finding> findings = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(ProgramFuzzer::daemon);
        // Warm up (Drools, GraalJS, the JIT) on the unmodified example, untimed: a cold first build on a
        // busy machine must not pass for a Program that hangs.
        Map<String, byte[]> example = new LinkedHashMap<>();
        examples.forEach((k, v) -> example.put(k, utf8(v)));
        Verdict warm = judgeAndBuild(example);
        if (warm.kind() != Kind.ACCEPTED) throw new IllegalStateException("the example Program itself fails: " + warm.problem());
        built = 0;
        cpuNanos = 0;
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        try {
            while (programs < maxPrograms && System.nanoTime() < deadline) {
                Map<String, byte[]> files;
                try {
                    files = next();
                } catch (StackOverflowError | RuntimeException e) {
                    throw new IllegalStateException("the fuzzer's own mutator failed (seed " + seed + ", program " + (programs + 1) + ")", e);
                }
                programs++;
                long started = System.nanoTime();
                Future<Verdict> verdict = worker.submit(() -> {
                    long cpu0 = CPU.getCurrentThreadCpuTime();
                    try {
                        return judge(files);
                    } finally {
                        cpuNanos += CPU.getCurrentThreadCpuTime() - cpu0;
                    }
                });
                Verdict v;
                try {
                    v = verdict.get(PER_PROGRAM.toSeconds(), TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    verdict.cancel(true);
                    worker.shutdownNow();
                    worker = Executors.newSingleThreadExecutor(ProgramFuzzer::daemon);
                    v = Verdict.internal("ran longer than " + PER_PROGRAM.toSeconds() + " s");
                } catch (Exception e) {
                    v = Verdict.internal("the oracle failed: " + e);
                }
                long took = (System.nanoTime() - started) / 1_000_000;
                if (Boolean.getBoolean("charter.fuzz.verbose")) System.out.println("  #" + programs + " " + v.kind() + " " + took + " ms, " + files.values().stream().mapToInt(b -> b.length).sum() + " bytes");
                switch (v.kind()) {
                    case ACCEPTED -> accepted++;
                    case REJECTED -> rejected++;
                    case INTERNAL -> {
                        internal++;
                        if (findings.size() < 20) findings.add(new Finding(programs, v.problem(), files));
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("program fuzzer: %d Programs in %.0f s, %.1f per second, %.1f ms of CPU per Program%n",
                programs, seconds, programs / Math.max(seconds, 1e-9), cpuNanos / 1e6 / Math.max(1, programs));
        System.out.printf("program fuzzer: %d ms in check, %d ms in compile, %d ms in fmt, %d ms in parse%n", checkNanos / 1_000_000, compileNanos / 1_000_000, fmtNanos / 1_000_000, parseNanos / 1_000_000);
        return new Report(seed, programs, accepted, rejected, built, internal, findings);
    }

    private static Thread daemon(Runnable r) {
        // A large stack is not what makes the parser safe (its limits are); the fuzzer runs on the JVM's default.
        Thread t = new Thread(r, "program-fuzzer");
        t.setDaemon(true);
        return t;
    }

    /** The next Program: one of the example's files mutated, a generated Program (maybe mutated), or corrupted bytes. */
    private Map<String, byte[]> next() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        int mode = random.nextInt(10);
        if (mode < 5) {
            examples.forEach((k, v) -> files.put(k, utf8(v)));
            List<String> charter = examples.keySet().stream().filter(k -> k.endsWith(".charter")).toList();
            String victim = charter.get(random.nextInt(charter.size()));
            if (mode == 4) files.put(victim, mutator.corruptBytes(utf8(examples.get(victim))));
            else files.put(victim, utf8(mutator.mutate(examples.get(victim))));
        } else {
            files.put("charter.yaml", utf8("name: g\n"));
            String program = generator.program();
            files.put("main.charter", utf8(mode < 7 ? program : mutator.mutate(program)));
        }
        return files;
    }

    private enum Kind { ACCEPTED, REJECTED, INTERNAL }

    private record Verdict(Kind kind, String problem) {
        static Verdict internal(String problem) {
            return new Verdict(Kind.INTERNAL, problem);
        }
    }

    /** The problem the oracle finds with these files, or null: for replaying saved findings. */
    String problemWith(Map<String, byte[]> files) {
        Verdict v = judge(files);
        return v.kind() == Kind.INTERNAL ? v.problem() : null;
    }

    private Verdict judgeAndBuild(Map<String, byte[]> bytes) {
        Verdict v = judge(bytes);
        if (v.kind() != Kind.ACCEPTED) return v;
        Compilation compiled = compiler.compile(new ProgramFiles("fuzz", bytes));
        if (!compiled.ok()) return Verdict.internal("compile refused the example: " + compiled.diagnostics());
        compiled.program().functions().close();
        return v;
    }

    private Verdict judge(Map<String, byte[]> bytes) {
        ProgramFiles files = new ProgramFiles("fuzz", bytes);
        try {
            long t0 = System.nanoTime();
            Compilation checked = compiler.check(files);
            checkNanos += System.nanoTime() - t0;
            String bad = badDiagnostic(checked.diagnostics());
            if (bad != null) return Verdict.internal("check: " + bad);
            for (var e : bytes.entrySet()) {
                if (!e.getKey().endsWith(".charter")) continue;
                String text = checked.sources().containsKey(e.getKey()) ? checked.sources().get(e.getKey()).text() : null;
                String key = e.getKey() + '\0' + text;
                if (text == null || filesPassed.contains(key)) continue;
                long tf = System.nanoTime();
                String fmt = format(e.getKey(), text);
                fmtNanos += System.nanoTime() - tf;
                if (fmt != null) return Verdict.internal("fmt: " + fmt);
                long tp = System.nanoTime();
                String parse = twoStageAgreesWithLl(e.getKey(), text);
                parseNanos += System.nanoTime() - tp;
                if (parse != null) return Verdict.internal("parse: " + parse);
                filesPassed.add(key);
            }
            if (!checked.ok()) return new Verdict(Kind.REJECTED, null);
            // The Drools build costs seconds: each distinct DRL is built once, and only a sample of them.
            if (buildSampler.nextDouble() < BUILD_RATE && builtDrl.add(digest(checked.drl().drl()))) {
                long t1 = System.nanoTime();
                Compilation compiled = compiler.compile(files);
                compileNanos += System.nanoTime() - t1;
                bad = badDiagnostic(compiled.diagnostics());
                if (bad != null) return Verdict.internal("compile: " + bad);
                if (!compiled.ok() || compiled.program() == null) {
                    return Verdict.internal("check accepted what compile refused: " + compiled.diagnostics());
                }
                compiled.program().functions().close();
                built++;
            }
            return new Verdict(Kind.ACCEPTED, null);
        } catch (Throwable t) {
            return Verdict.internal(t.getClass().getName() + ": " + t.getMessage() + " at " + top(t));
        }
    }

    private static String top(Throwable t) {
        StackTraceElement[] s = t.getStackTrace();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(6, s.length); i++) out.append("\n    ").append(s[i]);
        return out.toString();
    }

    private static String badDiagnostic(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            if (d.code() == Code.INTERNAL) return "internal compiler error " + d;
            if (d.span() == null && !FOLDER_CODES.contains(d.code())) return "no position: " + d;
            if (d.span() != null && (d.span().line() < 1 || d.span().column() < 1)) return "bad position: " + d;
        }
        return null;
    }

    /** fmt either refuses with errors, or its output parses, formats to itself and has no errors. */
    private static String format(String path, String text) {
        FormatResult result = ProgramFormatter.check(path, text);
        String bad = badDiagnostic(result.diagnostics());
        if (bad != null) return bad;
        if (!result.formattable()) {
            return result.diagnostics().stream().anyMatch(Diagnostic::isError) ? null : "refused without an error";
        }
        FormatResult again = ProgramFormatter.check(path, result.formatted());
        if (!again.formattable()) return "its output does not parse: " + again.diagnostics();
        if (!again.canonical()) return "not idempotent";
        return null;
    }

    private static String twoStageAgreesWithLl(String path, String text) {
        var twoStage = new ProgramParser().parse(path, text);
        var ll = new ProgramParser(ProgramParser.Prediction.LL_ONLY).parse(path, text);
        if (!twoStage.diagnostics().equals(ll.diagnostics())) {
            return "SLL-then-LL reported " + twoStage.diagnostics() + " where LL reported " + ll.diagnostics();
        }
        if (twoStage.file().decls().size() != ll.file().decls().size()) return "SLL-then-LL and LL built different ASTs";
        return null;
    }

    /** A DRL's SHA-256: an hour's run sees thousands of distinct DRLs, too many to keep as text. */
    private static String digest(String drl) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(utf8(drl)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
