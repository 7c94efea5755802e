package charter.compiler.diff;

import static charter.compiler.diff.SemanticDiffTest.diff;
import static charter.compiler.diff.SemanticDiffTest.only;
import static charter.compiler.diff.SemanticDiffTest.replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.diff.ProgramDiff.Detail;
import charter.compiler.diff.ProgramDiff.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `charter diff` on a count's `by`, on `??`/`skip` in actions, and on tied exists in guards. */
class GroupingAndDefaultsDiffTest {
    static final String BASE = """
            program "t"
            team oncall { }
            intent ship(repo: string) { }
            rule same_issue {
              when count(sentry.error.created e) by e.issue_id >= 3 within 10m
              then pagerduty.page(team: owner(e.project) ?? team oncall, summary: e.title ?? skip)
            }
            invariant open_fatal hard {
              deny ship where exists(sentry.issue.created i where i.level == "fatal" within 2h before intent)
                and not exists(sentry.issue.resolved r where r.issue_id == i.issue_id within 2h after i)
              because "b"
            }
            """;

    @Test
    void reformattingIsNoChange() {
        assertTrue(diff(BASE, BASE.replace(" by e.issue_id", "  by   e.issue_id").replace(" ?? ", "??")).isEmpty());
    }

    @Test
    void aChangedKeyIsReportedAsTheCountsBy() {
        var c = only(diff(BASE, replace(BASE, "by e.issue_id", "by e.issue_id, e.environment")));
        assertEquals(Op.CHANGED, c.op());
        assertEquals(List.of(new Detail("`count(sentry.error.created e)` by", "e.issue_id", "e.issue_id, e.environment")), c.details());
        var dropped = only(diff(BASE, replace(BASE, " by e.issue_id", "")));
        assertEquals(List.of(new Detail("`count(sentry.error.created e)` by", "e.issue_id", null)), dropped.details());
    }

    @Test
    void aDefaultReplacedBySkipIsAnArgumentChange() {
        var c = only(diff(BASE, replace(BASE, "owner(e.project) ?? team oncall", "owner(e.project) ?? skip")));
        assertEquals(Op.CHANGED, c.op());
        assertTrue(c.details().stream().anyMatch(d -> "owner(e.project) ?? team oncall".equals(d.from())
                && "owner(e.project) ?? skip".equals(d.to())), c.details()::toString);
    }

    @Test
    void aTiedAbsenceChangedInsideAGuardIsNamed() {
        var c = only(diff(BASE, replace(BASE, "within 2h after i)", "within 4h after i)")));
        assertEquals("open_fatal", c.id());
        assertTrue(c.details().stream().anyMatch(d -> d.aspect().contains("sentry.issue.resolved r") && "2h".equals(d.from()) && "4h".equals(d.to())),
                c.details()::toString);
    }
}
