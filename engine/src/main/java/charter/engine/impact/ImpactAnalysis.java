package charter.engine.impact;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.impact.ImpactReport.ActionDelta;
import charter.engine.impact.ImpactReport.Cite;
import charter.engine.impact.ImpactReport.DecisionDelta;
import charter.engine.impact.ImpactReport.Denier;
import charter.engine.impact.ImpactReport.ErrorDelta;
import charter.engine.impact.ImpactReport.InvariantCounts;
import charter.engine.impact.ImpactReport.RuleCounts;
import charter.engine.impact.ImpactReport.Section;
import charter.engine.impact.ImpactReport.ViolationDelta;
import charter.engine.intent.IntentRequest;
import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.Simulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Impact analysis: the same events and intents replayed through two Program versions
 * (two dry runs, no side effects), and what the second would have done differently.
 *
 * <p>Outputs are matched by what they are, not by the version that made them: an action
 * by its source (rule, or intent request), its triggering event ids and its index in the
 * rule (the idempotency key, which holds no version); a decision by its intent request;
 * a violation by its invariant and the events it cites; a rule error by its source,
 * events, intent and message. Ids renamed between the versions (from the semantic diff)
 * are mapped first, so a renamed rule's actions are not reported as removed and added.
 *
 * <p>A rule error on one side is reported in the row it affects (the action the other
 * side planned) and in the error sections; it never stops the run. The two replays run
 * on two threads when {@code parallel} (each Program has its own sessions and sandbox
 * contexts).
 */
public final class ImpactAnalysis {
    public static final int DEFAULT_EXAMPLES = 5;

    /**
     * @param renames  old id → new id for rules, invariants and intents renamed between the versions
     * @param examples how many examples each section keeps
     * @param until    run both clocks to this time (null: the last input)
     */
    public record Options(Map<String, String> renames, int examples, Instant until, boolean parallel) {
        public Options {
            renames = Map.copyOf(renames);
            if (examples < 0) throw new IllegalArgumentException("examples must be >= 0");
        }

        public static Options defaults() {
            return new Options(Map.of(), DEFAULT_EXAMPLES, null, true);
        }

        public Options withRenames(Map<String, String> newRenames) {
            return new Options(newRenames, examples, until, parallel);
        }

        public Options withExamples(int n) {
            return new Options(renames, n, until, parallel);
        }

        public Options withParallel(boolean p) {
            return new Options(renames, examples, until, p);
        }
    }

    private ImpactAnalysis() {}

    public static ImpactReport run(CompiledProgram before, CompiledProgram after, List<CanonicalEvent> events,
                                   List<IntentRequest> intents) {
        return run(before, after, events, intents, Options.defaults());
    }

    public static ImpactReport run(CompiledProgram before, CompiledProgram after, List<CanonicalEvent> events,
                                   List<IntentRequest> intents, Options options) {
        SimulationResult[] results = replay(before, after, events, intents, options);
        return compare(results[0], results[1], events, options);
    }

