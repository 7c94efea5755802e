package charter.engine.scenario;

import charter.compiler.CompiledProgram;
import charter.compiler.ast.Span;
import charter.engine.reference.ConditionProbe;
import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Program's scenarios exercised, as `charter test --coverage` reports it. Every rule,
 * intent guard, state invariant and intent has outcomes a scenario can show, and coverage is the
 * share of outcomes some scenario showed:
 * <ul>
 *   <li>a rule: it <b>fired</b> (planned an action, or failed trying);</li>
 *   <li>a deny guard: it <b>denied</b> an intent, and it <b>let through</b> an intent of its type
 *       (both sides of the guard, like a branch);</li>
 *   <li>a state invariant: it was <b>violated</b>;</li>
 *   <li>an intent: it was <b>decided</b>, and it was <b>allowed</b> (its actions planned).</li>
 * </ul>
 * and every condition (each conjunct of a `where`, each `unless`) has two: it was seen <b>true</b>
 * and seen <b>false</b> on some scenario's inputs ({@link ConditionProbe}: the reference
 * interpreter evaluates it on every candidate event or intent of its pattern's type).
 */
public record Coverage(List<Item> items, List<ConditionItem> conditions) {
    public Coverage {
        items = List.copyOf(items);
        conditions = List.copyOf(conditions);
    }

    public Coverage(List<Item> items) {
        this(items, List.of());
    }

    /** One condition of a rule or invariant, and the scenarios it was seen true and false in. */
    public record ConditionItem(String owner, Span span, String text, List<String> trueIn, List<String> falseIn) {
        public ConditionItem {
            trueIn = List.copyOf(trueIn);
            falseIn = List.copyOf(falseIn);
        }

        public boolean covered() {
            return !trueIn.isEmpty() && !falseIn.isEmpty();
        }

        int seen() {
            return (trueIn.isEmpty() ? 0 : 1) + (falseIn.isEmpty() ? 0 : 1);
        }
    }

    public enum Kind {
        RULE("rule"), INVARIANT("invariant"), STATE_INVARIANT("invariant"), INTENT("intent");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One outcome and the scenarios that showed it (empty: none did). */
    public record Outcome(String name, List<String> seenIn) {
        public Outcome {
            seenIn = List.copyOf(seenIn);
        }

        public boolean seen() {
            return !seenIn.isEmpty();
        }
    }

    public record Item(Kind kind, String id, Span span, List<Outcome> outcomes) {
        public Item {
            outcomes = List.copyOf(outcomes);
        }

        public boolean covered() {
            return outcomes.stream().allMatch(Outcome::seen);
        }
    }

    /** Outcomes seen: of rules, invariants and intents, and each condition's true and false. */
    public int outcomesSeen() {
        return (int) items.stream().flatMap(i -> i.outcomes().stream()).filter(Outcome::seen).count()
                + conditions.stream().mapToInt(ConditionItem::seen).sum();
    }

    public int outcomesTotal() {
        return items.stream().mapToInt(i -> i.outcomes().size()).sum() + 2 * conditions.size();
    }

    public int conditionOutcomesSeen() {
        return conditions.stream().mapToInt(ConditionItem::seen).sum();
    }

    /** Outcomes seen over outcomes there are (conditions' true and false included), in percent; 100 for a Program with nothing to cover. */
    public double percent() {
        return outcomesTotal() == 0 ? 100.0 : 100.0 * outcomesSeen() / outcomesTotal();
    }

