package charter.compiler.language;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.diag.Code;
import org.junit.jupiter.api.Test;

/** `x ?? default` and `x ?? skip`: the default's type, and where `skip` may appear. */
class MissingValueCheckTest {
    static String rule(String where, String then) {
        return "program \"t\"\nteam oncall { }\nrule r {\n  when vercel.deployment.error d" + where + "\n  then " + then + "\n}\n";
    }

    @Test
    void aDefaultOfTheSameTypeOrSkipIsAccepted() {
        Checked.of(rule("", "slack.post(channel: \"#x\", text: \"failed: \" + (d.url ?? \"unknown\"))")).assertClean();
        Checked.of(rule("", "slack.post(channel: \"#x\", text: d.url ?? d.inspector_url ?? skip)")).assertClean();
        Checked.of(rule("", "pagerduty.page(team: owner(d.project) ?? team oncall, summary: d.message ?? skip)")).assertClean();
        Checked.of(rule(" where (d.target ?? \"preview\") == \"production\"", "slack.post(channel: \"#x\", text: \"y\")")).assertClean();
    }

    @Test
    void aDefaultOfAnotherTypeIsAMismatch() {
        var d = Checked.of(rule("", "slack.post(channel: \"#x\", text: d.url ?? 3)")).assertOnly(Code.TYPE_MISMATCH, "main.charter:5:49");
        assertEquals("the default after `??` must be a string like `d.url`, got number", d.message());
    }

    @Test
    void skipOnlyMeansSomethingOnTheRightOfCoalesceInAnAction() {
        Checked.of(rule(" where (d.target ?? skip) == \"production\"", "slack.post(channel: \"#x\", text: \"y\")"))
                .assertOnly(Code.SKIP_PLACEMENT, "main.charter:4:53");
        Checked.of(rule("", "slack.post(channel: \"#x\", text: skip)")).assertOnly(Code.SKIP_PLACEMENT, "main.charter:5:40");
        Checked.of(rule("", "slack.post(channel: \"#x\", text: skip ?? d.url)")).assertOnly(Code.SKIP_PLACEMENT, "main.charter:5:40");
    }

    @Test
    void skipIsStillANameWhereNoValueIsExpected() {
        // `skip` and `by` are soft keywords: a binding or a field may still be called so.
        Checked.of("program \"t\"\nrule skip {\n  when vercel.deployment.error by\n  then slack.post(channel: \"#x\", text: by.url ?? skip)\n}\n")
                .assertClean();
    }
}
