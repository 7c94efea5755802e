package charter.compiler.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.TestPrograms;
import charter.compiler.diag.Code;
import org.junit.jupiter.api.Test;

/** A deny guard's exists(...) that refers to its own binding in a nested absence, or to an earlier exists' binding. */
class TiedExistsCheckTest {
    static String guard(String where) {
        return "program \"t\"\nintent ship(repo: string) { }\ninvariant g hard {\n  deny ship where " + where + "\n  because \"b\"\n}\n";
    }

    static final String FATAL = "sentry.issue.created i where i.level == \"fatal\"";

    @Test
    void aNestedAbsenceSeesItsExistsBinding() {
        Checked.of(guard("exists(" + FATAL + " and not exists(sentry.issue.resolved r where r.issue_id == i.issue_id within 2h after i)"
                + " within 2h before intent)")).assertClean();
    }

    @Test
    void aLaterExistsSeesAnEarlierOnesBinding() {
        Checked.of(guard("exists(" + FATAL + " within 2h before intent) and not exists(sentry.issue.resolved r where r.issue_id == i.issue_id"
                + " within 2h after i) and exists(sentry.issue.assigned a where a.issue_id == i.issue_id)")).assertClean();
    }

    @Test
    void aPlainConditionDoesNotSeeAnExistsBinding() {
        var d = Checked.of(guard("exists(" + FATAL + " within 2h before intent) and i.project == \"api\""))
                .assertOnly(Code.UNKNOWN_BINDING, "main.charter:4:103");
        assertTrue(d.message().startsWith("`i` is bound inside exists(...)"), d.message());
    }

    @Test
    void theBindingOfANotExistsIsSeenByNoOne() {
        Checked.of(guard("not exists(" + FATAL + " within 2h before intent) and exists(sentry.issue.resolved r where r.issue_id == i.issue_id)"))
                .assertOnly(Code.UNKNOWN_BINDING, "main.charter:4:158");
    }

    @Test
    void tyingTwoSeparateExistsIsReported() {
        var d = Checked.of(guard("exists(" + FATAL + " within 2h before intent) and exists(sentry.issue.assigned a within 2h before intent)"
                + " and not exists(sentry.issue.resolved r where r.issue_id == i.issue_id and r.assignee == a.assignee)"))
                .assertOnly(Code.EXISTS_SCOPE, "main.charter:4:174");
        assertEquals("`r` refers to `i` and `a`, which are bound by separate exists(...); tie them with one `exists(...)` that refers to the other",
                d.message());
    }

    @Test
    void existsInARuleIsStillMisplaced() {
        Checked.of("program \"t\"\nrule r {\n  when " + FATAL + " and exists(sentry.issue.resolved r)\n  then slack.post(channel: \"#x\", text: \"y\")\n}\n")
                .assertOnly(Code.EXISTS_PLACEMENT, "main.charter:3:60");
    }

    @Test
    void bothFormsGenerateOneExistsWithTheAbsenceInside() {
        for (String where : new String[]{
                "exists(" + FATAL + " and not exists(sentry.issue.resolved r where r.issue_id == i.issue_id within 2h after i) within 2h before intent)",
                "exists(" + FATAL + " within 2h before intent) and not exists(sentry.issue.resolved r where r.issue_id == i.issue_id within 2h after i)"}) {
            var c = TestPrograms.compile(guard(where));
            assertTrue(c.ok(), () -> TestPrograms.rendered(c));
            String drl = c.drl().drl();
            assertTrue(drl.contains("exists( $f1 : EventFact( type == \"sentry.issue.created\", $f1__time : time, $f1__issue_id : data[\"issue_id\"]"), drl);
            assertTrue(drl.contains(" and not( EventFact( type == \"sentry.issue.resolved\", data[\"issue_id\"] != null, data[\"issue_id\"] == $f1__issue_id,"
                    + " time >= $f1__time, time <= $f1__time + 7200000L ) ) )"), drl);
        }
    }
}
