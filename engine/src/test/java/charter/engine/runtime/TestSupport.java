package charter.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import charter.compiler.build.BuildOutcome;
import charter.compiler.build.DrlKieBaseBuilder;
import charter.facts.Conditions;
import charter.facts.EventFact;
import charter.facts.IntentFact;
import charter.facts.Outputs;
import org.kie.api.KieBase;

/** Hand-written DRL helpers: a header following the conventions, trivial globals. */
final class TestSupport {
    static final String HEADER = """
            package charter.generated;
            import charter.facts.EventFact;
            import charter.facts.IntentFact;
            import charter.facts.CountLatch;
            global charter.facts.Conditions cond;
            global charter.facts.Outputs out;
            declare EventFact @role(event) @timestamp(time) @expires(2h) end
            declare IntentFact @role(event) @timestamp(time) @expires(2h) end
            """;

    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final long SEC = 1000, MIN = 60 * SEC, HOUR = 60 * MIN;

    private TestSupport() {}

    static KieBase build(String drl) {
        BuildOutcome outcome = new DrlKieBaseBuilder().build(drl);
        assertTrue(outcome.ok(), () -> "DRL did not build: " + outcome.errors() + "\n" + drl);
        return outcome.kieBase();
    }

    static EventFact event(String id, String type, long time) {
        return EventFact.of(id, type, time, Map.of());
    }

    static EventFact event(String id, String type, long time, Map<String, Object> data) {
        return EventFact.of(id, type, time, data);
    }

    /** Conditions from a table of predicates over the argument array; unknown ids answer false. */
    static final class TableConditions implements Conditions {
        final Map<Integer, Predicate<Object[]>> table = new HashMap<>();
        long calls;

        TableConditions with(int id, Predicate<Object[]> p) {
            table.put(id, p);
            return this;
        }

        private boolean eval(int id, Object[] args) {
            calls++;
            Predicate<Object[]> p = table.get(id);
            return p != null && p.test(args);
        }

        @Override public boolean test(int id, Object a) { return eval(id, new Object[] {a}); }
        @Override public boolean test(int id, Object a, Object b) { return eval(id, new Object[] {a, b}); }
        @Override public boolean test(int id, Object a, Object b, Object c) { return eval(id, new Object[] {a, b, c}); }
        @Override public boolean test(int id, Object[] facts) { return eval(id, facts); }
    }

    /** One call to {@code out}: kind, index, the ids of the facts, and the session clock at the call. */
    record Report(String kind, int index, List<String> ids, long at) {}

    static final class RecordingOutputs implements Outputs {
        final List<Report> reports = new ArrayList<>();
        LongSupplier clock = () -> -1;

        private static List<String> ids(Object[] facts) {
            List<String> ids = new ArrayList<>();
            for (Object f : facts) {
                ids.add(f instanceof EventFact e ? e.getId() : f instanceof IntentFact i ? i.getId() : String.valueOf(f));
            }
            return ids;
        }

        @Override public void ruleFired(int ruleIndex, Object[] facts) {
            reports.add(new Report("fired", ruleIndex, ids(facts), clock.getAsLong()));
        }
        @Override public void denied(int invariantIndex, IntentFact intent, Object[] facts) {
            reports.add(new Report("denied", invariantIndex, ids(facts), clock.getAsLong()));
        }
        @Override public void violated(int invariantIndex, Object[] facts) {
            reports.add(new Report("violated", invariantIndex, ids(facts), clock.getAsLong()));
        }
        @Override public void resolved(int intentIndex, IntentFact intent) {
            reports.add(new Report("resolved", intentIndex, List.of(intent.getId()), clock.getAsLong()));
        }

        List<Report> of(String kind, int index) {
            return reports.stream().filter(r -> r.kind().equals(kind) && r.index() == index).toList();
        }
    }

    static RuleSession simulation(KieBase kb, Conditions cond, RecordingOutputs out, long start) {
        RuleSession s = RuleSession.simulation(kb, cond, out, start);
        out.clock = s::now;
        return s;
    }

    /** The simulation loop for one event. */
    static void feed(RuleSession s, EventFact e) {
        s.advanceTo(e.getTime());
        s.insert(e);
        s.fireAllRules();
    }
}
