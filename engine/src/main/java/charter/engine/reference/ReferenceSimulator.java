package charter.engine.reference;

import charter.compiler.CompiledProgram;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Pattern;
import charter.compiler.model.ResolvedProgram;
import charter.compiler.model.TypedProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reference interpreter: a second, naive implementation of the language, used as a test
 * oracle for the compiled Drools path. It reads the checked Program (the typed AST, not the
 * lowered core or the DRL), keeps the whole history, and at every instant that matters looks at
 * everything again. Same inputs and same result object as {@link charter.engine.runtime.Simulator}.
 *
 * <p>Time: inputs are taken in time order (events before intents at one instant, then file
 * order). At each instant, each event is added and the rules it completes fire; then intents
 * are decided; then, at the end of the instant, windows closing at that instant are decided.
 * The instants visited are those of the inputs and every event's time plus each window of the
 * Program, up to {@code until} (or the last input).
 */
public final class ReferenceSimulator {

    private Set<String> ambiguous = Set.of();

    /**
     * The action ids of the last run that several combinations of the same events reached with
     * different arguments: the language does not yet say which combination's arguments win.
     */
    public Set<String> ambiguousActionIds() {
        return ambiguous;
    }

    private record Input(Instant time, int order, CanonicalEvent event, IntentRequest intent) {}

    public SimulationResult run(CompiledProgram program, List<CanonicalEvent> events, List<IntentRequest> intents, Instant until) {
        return run(program, events, intents, until, id -> true);
    }

    /** The same run with only the rules and invariants whose id {@code focus} accepts (explain runs one). */
    SimulationResult run(CompiledProgram program, List<CanonicalEvent> events, List<IntentRequest> intents, Instant until,
                         java.util.function.Predicate<String> focus) {
        List<Input> inputs = new ArrayList<>();
        int order = 0;
        for (CanonicalEvent e : events) inputs.add(new Input(e.time(), order++, e, null));
        for (IntentRequest i : intents) inputs.add(new Input(i.time(), order++, null, i));
        inputs.sort(Comparator.comparing(Input::time).thenComparing(in -> in.event() == null).thenComparingInt(Input::order));
        if (until != null) inputs.removeIf(in -> in.time().isAfter(until));
        Instant from = inputs.isEmpty() ? (until != null ? until : Instant.EPOCH.plusMillis(1)) : inputs.getFirst().time();
        Instant end = until != null ? until : inputs.isEmpty() ? from : inputs.getLast().time();

        TypedProgram typed = program.drl().core().typed();
        ResolvedProgram resolved = typed.program();
        String version = program.version();
        History history = new History(resolved.truths());
        Evaluator evaluator = new Evaluator(typed, new Builtins(resolved, program.zone(), program.functions()));
        Patterns patterns = new Patterns(evaluator, history);
        Planner planner = new Planner(evaluator);
        List<Decl.RuleDecl> focusedRules = resolved.rules().stream().filter(r -> focus.test(r.name().text())).toList();
        List<Decl.InvariantDecl> focusedInvariants = resolved.invariants().stream().filter(i -> focus.test(i.name().text())).toList();
        RuleRunner rules = new RuleRunner(focusedRules, patterns, planner, version);
        CountRunner counts = new CountRunner(focusedRules, patterns, planner, version);
        StateRunner states = new StateRunner(focusedInvariants, patterns, planner, version);
        GuardJudge guards = new GuardJudge(resolved.intents(), focusedInvariants, evaluator, patterns, planner, version);
        List<Long> windows = windows(resolved);

        TreeSet<Long> instants = new TreeSet<>();
        for (Input in : inputs) instants.add(in.time().toEpochMilli());
        int next = 0;
        int eventCount = 0;
        int intentCount = 0;
        while (!instants.isEmpty() && instants.first() <= end.toEpochMilli()) {
            long now = instants.pollFirst();
            for (; next < inputs.size() && inputs.get(next).time().toEpochMilli() == now; next++) {
                Input in = inputs.get(next);
                if (in.event() != null) {
                    history.add(new Fact.Event(history.size(), in.event(), significance(in.event(), program, evaluator)));
                    eventCount++;
                    for (long w : windows) instants.add(now + w);
                    rules.run(now, false);
                    counts.run(now, false);
                } else {
                    guards.decide(in.intent(), now);
                    intentCount++;
                }
            }
            rules.run(now, true);
            counts.run(now, true);
            states.run(now);
        }
        ambiguous = Set.copyOf(planner.ambiguous());
        List<TimelineEntry> timeline = planner.timeline();
        return new SimulationResult(program.name(), version, from, end, eventCount, intentCount, timeline, counts(timeline),
                planner.duplicates());
    }

    /** The highest score among the Program's clauses for the type that hold, else the event's own, else the catalog's. */
    static int significance(CanonicalEvent e, CompiledProgram program, Evaluator evaluator) {
        Fact.Event bare = new Fact.Event(-1, e, 0);
        int best = -1;
        for (Decl.SignificanceClause c : program.drl().core().typed().program().significance()) {
            if (!c.type().name().equals(e.type())) continue;
            if (c.where() == null || evaluator.test(c.where(), new Evaluator.Scope(Map.of(), bare, e.time().toEpochMilli()))) {
                best = Math.max(best, c.score());
            }
        }
        if (best >= 0) return best;
        return e.significance() != null ? e.significance() : program.defaultSignificance().getOrDefault(e.type(), 0);
    }

    /** Every window length written in the Program: where a deadline can fall relative to an event. */
    private static List<Long> windows(ResolvedProgram program) {
        TreeSet<Long> out = new TreeSet<>();
        for (Decl.RuleDecl r : program.rules()) {
            for (Condition c : r.when()) {
                switch (c) {
                    case Condition.Match m -> window(m.pattern(), out);
                    case Condition.Absent a -> window(a.pattern(), out);
                    case Condition.Count k -> out.add(k.window().millis());
                }
            }
        }
        for (Decl.InvariantDecl inv : program.invariants()) {
            if (inv.body() instanceof InvariantBody.StateGuard s) window(s.has(), out);
        }
        return List.copyOf(out);
    }

    private static void window(Pattern p, TreeSet<Long> out) {
        if (p.temporal() != null) out.add(p.temporal().window().millis());
    }

    private static Map<String, Integer> counts(List<TimelineEntry> timeline) {
        Map<String, Integer> counts = new TreeMap<>();
        for (TimelineEntry e : timeline) {
            switch (e) {
                case TimelineEntry.PlannedAction a -> counts.merge(a.provenance().id(), 1, Integer::sum);
                case TimelineEntry.Violation v -> counts.merge(v.invariant(), 1, Integer::sum);
                case TimelineEntry.Decision d -> {
                    for (var denial : d.denials()) counts.merge(denial.invariant(), 1, Integer::sum);
                    for (var a : d.actions()) counts.merge(a.provenance().id(), 1, Integer::sum);
                }
                case TimelineEntry.RuleError r -> counts.merge(r.provenance().id() + " (errors)", 1, Integer::sum);
                case TimelineEntry.SkippedAction k -> counts.merge(k.provenance().id() + " (skipped)", 1, Integer::sum);
            }
        }
        return counts;
    }
}
