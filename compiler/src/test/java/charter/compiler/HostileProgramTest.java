package charter.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.fmt.FormatResult;
import charter.compiler.fmt.ProgramFormatter;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 12: inputs that made check, compile or fmt fail with an internal
 * error (NullPointerException, StackOverflowError, a name refused by the DRL writer)
 * are diagnostics with a code and a position, in all three.
 */
class HostileProgramTest {
    private static final String THEN = " then slack.post(channel: \"#x\", text: \"y\") }\n";

    /** check, compile and fmt each answer with diagnostics only; returns compile's. */
    static List<Diagnostic> refused(String main) {
        Compilation checked = TestPrograms.check(TestPrograms.files(main));
        Compilation compiled = TestPrograms.compile(main);
        FormatResult formatted = ProgramFormatter.check("main.charter", main);
        for (Compilation c : List.of(checked, compiled)) {
            assertFalse(c.ok(), "must be refused");
            assertPositioned(c.diagnostics());
        }
        assertFalse(formatted.formattable(), "fmt must refuse it too");
        assertTrue(formatted.diagnostics().stream().anyMatch(Diagnostic::isError));
        assertPositioned(formatted.diagnostics());
        return compiled.diagnostics();
    }

    static void assertPositioned(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            assertTrue(d.code() != Code.INTERNAL, () -> "internal error: " + d);
            assertTrue(d.span() != null && d.span().line() >= 1 && d.span().column() >= 1, () -> "no position: " + d);
        }
    }

    static List<String> codes(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(d -> d.code().id()).distinct().toList();
    }

    @Test
    void aRuleIdTooLongForTheGeneratedDrlIsANameDiagnostic() {
        String id = "r".repeat(198);
        List<Diagnostic> d = refused("program \"t\"\nrule " + id + " { when vercel.deployment.error d" + THEN);
        assertEquals(List.of(Code.NAME_TOO_LONG.id()), codes(d));
        assertEquals("main.charter:2:6", String.valueOf(d.getFirst().span()).substring(0, "main.charter:2:6".length()));
        String longest = "r".repeat(charter.compiler.parse.ProgramParser.MAX_NAME_LENGTH);
        assertTrue(TestPrograms.compile("program \"t\"\nrule " + longest + " { when vercel.deployment.error d" + THEN).ok());
    }

    @Test
    void brokenRuleHeadsAreSyntaxErrorsNotCrashesOfTheRecovery() {
        for (String head : List.of("rule a ; b {", "rule règle {", "rule a ; b {\n}", "rule règle {\n}\n", "rule {", "invariant x hard {",
                "rule a { when", "rule a { then", "team t { members", "intent i(", "function js f(", "invariant x {")) {
            List<Diagnostic> d = refused("program \"t\"\n" + head);
            assertTrue(codes(d).contains(Code.SYNTAX.id()), () -> head + ": " + d);
        }
    }

    static String joined(String separator, int terms) {
        return IntStream.range(0, terms).mapToObj(i -> "d.target == \"p\"").collect(Collectors.joining(separator));
    }

    @Test
    void longChainsAndDeepPrefixesAreANestingDiagnostic() {
        List<String> conditions = List.of(
                joined(" and ", 2_000),
                joined(" or ", 3_000),
                String.join("", Collections.nCopies(3_000, "not ")) + "true",
                "d.target == \"" + "\" + \"".repeat(3_000) + "\"",
                "1 < " + "-".repeat(3_000) + "1",
                "1 < " + "- ".repeat(3_000) + "1",
                joined(" == not ", 3_000));
        for (String condition : conditions) {
            List<Diagnostic> d = refused("program \"t\"\nrule r { when vercel.deployment.error d where " + condition + THEN);
            assertEquals(List.of(Code.NESTING_TOO_DEEP.id()), codes(d), () -> condition.substring(0, 40) + ": " + d);
            assertEquals(2, d.getFirst().span().line());
        }
    }

    @Test
    void chainsWithinTheLimitStillCompile() {
        Compilation c = TestPrograms.compile("program \"t\"\nrule r { when vercel.deployment.error d where " + joined(" and ", 100) + THEN);
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        assertTrue(ProgramFormatter.check("main.charter", "program \"t\"\nrule r { when vercel.deployment.error d where "
                + joined(" or ", 100) + THEN).formattable());
    }
}