    private static SimulationResult[] replay(CompiledProgram before, CompiledProgram after, List<CanonicalEvent> events,
                                             List<IntentRequest> intents, Options options) {
        if (!options.parallel()) {
            return new SimulationResult[]{new Simulator().run(before, events, intents, options.until()),
                    new Simulator().run(after, events, intents, options.until())};
        }
        AtomicReference<SimulationResult> first = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("charter-impact-before").start(() -> {
            try {
                first.set(new Simulator().run(before, events, intents, options.until()));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        SimulationResult second = new Simulator().run(after, events, intents, options.until());
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying the first version", e);
        }
        if (failure.get() instanceof RuntimeException e) throw e;
        if (failure.get() instanceof Error e) throw e;
        return new SimulationResult[]{first.get(), second};
    }

    // ---- comparison

    /** Compares two dry runs of the same inputs. Public so that callers holding both results need not replay. */
    public static ImpactReport compare(SimulationResult before, SimulationResult after, List<CanonicalEvent> events,
                                       Options options) {
        return new Comparison(before, after, events, options).report();
    }

    private static final class Comparison {
        private final SimulationResult before;
        private final SimulationResult after;
        private final Options options;
        private final Map<String, CanonicalEvent> eventsById;
        private final Map<String, Counter> rules = new TreeMap<>();
        private final Map<String, InvariantCounter> invariants = new TreeMap<>();
        private final Map<String, Integer> flips = new TreeMap<>();

        Comparison(SimulationResult before, SimulationResult after, List<CanonicalEvent> events, Options options) {
            this.before = before;
            this.after = after;
            this.options = options;
            this.eventsById = new HashMap<>(events.size() * 2);
            for (CanonicalEvent e : events) eventsById.putIfAbsent(e.id(), e);
        }

        private static final class Counter {
            int before, after, added, removed, changed, errorsBefore, errorsAfter;
        }

        private static final class InvariantCounter {
            int denialsBefore, denialsAfter, violationsBefore, violationsAfter, flips;
        }

        private Counter rule(String id) {
            return rules.computeIfAbsent(id, k -> new Counter());
        }

        private InvariantCounter invariant(String id) {
            return invariants.computeIfAbsent(id, k -> new InvariantCounter());
        }

        private String renamed(String id) {
            return options.renames().getOrDefault(id, id);
        }

        private List<Cite> cite(List<String> ids) {
            List<Cite> out = new ArrayList<>(ids.size());
            for (String id : ids) {
                CanonicalEvent e = eventsById.get(id);
                out.add(new Cite(id, e == null ? null : e.type(), e == null ? null : e.time()));
            }
            return out;
        }

        private static String sortedIds(List<String> ids) {
            if (ids.size() <= 1) return ids.isEmpty() ? "" : ids.getFirst();
            List<String> sorted = new ArrayList<>(ids);
            sorted.sort(null);
            return String.join(",", sorted);
        }

        private String actionKey(TimelineEntry.PlannedAction a, boolean beforeSide) {
            Provenance p = a.provenance();
            String id = beforeSide ? renamed(p.id()) : p.id();
            return p.kind() + ":" + id + "|" + sortedIds(p.eventIds()) + "|" + Objects.toString(p.intentId(), "") + "|" + a.actionIndex();
        }

        /** Where an action's rule failed on the same events: the error's source and its events. */
        private String errorKey(Provenance p, boolean beforeSide) {
            String id = beforeSide ? renamed(p.id()) : p.id();
            return id + "|" + sortedIds(p.eventIds()) + "|" + Objects.toString(p.intentId(), "");
        }

        ImpactReport report() {
            // Rule errors first: they annotate the action rows.
            Map<String, TimelineEntry.RuleError> errorsBefore = new LinkedHashMap<>();
            Map<String, TimelineEntry.RuleError> errorsAfter = new LinkedHashMap<>();
            Map<String, String> errorBySiteBefore = new HashMap<>();
            Map<String, String> errorBySiteAfter = new HashMap<>();
            Map<String, List<String>> errorsByIntent = new HashMap<>();
            for (TimelineEntry.RuleError e : before.errors()) {
                errorsBefore.putIfAbsent(errorKey(e.provenance(), true) + "|" + e.message(), e);
                errorBySiteBefore.putIfAbsent(errorKey(e.provenance(), true), e.message());
                rule(renamed(e.provenance().id())).errorsBefore++;
                if (e.provenance().intentId() != null) errorsByIntent.computeIfAbsent(e.provenance().intentId(), k -> new ArrayList<>()).add("before: " + e.message());
            }
            for (TimelineEntry.RuleError e : after.errors()) {
                errorsAfter.putIfAbsent(errorKey(e.provenance(), false) + "|" + e.message(), e);
                errorBySiteAfter.putIfAbsent(errorKey(e.provenance(), false), e.message());
                rule(e.provenance().id()).errorsAfter++;
                if (e.provenance().intentId() != null) errorsByIntent.computeIfAbsent(e.provenance().intentId(), k -> new ArrayList<>()).add("after: " + e.message());
            }

            // Actions.
            Map<String, TimelineEntry.PlannedAction> actionsBefore = new HashMap<>();
            for (TimelineEntry.PlannedAction a : before.actions()) {
                actionsBefore.put(actionKey(a, true), a);
                rule(renamed(a.provenance().id())).before++;
            }
            Sections<ActionDelta> added = new Sections<>(options.examples());
            Sections<ActionDelta> removed = new Sections<>(options.examples());
            Sections<ActionDelta> changed = new Sections<>(options.examples());
            java.util.Set<String> seen = new java.util.HashSet<>();
            List<TimelineEntry.PlannedAction> afterActions = after.actions();
            for (TimelineEntry.PlannedAction a : afterActions) {
                String key = actionKey(a, false);
                Counter counter = rule(a.provenance().id());
                counter.after++;
                TimelineEntry.PlannedAction old = actionsBefore.get(key);
                if (old == null) {
                    counter.added++;
                    added.add(a.time(), () -> delta(a, null, a, errorBySiteBefore.get(errorKey(a.provenance(), false))));
                } else {
                    seen.add(key);
                    if (!old.args().equals(a.args()) || !old.tool().equals(a.tool())) {
                        counter.changed++;
                        changed.add(a.time(), () -> delta(a, old, a, null));
                    }
                }
            }
            for (TimelineEntry.PlannedAction a : before.actions()) {
                String key = actionKey(a, true);
                if (seen.contains(key)) continue;
                rule(renamed(a.provenance().id())).removed++;
                removed.add(a.time(), () -> delta(a, a, null, errorBySiteAfter.get(errorKey(a.provenance(), true))));
            }

            // Decisions.
            Map<String, TimelineEntry.Decision> decisionsBefore = new HashMap<>();
            for (TimelineEntry.Decision d : before.decisions()) {
                decisionsBefore.put(d.intentId(), d);
                for (var denial : d.denials()) invariant(renamed(denial.invariant())).denialsBefore++;
            }
            Sections<DecisionDelta> flipped = new Sections<>(options.examples());
            Sections<DecisionDelta> denials = new Sections<>(options.examples());
            for (TimelineEntry.Decision d : after.decisions()) {
                for (var denial : d.denials()) invariant(denial.invariant()).denialsAfter++;
                TimelineEntry.Decision old = decisionsBefore.get(d.intentId());
                if (old == null) continue;
                List<Denier> was = deniers(old, true);
                List<Denier> is = deniers(d, false);
                if (old.verdict() != d.verdict()) {
                    flips.merge(old.verdict().label() + " → " + d.verdict().label(), 1, Integer::sum);
                    TreeSet<String> involved = new TreeSet<>();
                    was.forEach(x -> involved.add(x.invariant()));
                    is.forEach(x -> involved.add(x.invariant()));
                    for (String inv : involved) {
                        boolean same = was.stream().anyMatch(x -> x.invariant().equals(inv)) == is.stream().anyMatch(x -> x.invariant().equals(inv))
                                && Objects.equals(level(was, inv), level(is, inv));
                        if (!same) invariant(inv).flips++;
                    }
                    flipped.add(d.time(), () -> decision(old, d, was, is, errorsByIntent.get(d.intentId())));
                } else if (!was.equals(is)) {
                    denials.add(d.time(), () -> decision(old, d, was, is, errorsByIntent.get(d.intentId())));
                }
            }

            // Violations.
            Map<String, TimelineEntry.Violation> violationsBefore = new LinkedHashMap<>();
            for (TimelineEntry.Violation v : before.violations()) {
                violationsBefore.putIfAbsent(renamed(v.invariant()) + "|" + sortedIds(v.provenance().eventIds()), v);
                invariant(renamed(v.invariant())).violationsBefore++;
            }
            Sections<ViolationDelta> appeared = new Sections<>(options.examples());
            Sections<ViolationDelta> vanished = new Sections<>(options.examples());
            Sections<ViolationDelta> moved = new Sections<>(options.examples());
            java.util.Set<String> seenViolations = new java.util.HashSet<>();
            for (TimelineEntry.Violation v : after.violations()) {
                invariant(v.invariant()).violationsAfter++;
                String key = v.invariant() + "|" + sortedIds(v.provenance().eventIds());
                TimelineEntry.Violation old = violationsBefore.get(key);
                if (old == null) {
                    appeared.add(v.time(), () -> new ViolationDelta(v.invariant(), v.level(), null, v.time(), cite(v.provenance().eventIds())));
                } else {
                    seenViolations.add(key);
                    if (!old.time().equals(v.time())) {
                        moved.add(v.time(), () -> new ViolationDelta(v.invariant(), v.level(), old.time(), v.time(), cite(v.provenance().eventIds())));
                    }
                }
            }
            violationsBefore.forEach((key, v) -> {
                if (!seenViolations.contains(key)) {
                    vanished.add(v.time(), () -> new ViolationDelta(renamed(v.invariant()), v.level(), v.time(), null,
                            cite(v.provenance().eventIds())));
                }
            });

            // Errors on one side only.
            Sections<ErrorDelta> errorsNew = new Sections<>(options.examples());
            Sections<ErrorDelta> errorsGone = new Sections<>(options.examples());
            errorsAfter.forEach((key, e) -> {
                if (!errorsBefore.containsKey(key)) errorsNew.add(e.time(), () -> error(e, false));
            });
            errorsBefore.forEach((key, e) -> {
                if (!errorsAfter.containsKey(key)) errorsGone.add(e.time(), () -> error(e, true));
            });

            List<RuleCounts> ruleCounts = new ArrayList<>();
            rules.forEach((id, c) -> {
                if (c.added + c.removed + c.changed > 0 || c.before != c.after || c.errorsBefore != c.errorsAfter) {
                    ruleCounts.add(new RuleCounts(id, c.before, c.after, c.added, c.removed, c.changed, c.errorsBefore, c.errorsAfter));
                }
            });
            List<InvariantCounts> invariantCounts = new ArrayList<>();
            invariants.forEach((id, c) -> {
                if (c.flips > 0 || c.denialsBefore != c.denialsAfter || c.violationsBefore != c.violationsAfter) {
                    invariantCounts.add(new InvariantCounts(id, c.denialsBefore, c.denialsAfter, c.violationsBefore, c.violationsAfter, c.flips));
                }
            });
            Instant from = min(before.from(), after.from());
            Instant until = max(before.until(), after.until());
            return new ImpactReport(before.version(), after.version(), after.events(), after.intents(), from, until,
                    options.examples(), added.section(), removed.section(), changed.section(), flipped.section(), denials.section(),
                    appeared.section(), vanished.section(), moved.section(), errorsNew.section(), errorsGone.section(),
                    ruleCounts, invariantCounts, flips);
        }

        private static String level(List<Denier> deniers, String invariant) {
            return deniers.stream().filter(d -> d.invariant().equals(invariant)).map(Denier::level).findFirst().orElse(null);
        }

        private List<Denier> deniers(TimelineEntry.Decision d, boolean beforeSide) {
            List<Denier> out = new ArrayList<>();
            for (var denial : d.denials()) out.add(new Denier(beforeSide ? renamed(denial.invariant()) : denial.invariant(), denial.level()));
            out.sort(java.util.Comparator.comparing(Denier::invariant));
            return out;
        }

        private DecisionDelta decision(TimelineEntry.Decision old, TimelineEntry.Decision now, List<Denier> was, List<Denier> is,
                                       List<String> errors) {
            return new DecisionDelta(now.time(), now.intentId(), now.intent(), now.actor(), now.params(), old.verdict(), now.verdict(),
                    was, is, now.override() != null || old.override() != null, errors == null ? List.of() : errors);
        }

        private ActionDelta delta(TimelineEntry.PlannedAction a, TimelineEntry.PlannedAction old, TimelineEntry.PlannedAction now,
                                  String error) {
            return new ActionDelta(a.time(), now == null ? renamed(a.provenance().id()) : a.provenance().id(), a.tool(),
                    a.actionIndex(), cite(a.provenance().eventIds()), a.provenance().intentId(),
                    old == null ? null : old.args(), now == null ? null : now.args(), error);
        }

        private ErrorDelta error(TimelineEntry.RuleError e, boolean beforeSide) {
            return new ErrorDelta(e.time(), beforeSide ? renamed(e.provenance().id()) : e.provenance().id(),
                    cite(e.provenance().eventIds()), e.provenance().intentId(), e.message());
        }

        private static Instant min(Instant a, Instant b) {
            return a.isBefore(b) ? a : b;
        }

        private static Instant max(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }
    }

    /**
     * Counts every item of a kind and keeps the earliest {@code limit} (by time, then
     * arrival), building an example only when it is kept: on 100k events most rows are
     * counted, never materialised.
     */
    private static final class Sections<T> {
        private final int limit;
        private int count;
        private final List<Kept<T>> kept = new ArrayList<>();
        private int arrival;

        private record Kept<T>(Instant time, int arrival, T item) {}

        Sections(int limit) {
            this.limit = limit;
        }

        void add(Instant time, java.util.function.Supplier<T> item) {
            count++;
            arrival++;
            if (limit == 0) return;
            if (kept.size() < limit) {
                kept.add(new Kept<>(time, arrival, item.get()));
                return;
            }
            // Inputs arrive in time order per side; the few out of order (the removed side) replace a later one.
            int latest = 0;
            for (int i = 1; i < kept.size(); i++) if (kept.get(i).time().isAfter(kept.get(latest).time())) latest = i;
            if (time.isBefore(kept.get(latest).time())) kept.set(latest, new Kept<>(time, arrival, item.get()));
        }

        List<T> examplesSorted() {
            List<Kept<T>> sorted = new ArrayList<>(kept);
            sorted.sort(java.util.Comparator.comparing((Kept<T> k) -> k.time()).thenComparingInt(Kept::arrival));
            return sorted.stream().map(Kept::item).toList();
        }

        Section<T> section() {
            return new Section<>(count, examplesSorted());
        }
    }
}
