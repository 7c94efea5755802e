package charter.engine.runtime;

import static charter.engine.runtime.TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import charter.facts.IntentFact;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

class CountIntentExpiryTest {

    static final String BURST = HEADER + """
            rule "r2_burst" when
              not CountLatch(rule == 2)
              accumulate( $e : EventFact(type == "vercel.deployment.error") over window:time(3600000ms);
                          $n : count($e), $list : collectList($e); $n >= 3 )
            then insert(new CountLatch(2)); out.ruleFired(2, $list.toArray()); end
            rule "r2_burst_reset" when
              $l : CountLatch(rule == 2)
              accumulate( $e : EventFact(type == "vercel.deployment.error") over window:time(3600000ms);
                          $n : count($e); $n < 3 )
            then delete($l); end
            """;

    @Test
    void countFiresOncePerCrossing() {
        KieBase kb = build(BURST);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, new TableConditions(), out, T0)) {
            for (int i = 1; i <= 5; i++) { // 3rd crosses; 4th and 5th do not fire again
                feed(s, event("e" + i, "vercel.deployment.error", T0 + i * MIN));
            }
            assertEquals(1, out.reports.size(), out.reports::toString);
            assertEquals(List.of("e1", "e2", "e3"), out.reports.getFirst().ids().stream().sorted().toList());
            assertEquals(T0 + 3 * MIN, out.reports.getFirst().at());

            // window empties (latch reset), then three new events cross again
            long t = T0 + 3 * HOUR;
            for (int i = 6; i <= 8; i++) {
                feed(s, event("e" + i, "vercel.deployment.error", t + i * SEC));
            }
            assertEquals(2, out.reports.size(), out.reports::toString);
            assertEquals(List.of("e6", "e7", "e8"), out.reports.get(1).ids().stream().sorted().toList());
        }
    }

    @Test
    void countWindowIsInclusiveOfAnEventExactlyOneHourOld() {
        KieBase kb = build(BURST);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, new TableConditions(), out, T0)) {
            feed(s, event("e1", "vercel.deployment.error", T0));
            feed(s, event("e2", "vercel.deployment.error", T0 + 30 * MIN));
            feed(s, event("e3", "vercel.deployment.error", T0 + HOUR)); // e1 is exactly 1h old
            feed(s, event("f1", "vercel.deployment.error", T0 + 10 * HOUR));
            feed(s, event("f2", "vercel.deployment.error", T0 + 10 * HOUR + 30 * MIN));
            feed(s, event("f3", "vercel.deployment.error", T0 + 11 * HOUR + 1)); // f1 is 1h + 1ms old
        }
        assertEquals(List.of(List.of("e1", "e2", "e3")),
                out.reports.stream().map(r -> r.ids().stream().sorted().toList()).toList());
    }

    static final String INTENTS = HEADER + """
            rule "i0_no_friday" when
              $in : IntentFact(name == "ship", phase == "decide", cond.test(3, this))
            then out.denied(0, $in, new Object[]{ $in }); end
            rule "i1_needs_reason" when
              $in : IntentFact(name == "ship", phase == "decide", reason == null)
            then out.denied(1, $in, new Object[]{ $in }); end
            rule "n0_ship" when
              $in : IntentFact(name == "ship", phase == "resolve")
            then out.resolved(0, $in); end
            """;

    /** What the engine does with an intent: decide, then resolve only when nothing denied it. */
    static boolean submit(RuleSession s, RecordingOutputs out, IntentFact intent) {
        s.advanceTo(intent.getTime());
        int before = out.reports.size();
        s.insert(intent);
        s.fireAllRules();
        boolean denied = out.reports.subList(before, out.reports.size()).stream()
                .anyMatch(r -> r.kind().equals("denied"));
        if (denied) {
            s.delete(intent);
        } else {
            intent.setPhase(IntentFact.RESOLVE);
            s.update(intent);
            s.fireAllRules();
        }
        return !denied;
    }

    @Test
    void intentsDecideThenResolve() {
        KieBase kb = build(INTENTS);
        var cond = new TableConditions().with(3, a -> "production".equals(((IntentFact) a[0]).get("target")));
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, cond, out, T0)) {
            var ok = new IntentFact("n1", "ship", "alice", "fix", T0 + SEC, Map.of("target", "preview"));
            var bad = new IntentFact("n2", "ship", "bob", null, T0 + 2 * SEC, Map.of("target", "production"));
            assertTrue(submit(s, out, ok));
            assertFalse(submit(s, out, bad));
            assertEquals(List.of(
                    new Report("resolved", 0, List.of("n1"), T0 + SEC),
                    new Report("denied", 0, List.of("n2"), T0 + 2 * SEC),
                    new Report("denied", 1, List.of("n2"), T0 + 2 * SEC)),
                    out.reports.stream().sorted(java.util.Comparator.comparing(Report::at)
                            .thenComparing(Report::kind, java.util.Comparator.reverseOrder())
                            .thenComparing(Report::index)).toList());
            // every denying invariant is reported, not only the first; the resolved one is not re-decided
            s.fireAllRules();
            assertEquals(3, out.reports.size());
        }
    }

    @Test
    void eventsExpireAndMemoryDoesNotGrowWithHistory() {
        KieBase kb = build(BURST + """
                rule "r0" when $d : EventFact(type == "vercel.deployment.error", cond.test(0, this))
                then out.ruleFired(0, new Object[]{ $d }); end
                rule "r9_unused_type" when $d : EventFact(type == "github.push")
                then out.ruleFired(9, new Object[]{ $d }); end
                """);
        var out = new RecordingOutputs();
        try (RuleSession s = simulation(kb, new TableConditions(), out, T0)) {
            for (int i = 0; i < 1000; i++) {
                feed(s, event("e" + i, i % 2 == 0 ? "vercel.deployment.error" : "github.push", T0 + i * SEC));
            }
            long inWindow = s.factCount();
            s.advanceTo(T0 + 10 * HOUR);
            s.fireAllRules();
            long after = s.factCount();
            System.out.println("[conventions] facts after 1000 events: " + inWindow + ", 10h later: " + after);
            assertTrue(inWindow >= 1000, "all events still within @expires(2h)");
            assertEquals(0, after, "events expired, latch reset");
        }
    }
}
