package charter.compiler.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.diag.Code;
import charter.compiler.diff.ProgramDiff;
import charter.compiler.diff.SemanticDiff;
import charter.compiler.fmt.ProgramFormatter;
import charter.compiler.parse.ProgramParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `approval by` as the compiler sees it: its three places, names checked with a did-you-mean, its type, its format and its diff. */
class ApprovalRuleCheckTest {
    static final String HEADER = """
            program "t"
            person alice { github "alice-gh" }
            person bob { }
            team platform { members alice, bob  owns project "api" }
            """;

    /** A rule with the clause `header` in its header (may be empty) and `own` after its action (may be empty). */
    static String rule(String header, String own) {
        return HEADER + "rule page" + (header.isEmpty() ? "" : " " + header) + " {\n"
                + "  when vercel.deployment.error d\n"
                + "  then pagerduty.page(team: owner(d.project), summary: \"down\")" + (own.isEmpty() ? "" : " " + own) + "\n}\n";
    }

    static String intent(String header) {
        return HEADER + "intent rollback(project: string)" + (header.isEmpty() ? "" : " " + header)
                + " { resolve vercel.rollback(project: intent.project) }\n";
    }

    @Test
    void everyPlaceAndFormIsAccepted() {
        Checked.of(rule("approval by team platform, owner(d.project), alice", "")).assertClean();
        Checked.of(rule("", "approval by bob, team_of(d.creator)")).assertClean();
        Checked.of(rule("approval by alice", "approval by owner(d.project)")).assertClean();
        Checked.of(intent("approval by team platform, owner(intent.project)")).assertClean();
        Checked.of(HEADER + "intent noop() \"Nothing\" approval by alice {}\n").assertClean();
        // `approval` stays usable as a name elsewhere.
        Checked.of(HEADER.replace("person bob { }", "person bob { }\nperson approval { }") + """
                rule approval approval by approval { when vercel.deployment.error approval then slack.post(channel: "#c", text: approval.project) }
                """).assertClean();
    }

    @Test
    void anUnknownPersonIsReportedWithADidYouMean() {
        Checked c = Checked.of(rule("approval by alcie", ""));
        c.assertOnly(Code.UNKNOWN_PERSON, "main.charter:5:23");
        c.assertSuggestion("alice");
        assertTrue(c.rendered().contains("in `approval by`"), c::rendered);
        Checked own = Checked.of(rule("", "approval by bbo"));
        own.assertOnly(Code.UNKNOWN_PERSON, "main.charter:7:76");
        own.assertSuggestion("bob");
    }

    @Test
    void aTeamWrittenAsAPersonIsToldToSayTeam() {
        Checked c = Checked.of(intent("approval by platform"));
        c.assertOnly(Code.UNKNOWN_PERSON, "main.charter:5:46");
        assertTrue(c.rendered().contains("write `team platform`"), c::rendered);
    }

    @Test
    void anUnknownTeamIsReportedWithADidYouMean() {
        Checked c = Checked.of(intent("approval by team platfrom"));
        c.assertOnly(Code.UNKNOWN_TEAM, "main.charter:5:51");
        c.assertSuggestion("platform");
    }

    @Test
    void aCallMustGiveATeamAndSeeOnlyWhatTheActionsSee() {
        Checked.of(rule("approval by lower(d.project)", "")).assertOnly(Code.TYPE_MISMATCH, "main.charter:5:23");
        Checked.of(intent("approval by owner(intent.projcet)")).assertOnly(Code.UNKNOWN_FIELD, "main.charter:5:59");
        Checked.of(intent("approval by owner(d.project)")).assertOnly(Code.UNKNOWN_BINDING, "main.charter:5:52");
    }

    @Test
    void anyoneIsNotAnApprover() {
        // `anyone` is no approver (an approval anyone may give protects nothing): it reads as an unknown person.
        Checked.of(intent("approval by anyone")).assertOnly(Code.UNKNOWN_PERSON, "main.charter:5:46");
    }

    @Test
    void theFormatterWritesTheClauseInTheHeaderAndAfterTheActionAndIsIdempotent() {
        String messy = HEADER + """
                rule page "Page"   approval  by team platform ,alice,owner( d.project ) {
                  when vercel.deployment.error d then pagerduty.page(team: owner(d.project), summary: "down")approval by   bob
                }
                intent rollback(project: string) approval by owner(intent.project) { resolve vercel.rollback(project: intent.project) }
                """;
        String formatted = format(messy);
        assertTrue(formatted.contains("""
                rule page "Page" approval by team platform, alice, owner(d.project) {
                  when vercel.deployment.error d
                  then pagerduty.page(team: owner(d.project), summary: "down") approval by bob
                }
                """), formatted);
        assertTrue(formatted.contains("""
                intent rollback(project: string) approval by owner(intent.project) {
                  resolve vercel.rollback(project: intent.project)
                }
                """), formatted);
        assertEquals(formatted, format(formatted));
        Checked.of(formatted).assertClean();
    }

    @Test
    void aLongActionBreaksAndKeepsItsClauseAfterTheParenthesis() {
        String text = rule("", "approval by team platform, alice, owner(d.project)").replace("\"down\"",
                "\"the production deployment of ${d.project} failed and somebody should look at it right now\"");
        String formatted = format(text);
        assertTrue(formatted.contains("       ) approval by team platform, alice, owner(d.project)\n"), formatted);
        assertEquals(formatted, format(formatted));
        Checked.of(formatted).assertClean();
    }

    @Test
    void theSemanticDiffReportsTheApproversOfARuleAnIntentAndAnAction() {
        ProgramDiff added = SemanticDiff.between(resolved(rule("", "")), resolved(rule("approval by team platform", "")));
        assertEquals(List.of(new ProgramDiff.Detail("approval by", null, "team platform")), added.changes().getFirst().details());
        ProgramDiff changed = SemanticDiff.between(resolved(intent("approval by alice")), resolved(intent("approval by alice, owner(intent.project)")));
        assertEquals(List.of(new ProgramDiff.Detail("approval by", "alice", "alice, owner(intent.project)")),
                changed.changes().getFirst().details());
        ProgramDiff removed = SemanticDiff.between(resolved(rule("", "approval by bob")), resolved(rule("", "")));
        assertEquals(List.of(new ProgramDiff.Detail("action 1 `pagerduty.page` approval by", "bob", null)),
                removed.changes().getFirst().details());
        assertTrue(SemanticDiff.between(resolved(rule("approval by alice", "")), resolved(rule("approval  by\n alice", ""))).isEmpty());
    }

    private static String format(String text) {
        return ProgramFormatter.format(new ProgramParser().parse("main.charter", text).file());
    }

    private static charter.compiler.model.ResolvedProgram resolved(String text) {
        var c = charter.compiler.TestPrograms.check(charter.compiler.TestPrograms.files(text));
        assertTrue(c.ok(), () -> charter.compiler.TestPrograms.rendered(c));
        return c.drl().core().typed().program();
    }
}