    public static Coverage of(CompiledProgram program, TestReport report) {
        Map<String, List<String>> fired = new LinkedHashMap<>();
        Map<String, List<String>> denied = new LinkedHashMap<>();
        Map<String, List<String>> letThrough = new LinkedHashMap<>();
        Map<String, List<String>> violated = new LinkedHashMap<>();
        Map<String, List<String>> decided = new LinkedHashMap<>();
        Map<String, List<String>> allowed = new LinkedHashMap<>();
        for (ScenarioOutcome scenario : report.scenarios()) {
            SimulationResult result = scenario.result();
            if (result == null) continue;
            String name = scenario.file();
            for (TimelineEntry entry : result.timeline()) {
                switch (entry) {
                    case TimelineEntry.PlannedAction a when a.provenance().kind() == Provenance.Kind.RULE -> add(fired, a.provenance().id(), name);
                    case TimelineEntry.RuleError e when e.provenance().kind() == Provenance.Kind.RULE -> add(fired, e.provenance().id(), name);
                    case TimelineEntry.Violation v -> add(violated, v.invariant(), name);
                    case TimelineEntry.Decision d -> {
                        add(decided, d.intent(), name);
                        if (d.verdict() == TimelineEntry.Verdict.ALLOW) add(allowed, d.intent(), name);
                        List<String> denying = d.denials().stream().map(TimelineEntry.Denial::invariant).toList();
                        for (CompiledProgram.GuardInfo g : program.guards()) {
                            if (!g.core().intent().equals(d.intent())) continue;
                            add(denying.contains(g.id()) ? denied : letThrough, g.id(), name);
                        }
                    }
                    default -> { }
                }
            }
        }
        List<Item> items = new ArrayList<>();
        for (CompiledProgram.RuleInfo r : program.rules()) {
            items.add(new Item(Kind.RULE, r.id(), r.core().span(), List.of(new Outcome("fired", get(fired, r.id())))));
        }
        for (CompiledProgram.GuardInfo g : program.guards()) {
            items.add(new Item(Kind.INVARIANT, g.id(), g.core().span(), List.of(
                    new Outcome("denied", get(denied, g.id())), new Outcome("let through", get(letThrough, g.id())))));
        }
        for (CompiledProgram.StateInfo s : program.stateInvariants()) {
            items.add(new Item(Kind.STATE_INVARIANT, s.id(), s.core().span(), List.of(new Outcome("violated", get(violated, s.id())))));
        }
        for (CompiledProgram.IntentInfo i : program.intents().values()) {
            items.add(new Item(Kind.INTENT, i.name(), i.span(), List.of(
                    new Outcome("decided", get(decided, i.name())), new Outcome("allowed", get(allowed, i.name())))));
        }
        return new Coverage(items, conditions(program, report));
    }

    private static List<ConditionItem> conditions(CompiledProgram program, TestReport report) {
        ConditionProbe probe = new ConditionProbe(program);
        Map<ConditionProbe.Conjunct, List<String>> trueIn = new LinkedHashMap<>();
        Map<ConditionProbe.Conjunct, List<String>> falseIn = new LinkedHashMap<>();
        // With no scenario, every condition is still listed, seen neither way.
        for (ConditionProbe.Conjunct c : probe.probe(List.of(), List.of()).keySet()) {
            trueIn.put(c, new ArrayList<>());
            falseIn.put(c, new ArrayList<>());
        }
        for (ScenarioOutcome scenario : report.scenarios()) {
            probe.probe(scenario.events(), scenario.intents()).forEach((c, seen) -> {
                if (seen.wasTrue()) add(trueIn, c, scenario.file());
                if (seen.wasFalse()) add(falseIn, c, scenario.file());
            });
        }
        List<ConditionItem> out = new ArrayList<>();
        for (ConditionProbe.Conjunct c : trueIn.keySet()) {
            out.add(new ConditionItem(c.owner(), c.span(), c.text(), trueIn.get(c), falseIn.getOrDefault(c, List.of())));
        }
        return out;
    }

    private static <K> void add(Map<K, List<String>> into, K key, String scenario) {
        List<String> list = into.computeIfAbsent(key, k -> new ArrayList<>());
        if (!list.contains(scenario)) list.add(scenario);
    }

    private static void add(Map<String, List<String>> into, String id, String scenario) {
        List<String> list = into.computeIfAbsent(id, k -> new ArrayList<>());
        if (!list.contains(scenario)) list.add(scenario);
    }

    private static List<String> get(Map<String, List<String>> from, String id) {
        return from.getOrDefault(id, List.of());
    }
}
