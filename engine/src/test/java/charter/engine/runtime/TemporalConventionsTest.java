package charter.engine.runtime;

import static charter.engine.runtime.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

class TemporalConventionsTest {

    @Test
    void simpleRuleWithConditionOnThis() {
        KieBase kb = build(HEADER + """
                rule "r0_page_on_failed_prod_deploy" when
                  $d : EventFact(type == "vercel.deployment.error", cond.test(0, this))
                then out.ruleFired(0, new Object[]{ $d }); end
                """);
        var cond = new TableConditions().with(0, a -> "production".equals(((charter.facts.EventFact) a[0]).get("target")));
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, cond, out, T0)) {
            feed(s, event("e1", "vercel.deployment.error", T0 + SEC, Map.of("target", "production")));
            feed(s, event("e2", "vercel.deployment.error", T0 + 2 * SEC, Map.of("target", "preview")));
            feed(s, event("e3", "vercel.deployment.ready", T0 + 3 * SEC, Map.of("target", "production")));
        }
        assertEquals(List.of(new Report("fired", 0, List.of("e1"), T0 + SEC)), out.reports);
    }

    @Test
    void conditionOnOwnBindingInsidePattern() {
        // The brief's form cond.test(0, $d) inside $d's own pattern: does Drools accept it?
        var outcome = new charter.compiler.build.DrlKieBaseBuilder().build(HEADER + """
                rule "r0" when
                  $d : EventFact(type == "x", cond.test(0, $d))
                then out.ruleFired(0, new Object[]{ $d }); end
                """);
        System.out.println("[conventions] cond.test(0, $d) in own pattern: ok=" + outcome.ok() + " " + outcome.errors());
    }

    @Test
    void withinFifteenMinutesAfter() {
        KieBase kb = build(HEADER + """
                rule "r3_within" when
                  $a : EventFact(type == "a")
                  $b : EventFact(type == "b", this after[0ms, 900000ms] $a, cond.test(5, $a, this))
                then out.ruleFired(3, new Object[]{ $a, $b }); end
                """);
        var cond = new TableConditions().with(5, a -> true);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, cond, out, T0)) {
            feed(s, event("a1", "a", T0));
            feed(s, event("b1", "b", T0 + 15 * MIN - SEC)); // 1 s inside
            feed(s, event("a2", "a", T0 + HOUR));
            feed(s, event("b2", "b", T0 + HOUR + 15 * MIN + SEC)); // 1 s outside
            feed(s, event("a3", "a", T0 + 2 * HOUR));
            feed(s, event("b3", "b", T0 + 2 * HOUR + 15 * MIN)); // exactly on the edge: inclusive
        }
        assertEquals(List.of(List.of("a1", "b1"), List.of("a3", "b3")),
                out.of("fired", 3).stream().map(Report::ids).toList());
    }
}
