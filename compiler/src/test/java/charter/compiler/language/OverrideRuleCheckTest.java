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

/** `override by` as the compiler sees it: names checked with a did-you-mean, its place, its type, its format and its diff. */
class OverrideRuleCheckTest {
    static final String HEADER = """
            program "t"
            person alice { github "alice-gh" }
            person bob { }
            team platform { members alice, bob  owns project "api" }
            intent ship(project: string) { }
            """;

    static String guard(String level, String clause) {
        return HEADER + "invariant owners \"Owners ship\" " + level + " {\n"
                + "  deny ship where intent.actor not in owner(intent.project) because \"owners ship\"\n"
                + "  " + clause + "\n}\n";
    }

    @Test
    void everyFormIsAccepted() {
        Checked.of(guard("soft", "override by team platform, owner(intent.project), alice, team_of(intent.actor)")).assertClean();
        Checked.of(guard("soft", "override by anyone including self")).assertClean();
        // The new words stay usable as names elsewhere.
        Checked.of(HEADER.replace("person bob { }", "person bob { }\nperson anyone { }\nperson self { }") + """
                invariant override "x" soft { deny ship because "y" override by anyone, self }
                """).assertClean();
    }

    @Test
    void anUnknownPersonIsReportedWithADidYouMean() {
        Checked c = Checked.of(guard("soft", "override by alcie"));
        c.assertOnly(Code.UNKNOWN_PERSON, "main.charter:8:15");
        c.assertSuggestion("alice");
    }

    @Test
    void aTeamWrittenAsAPersonIsToldToSayTeam() {
        Checked c = Checked.of(guard("soft", "override by platform"));
        c.assertOnly(Code.UNKNOWN_PERSON, "main.charter:8:15");
        assertTrue(c.rendered().contains("write `team platform`"), c::rendered);
    }

    @Test
    void anUnknownTeamIsReportedWithADidYouMean() {
        Checked c = Checked.of(guard("soft", "override by team platfrom"));
        c.assertOnly(Code.UNKNOWN_TEAM, "main.charter:8:20");
        c.assertSuggestion("platform");
    }

    @Test
    void onlyASoftInvariantTakesAnOverrideClause() {
        Checked.of(guard("hard", "override by alice")).assertOnly(Code.OVERRIDE_PLACEMENT, "main.charter:8:3");
        Checked.of(guard("advisory", "override by alice")).assertOnly(Code.OVERRIDE_PLACEMENT, "main.charter:8:3");
    }

    @Test
    void aCallMustGiveATeam() {
        Checked.of(guard("soft", "override by lower(intent.project)")).assertOnly(Code.TYPE_MISMATCH, "main.charter:8:15");
        Checked.of(guard("soft", "override by owner(intent.projcet)")).assertOnly(Code.UNKNOWN_FIELD, "main.charter:8:28");
    }

    @Test
    void theFormatterWritesTheClauseOnItsOwnLineAndKeepsItsMeaning() {
        String messy = HEADER + "invariant owners soft { deny ship because \"b\"   override   by  team platform ,alice,owner( intent.project )including self }\n";
        String formatted = ProgramFormatter.format(new ProgramParser().parse("main.charter", messy).file());
        assertTrue(formatted.contains("""
                invariant owners soft {
                  deny ship
                    because "b"
                    override by team platform, alice, owner(intent.project) including self
                }
                """), formatted);
        assertEquals(formatted, ProgramFormatter.format(new ProgramParser().parse("main.charter", formatted).file()));
    }

    @Test
    void theSemanticDiffReportsWhoMayOverride() {
        String before = guard("soft", "");
        ProgramDiff d = SemanticDiff.between(resolved(before), resolved(guard("soft", "override by team platform")));
        assertEquals(1, d.changes().size(), d::toString);
        assertEquals(List.of(new ProgramDiff.Detail("override by", "anyone but the sender (no `override by`)", "team platform")),
                d.changes().getFirst().details());
        ProgramDiff self = SemanticDiff.between(resolved(guard("soft", "override by team platform")),
                resolved(guard("soft", "override by team platform including self")));
        assertEquals(List.of(new ProgramDiff.Detail("override by", "team platform", "team platform including self")),
                self.changes().getFirst().details());
        assertTrue(SemanticDiff.between(resolved(guard("soft", "override by alice")),
                resolved(guard("soft", "override  by\n alice"))).isEmpty());
    }

    private static charter.compiler.model.ResolvedProgram resolved(String text) {
        var c = charter.compiler.TestPrograms.check(charter.compiler.TestPrograms.files(text));
        assertTrue(c.ok(), () -> charter.compiler.TestPrograms.rendered(c));
        return c.drl().core().typed().program();
    }
}
