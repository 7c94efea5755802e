package charter.compiler.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** `matches` on RE2J: the same answers as java.util.regex where the syntaxes agree, in linear time, refusals as values. */
class RegexTest {

    private static Regex accepted(String pattern) {
        return assertInstanceOf(Regex.Accepted.class, Regex.compile(pattern), pattern).regex();
    }

    @Test
    void catastrophicPatternsRunInLinearTime() {
        Regex conventional = accepted("^(feat|fix|chore|docs)(\\([a-z]+\\))?: (\\w|\\s)*$");
        Regex nested = accepted("^(a+)+$");
        String subject = "a".repeat(100_000) + "!";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertTrue(conventional.find("feat: " + "a".repeat(2_000)));
            assertEquals(false, conventional.find("feat: " + subject));
            assertEquals(false, nested.find(subject));
        });
    }

    @Test
    void hugeCountedRepeatsAreRefusedBeforeCompiling() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (String p : new String[] {"((a{100}){100}){100}", "(a{1000}){1000}", "(((x{20}){20}){20}){20}[ab]{30}"}) {
                assertInstanceOf(Regex.Refused.class, Regex.compile(p), p);
            }
        });
        accepted("^release/\\d{1,4}\\.\\d{1,4}$");
        accepted("\\p{Greek}{2,5}x{3}");
        accepted("[{}]{2}a{,3}");
    }

    @Test
    void agreesWithJavaRegexOnTheirCommonSyntax() {
        Random random = new Random(12);
        for (int i = 0; i < 3_000; i++) {
            String pattern = pattern(random, 3);
            java.util.regex.Pattern reference = java.util.regex.Pattern.compile(pattern);
            Regex regex = accepted(pattern);
            for (int j = 0; j < 8; j++) {
                String subject = subject(random);
                assertEquals(reference.matcher(subject).find(), regex.find(subject), () -> pattern + " on `" + subject + "`");
            }
        }
    }

    /** Patterns both engines read the same way: literals, classes, groups, alternation, greedy and lazy repeats, anchors. */
    private static String pattern(Random r, int depth) {
        StringBuilder out = new StringBuilder();
        int atoms = 1 + r.nextInt(4);
        for (int i = 0; i < atoms; i++) {
            int kind = r.nextInt(depth > 0 ? 9 : 6);
            out.append(switch (kind) {
                case 0, 1 -> String.valueOf("abc".charAt(r.nextInt(3)));
                case 2 -> "[a-b]";
                case 3 -> "[^a]";
                case 4 -> ".";
                case 5 -> "\\d";
                case 6 -> "(" + pattern(r, depth - 1) + ")";
                case 7 -> "(?:" + pattern(r, depth - 1) + "|" + pattern(r, depth - 1) + ")";
                default -> "(" + pattern(r, depth - 1) + ")";
            });
            out.append(switch (r.nextInt(8)) {
                case 0 -> "*";
                case 1 -> "+";
                case 2 -> "?";
                case 3 -> "{1,2}";
                case 4 -> "*?";
                default -> "";
            });
        }
        if (r.nextInt(4) == 0) out.insert(0, '^');
        if (r.nextInt(4) == 0) out.append('$');
        return out.toString();
    }

    private static String subject(Random r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(10);
        for (int i = 0; i < n; i++) s.append("abc1 ".charAt(r.nextInt(5)));
        return s.toString();
    }
}
