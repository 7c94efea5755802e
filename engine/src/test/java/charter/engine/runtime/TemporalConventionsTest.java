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

    static final String ABSENCE = HEADER + """
            rule "r1_escalate" when
              $i : EventFact(type == "sentry.issue.created", cond.test(1, this))
              not( EventFact(type == "sentry.issue.assigned", this after[0ms, 900000ms] $i, cond.test(2, $i, this)) )
            then out.ruleFired(1, new Object[]{ $i }); end
            """;

    static TableConditions absenceConditions() {
        return new TableConditions()
                .with(1, a -> "fatal".equals(((charter.facts.EventFact) a[0]).get("level")))
                .with(2, a -> ((charter.facts.EventFact) a[0]).get("issue").equals(((charter.facts.EventFact) a[1]).get("issue")));
    }

    @Test
    void absenceFiresExactlyAtTheDeadline() {
        KieBase kb = build(ABSENCE);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, absenceConditions(), out, T0)) {
            feed(s, event("i1", "sentry.issue.created", T0, Map.of("level", "fatal", "issue", "1")));
            s.advanceTo(T0 + 15 * MIN - 1);
            s.fireAllRules();
            assertEquals(List.of(), out.reports, "must not fire before the deadline");
            s.advanceTo(T0 + 15 * MIN);
            s.fireAllRules();
            assertEquals(List.of(), out.reports, "at the deadline itself an assignment may still arrive");
            s.advanceTo(T0 + 15 * MIN + 1);
            s.fireAllRules();
            assertEquals(1, out.reports.size(), "fires as soon as the clock passes the deadline");
            s.advanceTo(T0 + 3 * HOUR);
            s.fireAllRules();
        }
        assertEquals(1, out.reports.size(), out.reports::toString);
        Report r = out.reports.getFirst();
        System.out.println("[conventions] absence reported at deadline + " + (r.at() - (T0 + 15 * MIN)) + " ms");
        assertEquals(List.of("i1"), r.ids());
        assertEquals(T0 + 15 * MIN, r.at(), "reported with the clock at the deadline");
    }

    @Test
    void absenceReportedAtDeadlineEvenWhenTheClockJumpsFarPastIt() {
        KieBase kb = build(ABSENCE);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, absenceConditions(), out, T0)) {
            feed(s, event("i1", "sentry.issue.created", T0, Map.of("level", "fatal", "issue", "1")));
            feed(s, event("i2", "sentry.issue.created", T0 + MIN, Map.of("level", "fatal", "issue", "2")));
            feed(s, event("x", "unrelated", T0 + 5 * HOUR));
        }
        assertEquals(List.of("i1", "i2"), out.reports.stream().map(r -> r.ids().getFirst()).toList());
        assertEquals(List.of(T0 + 15 * MIN, T0 + 16 * MIN), out.reports.stream().map(Report::at).toList());
        for (Report r : out.reports) {
            System.out.println("[conventions] " + r.ids() + " reported at T0+" + (r.at() - T0) + " ms");
        }
    }

    @Test
    void absenceDoesNotFireWhenTheEventArrivesInTime() {
        KieBase kb = build(ABSENCE);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, absenceConditions(), out, T0)) {
            feed(s, event("i1", "sentry.issue.created", T0, Map.of("level", "fatal", "issue", "1")));
            feed(s, event("i2", "sentry.issue.created", T0, Map.of("level", "fatal", "issue", "2")));
            feed(s, event("x1", "sentry.issue.assigned", T0 + 15 * MIN - SEC, Map.of("issue", "1")));
            feed(s, event("x2", "sentry.issue.assigned", T0 + 15 * MIN - SEC, Map.of("issue", "other")));
            s.advanceTo(T0 + 4 * HOUR);
            s.fireAllRules();
        }
        assertEquals(List.of(List.of("i2")), out.reports.stream().map(Report::ids).toList());
    }

    @Test
    void rawPseudoClockJumpReportsAtTheJumpTarget() {
        // Pitfall documented in CONVENTIONS.md: one advanceTime() past several deadlines runs the
        // timers, but the rules fire later, at the clock's final time. RuleSession steps instead.
        KieBase kb = build(ABSENCE);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, absenceConditions(), out, T0)) {
            feed(s, event("i1", "sentry.issue.created", T0, Map.of("level", "fatal", "issue", "1")));
            org.kie.api.time.SessionPseudoClock clock = s.kieSession().getSessionClock();
            clock.advanceTime(HOUR, java.util.concurrent.TimeUnit.MILLISECONDS);
            s.fireAllRules();
        }
        assertEquals(1, out.reports.size());
        assertEquals(T0 + HOUR, out.reports.getFirst().at());
    }

    @Test
    void assignmentExactlyAtTheDeadlineIsInTime() {
        // within is inclusive at both ends; facts at T are seen before timers due at T
        KieBase kb = build(ABSENCE);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, absenceConditions(), out, T0)) {
            feed(s, event("i1", "sentry.issue.created", T0, Map.of("level", "fatal", "issue", "1")));
            feed(s, event("i2", "sentry.issue.created", T0, Map.of("level", "fatal", "issue", "2")));
            feed(s, event("x1", "sentry.issue.assigned", T0 + 15 * MIN, Map.of("issue", "1")));
            feed(s, event("x2", "sentry.issue.assigned", T0 + 15 * MIN + 1, Map.of("issue", "2")));
            s.advanceTo(T0 + HOUR);
            s.fireAllRules();
        }
        assertEquals(List.of(new Report("fired", 1, List.of("i2"), T0 + 15 * MIN)), out.reports);
    }
}
