package charter.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.builtins.Builtin;
import charter.facts.EventFact;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Program text built to break out of generated DRL or Java must compile as plain
 * data: the rule still builds, and the string comes back unchanged as a value.
 */
class InjectionTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "\\\"); System.exit(1); //",
            "\\\" + System.getProperty(\\\"user.home\\\") + \\\"",
            "end\\nrule \\\"evil\\\" when then System.exit(1); end",
            "*/ System.exit(1); /*",
            "\\\\u0022); System.exit(1); //",
            "\\${not interpolated}",
            "#{ java.lang.Runtime.getRuntime().exec(\\\"id\\\") }",
            "@{ System.exit(1) }",
            "\\\\\\\\\\\"",
            "🙂 ünïcödé \\t tab",
    })
    void stringLiteralsAreData(String literal) {
        String program = """
                program "t"
                // a comment with */ and "quotes" and end
                /* a block comment with rule "x" when then end */
                rule inject "Title with \\" quote and */ and end" {
                  when vercel.deployment.error d where d.target == "%s"
                  then slack.post(channel: "%s", text: "%s ${d.project}")
                }
                """.formatted(literal, literal, literal);
        Compilation c = TestPrograms.compile(program);
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        assertNotNull(c.program().kieBase());
        String drl = c.drl().drl();
        assertFalse(drl.contains("System"), drl);
        assertFalse(drl.contains("exec"), drl);
        assertFalse(drl.contains("quote"), drl);

        // The literal round-trips: the condition matches exactly the decoded text.
        String decoded = decode(literal);
        var ctx = new Builtin.Context(c.program().directory(), ZoneId.of("UTC"), 0);
        EventFact matching = EventFact.of("e1", "vercel.deployment.error", 1, Map.of("target", decoded, "project", "api"));
        EventFact other = EventFact.of("e2", "vercel.deployment.error", 1, Map.of("target", "production", "project", "api"));
        assertTrue(c.program().conditions().test(0, new Object[]{matching}, ctx));
        assertFalse(c.program().conditions().test(0, new Object[]{other}, ctx));
        var args = c.program().rules().getFirst().actions().getFirst().evaluate(new Object[]{matching}, ctx);
        assertEquals(decoded, args.get("channel"));
        assertEquals(decoded + " api", args.get("text"));
    }

    /** The Program's own escapes: \" \\ \n \t \$ (the test strings use no others). */
    private static String decode(String literal) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '\\' && i + 1 < literal.length()) {
                char n = literal.charAt(++i);
                out.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else out.append(c);
        }
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"end", "global", "declare", "query", "function", "eval", "System", "class", "new", "this", "null", "package", "extends"})
    void droolsAndJavaKeywordsAsNamesAreFine(String name) {
        String program = """
                program "t"
                rule %s {
                  when vercel.deployment.error %s where %s.target == "production"
                  then slack.post(channel: "#c", text: "x")
                }
                """.formatted(name + "_rule", name, name);
        Compilation c = TestPrograms.compile(program);
        assertTrue(c.ok(), () -> TestPrograms.rendered(c));
        assertEquals(List.of(name + "_rule"), c.program().rules().stream().map(r -> r.id()).toList());
    }
}
