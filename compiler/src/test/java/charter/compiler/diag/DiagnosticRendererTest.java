package charter.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import charter.compiler.ast.Span;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnosticRendererTest {

    @Test
    void caretStartsUnderTheFirstCharacterOfTheSpan() {
        String line = "  when vercel.deployment.error d where d.targt == \"production\"";
        int column = line.indexOf("targt") + 1;
        var renderer = new DiagnosticRenderer(Map.of("r.charter", SourceText.of("r.charter", "\n\n\n" + line + "\n")));
        String out = renderer.render(Diagnostic.error(Code.UNKNOWN_FIELD, new Span("r.charter", 4, column, 4, column + 5),
                "unknown field `targt` on vercel.deployment.error").withSuggestion("target"));
        String[] lines = out.split("\n");
        assertEquals(" 4 | " + line, lines[3]);
        assertEquals(lines[3].indexOf("targt"), lines[4].indexOf('^'), out);
        assertEquals(lines[3].indexOf('|'), lines[2].indexOf('|'), out);
    }
}
