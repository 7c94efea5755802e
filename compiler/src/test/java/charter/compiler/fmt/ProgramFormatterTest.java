package charter.compiler.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.grammar.CharterLexer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgramFormatterTest {

    private static String fmt(String text) {
        return FormatProperties.formatAndCheck("test.charter", text);
    }

    /** The `where` expression of a one-condition rule after formatting. */
    private static String where(String expr) {
        String out = fmt("rule r { when a.b x where " + expr + " then s.p() }");
        String line = out.lines().filter(l -> l.startsWith("  when ")).findFirst().orElseThrow();
        return line.substring("  when a.b x where ".length());
    }

    /**
     * Conditions of any length, as random conjunctions and disjunctions of comparisons, in a rule's
     * `where`, a guard's `where` and a state invariant: every formatted line fits the width (no
     * comparison is longer than it), and formatting keeps the meaning and is stable (formatAndCheck).
     */
    @Test
    void longConditionsBreakAtAndOrWithinTheWidth() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            String cond = condition(random, "x", 2 + random.nextInt(14));
            String intentCond = condition(random, "intent", 2 + random.nextInt(14));
            String program = "rule r { when a.b x where " + cond + " and not a.c y where y.k == x.k and " + condition(random, "y", 3)
                    + " within 5m after x then s.p() }\n"
                    + "invariant i hard { deny ship where " + intentCond + " because \"no\" }\n"
                    + "invariant j soft { every a.b x where " + cond + " has a.c y where y.k == x.k within 1h after x because \"b\" }\n";
            String out = fmt(program);
            for (String line : out.split("\n")) {
                assertTrue(line.length() <= ProgramFormatter.WIDTH, () -> "over the width:\n" + line + "\nin\n" + out);
            }
        }
    }

    private static String condition(Random random, String binding, int terms) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < terms; i++) {
            if (i > 0) out.append(random.nextInt(4) == 0 ? " or " : " and ");
            out.append(binding).append(".field_").append(random.nextInt(50)).append(" == \"value-").append(random.nextInt(1000)).append('"');
        }
        return out.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "(a + b) + c               | a + b + c",
            "a + (b + c)               | a + (b + c)",
            "a - (b - c)               | a - (b - c)",
            "-(a + b) == c             | -(a + b) == c",
            "- - a == 1                | - -a == 1",
            "-(-a) == 1                | - -a == 1",
            "not (a == b)              | not a == b",
            "(not a) == b              | (not a) == b",
            "not (a and b)             | not (a and b)",
            "(a or b) and c            | (a or b) and c",
            "a or (b and c)            | a or b and c",
            "(a and b) or c            | a and b or c",
            "a and (b or c)            | a and (b or c)",
            "(a in [1]) in c           | a in [1] in c",
            "a in (b in c)             | a in (b in c)",
            "(a matches \"x\") == b    | (a matches \"x\") == b",
            "(((a)))  ==   ((1))       | a == 1",
            "f((a or b), [ (c) ]) == 1 | f(a or b, [c]) == 1",
            "not not a                 | not not a",
            "a not in team t           | a not in team t",
    })
    void parenthesesOnlyWherePrecedenceNeedsThem(String input, String expected) {
        assertEquals(expected, where(input));
    }

    @Test
    void stringsAreReescaped() {
        String out = fmt("program \"a\\\"b\\\\c\\td\\ne \\$ f \\${g} h$\"\n");
        assertEquals("program \"a\\\"b\\\\c\\td\\ne $ f \\${g} h$\"\n", out);
    }

    @Test
    void interpolationsArePrintedCanonically() {
        String out = fmt("rule r { when a.b x then s.p(t: \"${  x.y  }-${x.n+1}$${x.z}\") }");
        assertTrue(out.contains("s.p(t: \"${x.y}-${x.n + 1}$${x.z}\")"), out);
    }

    @Test
    void emptyAndCommentOnlyFiles() {
        assertEquals("", fmt(""));
        assertEquals("", fmt("  \n\n\t "));
        assertEquals("// only\n", fmt("\n\n// only   \n\n"));
        assertEquals("/* a */\n\n# b\n", fmt("/* a */\n\n\n   # b"));
    }

    @Test
    void checkReportsWhetherTextIsCanonical() {
        FormatResult ugly = ProgramFormatter.check("a.charter", "program   \"a\"");
        assertTrue(ugly.formattable());
        assertFalse(ugly.canonical());
        assertEquals("program \"a\"\n", ugly.formatted());

        FormatResult clean = ProgramFormatter.check("a.charter", "program \"a\"\n");
        assertTrue(clean.canonical());
        assertEquals("program \"a\"\n", clean.formatted());

        FormatResult crlf = ProgramFormatter.check("a.charter", "program \"a\"\r\n");
        assertFalse(crlf.canonical());
        assertEquals("program \"a\"\n", crlf.formatted());
    }

    @Test
    void fileWithSyntaxErrorsIsNotFormatted() {
        FormatResult broken = ProgramFormatter.check("b.charter", "rule r { when then }\nprogram \"x\"");
        assertFalse(broken.formattable());
        assertFalse(broken.canonical());
        assertNull(broken.formatted());
        assertFalse(broken.diagnostics().isEmpty());

        FormatResult badEscape = ProgramFormatter.check("b.charter", "program \"a\\qb\"");
        assertFalse(badEscape.formattable());
    }

    @Test
    void longMemberListsAreFilledUpToTheWidth() {
        String names = String.join(", ", Stream.iterate(0, i -> i + 1).limit(30).map(i -> "person" + i).toList());
        String out = fmt("team t { members " + names + " }");
        assertTrue(out.lines().allMatch(l -> l.length() <= ProgramFormatter.WIDTH), out);
        assertTrue(out.lines().filter(l -> l.startsWith("  members ")).count() > 1, out);
    }

    /** Found by the Program fuzzer (seed 20261207): a too-long absence with neither `where` nor a window printed `null`. */
    @Test
    void longAbsenceWithoutWhereOrWindowIsNotNull() {
        String type = "r.r" + "x".repeat(150);
        String out = fmt("rule r { when a.b x where not x.draft and not " + type + " draft then s.p() }");
        assertFalse(out.contains("null"), out);
        assertTrue(out.contains("and not " + type + " draft\n"), out);
    }

    /** The layout of the input does not matter: the same tokens in any whitespace give the same text. */
    @Test
    void outputDoesNotDependOnLayout() throws IOException {
        Path dir = Path.of("src/test/resources/golden/fmt");
        List<Path> inputs;
        try (Stream<Path> files = Files.list(dir)) {
            inputs = files.filter(p -> p.toString().endsWith(".charter")).sorted().toList();
        }
        Random random = new Random(42);
        for (Path input : inputs) {
            String text = Files.readString(input, StandardCharsets.UTF_8);
            String canonical = fmt(text);
            boolean hasComments = !FormatProperties.parse("x", text).comments().isEmpty();
            for (int round = 0; round < 5; round++) {
                String relaid = relayout(text, random);
                String out = FormatProperties.formatAndCheck(input.getFileName() + " relaid " + round, relaid);
                if (!hasComments) assertEquals(canonical, out, input + " relaid:\n" + relaid);
            }
        }
    }

    /** Comments between any two tokens, in any layout, are kept exactly once and the result is stable. */
    @Test
    void commentsAnywhereSurvive() throws IOException {
        Path dir = Path.of("src/test/resources/golden/fmt");
        List<Path> inputs;
        try (Stream<Path> files = Files.list(dir)) {
            inputs = files.filter(p -> p.toString().endsWith(".charter")).sorted().toList();
        }
        Random random = new Random(7);
        for (Path input : inputs) {
            String text = Files.readString(input, StandardCharsets.UTF_8);
            for (int round = 0; round < Integer.getInteger("charter.fmt.fuzz", 20); round++) {
                String noisy = withComments(relayout(text, random), random);
                FormatProperties.formatAndCheck(input.getFileName() + " with comments " + round, noisy);
            }
        }
    }

    /** `text` with a line or block comment after about one token in four. */
    private static String withComments(String text, Random random) {
        CharterLexer lexer = new CharterLexer(CharStreams.fromString(text));
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            out.append(t.getText());
            if (t.getType() == CharterLexer.WS || random.nextInt(4) != 0) continue;
            out.append(switch (random.nextInt(3)) {
                case 0 -> " // c" + n++ + "\n";
                case 1 -> "/* c" + n++ + " */";
                default -> "\n# c" + n++ + "\n";
            });
        }
        return out.toString();
    }

    /** The tokens of `text` separated by random whitespace; a line comment is always followed by a newline. */
    private static String relayout(String text, Random random) {
        CharterLexer lexer = new CharterLexer(CharStreams.fromString(text));
        String[] gaps = {" ", "  ", "\n", "\t", "\n\n   ", " \n "};
        StringBuilder out = new StringBuilder();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getType() == CharterLexer.WS) continue;
            out.append(t.getText());
            out.append(t.getType() == CharterLexer.LINE_COMMENT ? "\n" : gaps[random.nextInt(gaps.length)]);
        }
        return out.toString();
    }
}
