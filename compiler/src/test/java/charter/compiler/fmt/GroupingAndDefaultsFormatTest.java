package charter.compiler.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** `charter fmt` on `count(...) by`, `??`, `skip` and tied exists: canonical, meaning-preserving, idempotent. */
class GroupingAndDefaultsFormatTest {

    private static String fmt(String text) {
        return FormatProperties.formatAndCheck("test.charter", text);
    }

    @Test
    void theNewConstructsHaveOneCanonicalForm() {
        String messy = """
                rule same_issue { when count( sentry.error.created e where e.level=="error" )   by e.issue_id ,e.project >=3 within 10m
                then pagerduty.page(team:owner(e.project)??team oncall,summary:e.title??skip) }
                invariant open_fatal hard { deny ship where exists(sentry.issue.created i where i.level=="fatal" and not exists(sentry.issue.resolved r where r.issue_id==i.issue_id within 2h after i) within 2h before intent)
                  and not exists(sentry.issue.assigned a where a.issue_id == i.issue_id) because "b" }
                """;
        assertEquals("""
                rule same_issue {
                  when count(sentry.error.created e where e.level == "error") by e.issue_id, e.project >= 3 within 10m
                  then pagerduty.page(team: owner(e.project) ?? team oncall, summary: e.title ?? skip)
                }

                invariant open_fatal hard {
                  deny ship where exists(sentry.issue.created i where i.level == "fatal" and not exists(sentry.issue.resolved r where r.issue_id == i.issue_id within 2h after i) within 2h before intent)
                    and not exists(sentry.issue.assigned a where a.issue_id == i.issue_id)
                    because "b"
                }
                """, fmt(messy));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "(a ?? b) ?? c          | (a ?? b) ?? c",
            "a ?? (b ?? c)          | a ?? b ?? c",
            "a + b ?? c             | a + b ?? c",
            "a + (b ?? c)           | a + (b ?? c)",
            "(a ?? b) == c          | a ?? b == c",
            "a ?? (b == c)          | a ?? (b == c)",
            "-(a ?? b)              | -(a ?? b)",
            "not (a ?? b)           | not a ?? b",
    })
    void coalesceBindsBetweenAdditionAndComparison(String in, String out) {
        String line = fmt("rule r { when a.b x where " + in + " then s.p() }").lines()
                .filter(l -> l.startsWith("  when ")).findFirst().orElseThrow();
        assertEquals(out, line.substring("  when a.b x where ".length()));
    }

    /** Random trees of `??`, `+`, `==`, `and`, `not` and parentheses: formatting never changes what they mean. */
    @Test
    void randomExpressionsSurviveFormatting() {
        Random random = new Random(20261205);
        for (int i = 0; i < 25; i++) {
            String expr = expr(random, 3);
            fmt("rule r { when a.b x where " + expr + " then s.p(t: " + expr(random, 2) + " ?? skip) }");
        }
    }

    private static String expr(Random random, int depth) {
        if (depth == 0 || random.nextInt(4) == 0) {
            return List.of("x.a", "x.b", "\"s\"", "1", "skip", "owner(x.p)", "team t").get(random.nextInt(7));
        }
        String l = expr(random, depth - 1);
        String r = expr(random, depth - 1);
        String e = switch (random.nextInt(5)) {
            case 0, 1 -> l + " ?? " + r;
            case 2 -> l + " + " + r;
            case 3 -> l + " == " + r;
            default -> "not " + l;
        };
        return random.nextInt(3) == 0 ? "(" + e + ")" : e;
    }
}
