package charter.compiler.fmt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `approval by` keeps every promise of the formatter, comments in and around the clause included. */
class ApprovalFormatTest {
    @Test
    void commentsInAndAroundTheClauseAreKeptAndTheResultIsStable() {
        String text = """
                person alice { }
                team platform { members alice }
                rule page "Page" // why it waits
                  approval by /* who */ team platform, alice {
                  when vercel.deployment.error d
                  then slack.post(channel: "#c", text: d.project) // after the action
                       approval by owner(d.project) // after its clause
                       pagerduty.page(team: owner(d.project), summary: "x")
                }
                intent rollback(
                  project: string // the project
                ) approval by team platform /* end */ {
                  resolve vercel.rollback(project: intent.project)
                }
                """;
        String formatted = FormatProperties.formatAndCheck("approval.charter", text);
        assertTrue(formatted.contains("approval by team platform, alice {"), formatted);
        assertTrue(formatted.contains(") approval by owner(d.project)"), formatted);
    }
}
