package charter.compiler.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.Pattern;
import charter.compiler.diag.Code;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parse pass: the AST it builds, with spans, and the errors it collects. */
class ProgramParserTest {
    private final ProgramParser parser = new ProgramParser();

    @Test
    void buildsRulesWithPatternsWindowsAndActions() {
        var result = parser.parse("main.charter", """
                program "t"
                rule r "Title" {
                  when sentry.issue.created i where i.level == "fatal"
                   and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
                  then slack.post(channel: "#a", text: "Issue ${i.title} is ${lower(i.level)}")
                }
                """);
        assertEquals(List.of(), result.diagnostics());
        Decl.RuleDecl rule = (Decl.RuleDecl) result.file().decls().get(1);
        assertEquals("r", rule.name().text());
        assertEquals("Title", rule.title());
        Condition.Absent absent = assertInstanceOf(Condition.Absent.class, rule.when().get(1));
        Pattern.Temporal window = absent.pattern().temporal();
        assertEquals(900_000, window.window().millis());
        assertEquals(Pattern.Direction.AFTER, window.direction());
        assertEquals("i", window.anchor().text());
        var text = (Expr.StringLit) rule.then().getFirst().args().get(1).value();
        assertEquals(4, text.parts().size());
        var interpolated = (Expr.StringPart.Interpolation) text.parts().get(1);
        var path = (Expr.Path) interpolated.expr();
        assertEquals("i.title", path.dotted());
        // The interpolation's span points into the string, on the right line and column.
        assertEquals(5, path.span().line());
        assertEquals("  then slack.post(channel: \"#a\", text: \"Issue ${".length() + 1, path.span().column());
    }

    @Test
    void precedenceReadsTheWayAFounderWould() {
        var result = parser.parse("main.charter", """
                rule r { when vercel.deployment.error d where not d.target == "preview" and d.project in ["api", "web"] or d.sha matches "^a"
                  then slack.post(channel: "#a", text: "x") }
                """);
        var where = ((Condition.Match) ((Decl.RuleDecl) result.file().decls().getFirst()).when().getFirst()).pattern().where();
        var or = assertInstanceOf(Expr.Binary.class, where);
        assertEquals(Expr.BinaryOp.OR, or.op());
        var and = assertInstanceOf(Expr.Binary.class, or.left());
        assertEquals(Expr.BinaryOp.AND, and.op());
        var not = assertInstanceOf(Expr.Unary.class, and.left());
        assertEquals(Expr.BinaryOp.EQ, ((Expr.Binary) not.operand()).op(), "`not` applies to the whole comparison");
    }

    @Test
    void keepsCommentsForTheFormatter() {
        var result = parser.parse("main.charter", "// one\nprogram \"t\" /* two */\n# three\n");
        assertEquals(List.of("// one", "/* two */", "# three"), result.file().comments().stream().map(c -> c.text()).toList());
    }

    @Test
    void reportsBadEscapesUnclosedInterpolationsAndStrayCharacters() {
        var result = parser.parse("main.charter", """
                rule r { when vercel.deployment.error d then slack.post(channel: "\\q", text: "${d.project") }
                rule s { when vercel.deployment.error d then slack.post(channel: "a", text: "b") } @
                """);
        var codes = result.diagnostics().stream().map(d -> d.code()).toList();
        assertTrue(codes.contains(Code.BAD_STRING), codes::toString);
        assertTrue(codes.contains(Code.SYNTAX), codes::toString);
        assertTrue(result.diagnostics().stream().allMatch(d -> d.span().line() >= 1));
    }

    @Test
    void fractionalScoresAndThresholdsAreRefused() {
        var result = parser.parse("main.charter", "significance { vercel.deployment.error => 90.5 }\n");
        assertEquals(List.of(Code.BAD_NUMBER), result.diagnostics().stream().map(d -> d.code()).toList());
    }

    /**
     * Issue 13: the parse is SLL first and full LL only when SLL gives up. A valid file never
     * needs the second stage; a file with an error goes through it, and both stages together
     * report exactly what a full-LL parse alone reports, on every example file and on broken
     * variants of them.
     */
    @Test
    void twoStageParseFallsBackToFullLlAndAgreesWithIt() throws Exception {
        ProgramParser ll = new ProgramParser(ProgramParser.Prediction.LL_ONLY);
        var valid = parser.parse("main.charter", "program \"t\"\nrule r { when vercel.deployment.error d then slack.post(channel: \"#a\", text: \"x\") }\n");
        assertEquals(List.of(), valid.diagnostics());
        assertTrue(!valid.fullContext(), "a valid file is parsed by the SLL stage alone");
        var broken = parser.parse("main.charter", "program \"t\"\nrule r { when vercel.deployment.error d where then }\n");
        assertTrue(broken.fullContext(), "SLL gave up on the error and the LL stage ran");
        assertEquals(ll.parse("main.charter", "program \"t\"\nrule r { when vercel.deployment.error d where then }\n").diagnostics(),
                broken.diagnostics());

        java.util.Random random = new java.util.Random(13);
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("../program-examples/acme"))) {
            for (var f : files.filter(p -> p.toString().endsWith(".charter")).sorted().toList()) {
                String text = java.nio.file.Files.readString(f);
                var whole = parser.parse(f.toString(), text);
                assertEquals(List.of(), whole.diagnostics(), f::toString);
                assertTrue(!whole.fullContext(), () -> f + " needed the LL stage");
                for (int i = 0; i < 40; i++) {
                    int cut = random.nextInt(text.length());
                    String variant = text.substring(0, cut) + text.substring(Math.min(text.length(), cut + 1 + random.nextInt(12)));
                    var twoStage = parser.parse(f.toString(), variant);
                    var full = ll.parse(f.toString(), variant);
                    assertEquals(full.diagnostics(), twoStage.diagnostics(), () -> f + " cut at " + cut);
                    assertEquals(full.file().decls().size(), twoStage.file().decls().size(), () -> f + " cut at " + cut);
                }
            }
        }
    }
}
