package charter.bench.serve;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileReader;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.LiveEngine;
import charter.engine.runtime.ProgramSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The decision latency inside the engine, which the server does not expose: the acme Program,
 * compiled in this JVM, its recorded events loaded, then its recorded intents decided one after
 * another with ids of their own, each a millisecond after the previous, in two ways:
 *
 * <ul>
 *   <li><b>session</b>: {@link ProgramSession#advanceTo} + {@link ProgramSession#decide} on the
 *       calling thread: insert the intent, fire the rules, retract it, plan the actions. This is
 *       the per-decision cost the p99 ≤ 5 ms target is about.</li>
 *   <li><b>live engine</b>: {@link LiveEngine#decide} and waiting for its future, as
 *       {@code CharterServer} does for {@code POST /v1/intents}: the same work plus the hand-off to
 *       the engine thread and back (with no events queued ahead of it).</li>
 * </ul>
 */
public final class InEngineDecisions {
    public record Result(int events, int warmup, Latency session, Latency liveEngine, Map<String, Long> verdicts) {}

    private InEngineDecisions() {}

    public static Result measure(Path programDir, int decisions, int warmup) throws Exception {
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(ProgramFiles.fromDirectory(programDir));
        if (c.program() == null) throw new IllegalStateException(programDir + " does not compile: " + c.diagnostics());
        CompiledProgram program = c.program();
        List<CanonicalEvent> events = new EventFileReader().read(programDir.resolve("events.jsonl")).events();
        List<IntentRequest> intents = new IntentFileReader(program).read(programDir.resolve("intents.jsonl")).intents();
        if (events.isEmpty() || intents.isEmpty()) throw new IllegalStateException("no recorded events or intents in " + programDir);
        Instant first = events.getFirst().time();
        Instant last = events.getLast().time();
        Map<String, Long> verdicts = new TreeMap<>();

        long[] session = new long[decisions];
        try (ProgramSession s = ProgramSession.simulation(program, first.toEpochMilli(), e -> { })) {
            for (CanonicalEvent e : events) {
                if (e.time().toEpochMilli() > s.now()) s.advanceTo(e.time().toEpochMilli());
                s.onEvent(e);
            }
            for (int k = 0; k < warmup + decisions; k++) {
                IntentRequest r = at(intents.get(k % intents.size()), "s" + k, last.plusMillis(k + 1));
                long t0 = System.nanoTime();
                s.advanceTo(r.time().toEpochMilli());
                TimelineEntry.Decision d = s.decide(r);
                long t = System.nanoTime() - t0;
                if (k >= warmup) {
                    session[k - warmup] = t;
                    verdicts.merge(d.verdict().label(), 1L, Long::sum);
                }
            }
        }

        long[] live = new long[decisions];
        LiveEngine engine = new LiveEngine(program, first, e -> { }, Duration.ofDays(1));
        try {
            events.forEach(engine::submit);
            engine.barrier().get(120, TimeUnit.SECONDS);
            for (int k = 0; k < warmup + decisions; k++) {
                IntentRequest r = at(intents.get(k % intents.size()), "l" + k, last.plusMillis(k + 1));
                long t0 = System.nanoTime();
                engine.decide(r).get(10, TimeUnit.SECONDS);
                long t = System.nanoTime() - t0;
                if (k >= warmup) live[k - warmup] = t;
            }
        } finally {
            engine.close();
            program.functions().close();
        }
        return new Result(events.size(), warmup, Latency.ofNanos(session, decisions), Latency.ofNanos(live, decisions), verdicts);
    }

    private static IntentRequest at(IntentRequest r, String id, Instant time) {
        return new IntentRequest(r.id() + "-" + id, r.intent(), r.actor(), r.reason(), time, r.params(), r.override());
    }
}
