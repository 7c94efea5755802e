package charter.engine.runtime;

import static charter.engine.runtime.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import charter.facts.EventFact;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

class ExpiryAndThroughputTest {

    static String header(String expires) {
        return HEADER.replace("declare EventFact @role(event) @timestamp(time) @expires(2h) end",
                "declare EventFact @role(event) @timestamp(time) " + expires + " end");
    }

    static final String PAIR = """
            rule "r_within" when
              $a : EventFact(type == "a")
              $b : EventFact(type == "b", this after[0ms, 900000ms] $a)
            then out.ruleFired(0, new Object[]{ $a, $b }); end
            """;

    /** Probes how explicit @expires and inferred expiration interact; asserts the safe facts only. */
    @Test
    void expiresPolicy() {
        for (String expires : List.of("", "@expires(2h)", "@expires(10m)")) {
            KieBase kb = build(header(expires) + PAIR);
            var out = new RecordingOutputs();
            long countAfter;
            try (RuleSession s = simulation(kb, new TableConditions(), out, T0)) {
                feed(s, event("a1", "a", T0));
                feed(s, event("b1", "b", T0 + 14 * MIN));
                feed(s, event("x", "unmatched", T0 + 14 * MIN));
                s.advanceTo(T0 + 5 * HOUR);
                s.fireAllRules();
                countAfter = s.factCount();
            }
            System.out.println("[conventions] declare '" + expires + "': within-15m fired=" + out.reports.size()
                    + ", facts 5h later=" + countAfter);
            if (!expires.equals("@expires(10m)")) {
                assertEquals(1, out.reports.size());
            }
        }
    }

    @Test
    void expiresEqualToTheWindowKeepsTheInclusiveEdge() {
        KieBase kb = build(header("@expires(900000ms)") + PAIR);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, new TableConditions(), out, T0)) {
            feed(s, event("a1", "a", T0));
            feed(s, event("b1", "b", T0 + 15 * MIN));
        }
        assertEquals(1, out.reports.size());
    }

    @Test
    void noTemporalOperatorNoExpires() {
        KieBase kb = build(header("") + """
                rule "r0" when $d : EventFact(type == "a") then out.ruleFired(0, new Object[]{ $d }); end
                """);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, new TableConditions(), out, T0)) {
            feed(s, event("a1", "a", T0));
            feed(s, event("x", "unmatched", T0));
            s.advanceTo(T0 + 5 * HOUR);
            s.fireAllRules();
            System.out.println("[conventions] no temporal operator, no @expires: facts 5h later=" + s.factCount()
                    + ", fired=" + out.reports.size());
        }
    }

    @Test
    void throughputSingleEventRules() {
        throughput(false);
    }

    @Test
    void throughputWithJoins() {
        throughput(true);
    }

    private void throughput(boolean joins) {
        StringBuilder drl = new StringBuilder(HEADER);
        for (int r = 0; r < 20; r++) {
            String type = "t" + (r % 10);
            if (joins && r % 4 == 3) {
                drl.append("rule \"r").append(r).append("\" when\n  $a : EventFact(type == \"").append(type)
                        .append("\")\n  $b : EventFact(type == \"t").append((r + 1) % 10)
                        .append("\", this after[0ms, 60000ms] $a, cond.test(").append(r).append(", $a, this))\n")
                        .append("then out.ruleFired(").append(r).append(", new Object[]{ $a, $b }); end\n");
            } else {
                drl.append("rule \"r").append(r).append("\" when\n  $d : EventFact(type == \"").append(type)
                        .append("\", cond.test(").append(r).append(", this))\n")
                        .append("then out.ruleFired(").append(r).append(", new Object[]{ $d }); end\n");
            }
        }
        // explicit @expires equal to the largest window; a blanket 2h keeps 144k events in memory
        // and every 60s-join scans them all (measured: ~1.7k events/s)
        KieBase kb = build(header("@expires(60s)").replace("declare IntentFact", "//") + drl.substring(HEADER.length()));
        var cond = new TableConditions();
        for (int r = 0; r < 20; r++) {
            int k = r;
            cond.with(r, a -> ((EventFact) a[a.length - 1]).getSignificance() % 20 == k);
        }
        int n = 200_000;
        EventFact[] events = new EventFact[n];
        for (int i = 0; i < n; i++) {
            events[i] = new EventFact("e" + i, "s", "t" + (i % 12), T0 + i * 50L, i % 100,
                    Map.of("k", "v"), List.of());
        }
        long[] fired = new long[1];
        var out = new charter.facts.Outputs() {
            @Override public void ruleFired(int ruleIndex, Object[] facts) { fired[0]++; }
            @Override public void denied(int i, charter.facts.IntentFact intent, Object[] facts) {}
            @Override public void violated(int i, Object[] facts) {}
            @Override public void resolved(int i, charter.facts.IntentFact intent) {}
        };
        for (int round = 0; round < 2; round++) { // round 0 warms up
            fired[0] = 0;
            try (RuleSession s = RuleSession.simulation(kb, cond, out, T0)) {
                long start = System.nanoTime();
                for (EventFact e : events) {
                    s.advanceTo(e.getTime());
                    s.insert(e);
                    s.fireAllRules();
                }
                long nanos = System.nanoTime() - start;
                System.out.printf("[throughput] " + (joins ? "5 of 20 rules join within 60s" : "20 single-event rules") + ", round %d: %d events, 20 rules: %.0f events/s, %d firings, %d facts in memory%n",
                        round, n, n / (nanos / 1e9), fired[0], s.factCount());
            }
        }
        assertTrue(fired[0] > 0);
    }
}
