package charter.compiler.build;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.conf.EventProcessingOption;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;

class DrlKieBaseBuilderTest {
    static final String HEADER = """
            package charter.generated;
            import charter.facts.EventFact;
            import charter.facts.IntentFact;
            import charter.facts.CountLatch;
            global charter.facts.Conditions cond;
            global charter.facts.Outputs out;
            declare EventFact @role(event) @timestamp(time) @expires(1h) end
            declare IntentFact @role(event) @timestamp(time) @expires(1h) end
            """;

    static String rules(int n) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 0; i < n; i++) {
            String type = "source.type" + (i % 50);
            if (i % 3 == 0) {
                sb.append("rule \"r").append(i).append("\" when\n")
                  .append("  $a : EventFact(type == \"").append(type).append("\", cond.test(").append(i).append(", this))\n")
                  .append("  not( EventFact(type == \"x").append(type).append("\", this after[0ms, 900000ms] $a, cond.test(")
                  .append(i).append(", $a, this)) )\n")
                  .append("then out.ruleFired(").append(i).append(", new Object[]{ $a }); end\n");
            } else {
                sb.append("rule \"r").append(i).append("\" when\n")
                  .append("  $a : EventFact(type == \"").append(type).append("\", significance > ").append(i % 100)
                  .append(", cond.test(").append(i).append(", this))\n")
                  .append("then out.ruleFired(").append(i).append(", new Object[]{ $a }); end\n");
            }
        }
        return sb.toString();
    }

    @Test
    void buildsStreamModeKieBase() {
        BuildOutcome outcome = new DrlKieBaseBuilder().build(rules(3));
        assertTrue(outcome.ok(), outcome.errors()::toString);
        assertEquals(EventProcessingOption.STREAM,
                ((InternalKnowledgeBase) outcome.kieBase()).getConfiguration().getOption(EventProcessingOption.KEY));
        assertEquals(3, outcome.kieBase().getKiePackage("charter.generated").getRules().size());
    }

    @Test
    void errorsCarryDrlLines() {
        String drl = HEADER + """
                rule "ok" when $a : EventFact(type == "a") then out.ruleFired(0, new Object[]{ $a }); end
                rule "bad" when
                  $a : EventFact(nosuchfield == "a")
                then out.ruleFired(1, new Object[]{ $a }); end
                """;
        BuildOutcome outcome = new DrlKieBaseBuilder().build(drl);
        assertFalse(outcome.ok());
        assertNull(outcome.kieBase());
        System.out.println("[build] errors: " + outcome.errors());
        assertTrue(outcome.errors().stream().anyMatch(e -> e.startsWith("DRL line 11:")), outcome.errors()::toString);

        BuildOutcome syntax = new DrlKieBaseBuilder().build(HEADER + "rule \"x\" when EventFact( then end\n");
        assertFalse(syntax.ok());
        System.out.println("[build] syntax errors: " + syntax.errors());
        assertTrue(syntax.errors().stream().anyMatch(e -> e.startsWith("DRL line 9")), syntax.errors()::toString);
    }

    @Test
    void resourcePathFollowsPackage() {
        assertEquals("charter/generated/rules.drl", DrlKieBaseBuilder.resourcePath(HEADER));
        assertEquals("a/b/rules.drl", DrlKieBaseBuilder.resourcePath("package a.b\nrule x when then end"));
    }

    /** 1,000 rules build into one KieBase (their build time is measured by bench/run, not here). */
    @Test
    void thousandRules() {
        BuildOutcome outcome = new DrlKieBaseBuilder().build(rules(1000));
        assertTrue(outcome.ok(), outcome.errors()::toString);
        assertEquals(1000, outcome.kieBase().getKiePackage("charter.generated").getRules().size());
    }

}
