package charter.compiler.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.TestPrograms;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.diag.Code;
import charter.compiler.parse.ProgramParser;
import org.junit.jupiter.api.Test;

/** `count(pattern) by b.field, … op N within D`: parsing, names, types and the generated rules. */
class GroupedCountCheckTest {
    static String rule(String count, String then) {
        return "program \"t\"\nrule r {\n  when " + count + "\n  then " + then + "\n}\n";
    }

    static final String PAGE = "pagerduty.page(team: owner(e.project), summary: \"issue ${e.issue_id}\")";

    @Test
    void parsesTheKeysInOrder() {
        var file = new ProgramParser().parse("main.charter", rule(
                "count(sentry.error.created e where e.level == \"error\") by e.issue_id, e.environment >= 3 within 10m", PAGE)).file();
        Condition.Count count = (Condition.Count) ((Decl.RuleDecl) file.decls().get(1)).when().getFirst();
        assertEquals(java.util.List.of("e.issue_id", "e.environment"), count.groupBy().stream().map(Expr.Path::dotted).toList());
        assertEquals(3, count.threshold());
        assertTrue(count.grouped());
    }

    @Test
    void theActionsSeeTheCountedBindingGroupedOrNot() {
        Checked.of(rule("count(sentry.error.created e) by e.issue_id >= 3 within 10m", PAGE)).assertClean();
        Checked.of(rule("count(sentry.error.created e) >= 3 within 10m", PAGE)).assertClean();
    }

    @Test
    void aKeyMustBeAFieldOfTheCountedBinding() {
        var c = Checked.of(rule("count(sentry.error.created e) by issue_id >= 3 within 10m", PAGE));
        var d = c.assertOnly(Code.GROUP_KEY, "main.charter:3:41");
        assertEquals("`by` groups by a field of the counted event, such as `e.issue_id`; `issue_id` is not one", d.message());
        Checked.of(rule("count(sentry.error.created e) by e.issue_id, e.issue_id >= 3 within 10m", PAGE))
                .assertOnly(Code.GROUP_KEY, "main.charter:3:53");
    }

    @Test
    void aMisspeltKeyIsAnUnknownFieldWithASuggestion() {
        var c = Checked.of(rule("count(sentry.error.created e) by e.isue_id >= 3 within 10m", PAGE));
        c.assertOnly(Code.UNKNOWN_FIELD, "main.charter:3:43");
        c.assertSuggestion("issue_id");
    }

    @Test
    void aListCannotBeAKey() {
        Checked.of(rule("count(github.pull_request.opened p) by p.labels >= 2 within 1h", "slack.post(channel: \"#x\", text: p.repo)"))
                .assertOnly(Code.GROUP_KEY, "main.charter:3:47");
    }

    @Test
    void theGeneratedRulesLatchPerGroup() {
        var c = TestPrograms.compile(rule("count(sentry.error.created e where e.level == \"error\") by e.issue_id >= 3 within 10m", PAGE));
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        String drl = c.drl().drl();
        assertTrue(drl.contains("not CountLatch( rule == 0, group == $group )"), drl);
        assertTrue(drl.contains("$latch : CountLatch( rule == 0, $group : group )"), drl);
        assertTrue(drl.contains("CountLatch.key(data[\"issue_id\"]) == $group"), drl);
    }
}
