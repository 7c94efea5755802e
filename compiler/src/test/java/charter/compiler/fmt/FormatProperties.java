package charter.compiler.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.ast.SourceFile;
import charter.compiler.diag.Diagnostic;
import charter.compiler.parse.ProgramParser;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The promises of the formatter, checked on any input that parses. */
final class FormatProperties {
    private FormatProperties() {}

    static SourceFile parse(String name, String text) {
        ProgramParser.Result r = new ProgramParser().parse(name, text);
        List<Diagnostic> errors = r.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertTrue(errors.isEmpty(), () -> name + " does not parse: " + errors);
        return r.file();
    }

    /** Formats `text`, asserts every property and returns the canonical text. */
    static String formatAndCheck(String name, String text) {
        SourceFile input = parse(name, text);
        String formatted = ProgramFormatter.format(input);
        SourceFile output = parse(name + " (formatted)", formatted);

        assertEquals(AstEraser.erase(input.decls()), AstEraser.erase(output.decls()), name + ": formatting changed the meaning");
        assertEquals(commentTexts(input), commentTexts(output), name + ": a comment was lost or duplicated");
        assertEquals(formatted, ProgramFormatter.format(output), name + ": formatting is not idempotent");
        if (!formatted.isEmpty()) {
            assertTrue(formatted.endsWith("\n") && !formatted.endsWith("\n\n"), name + ": must end with exactly one newline");
        }
        // Function bodies are JavaScript kept exactly as written, trailing whitespace included.
        java.util.Set<String> bodyLines = new java.util.HashSet<>();
        for (var d : output.decls()) {
            if (d instanceof charter.compiler.ast.Decl.FunctionDecl f) bodyLines.addAll(List.of(f.body().split("\n", -1)));
        }
        for (String line : formatted.split("\n", -1)) {
            if (bodyLines.stream().anyMatch(line::endsWith)) continue;
            assertFalse(line.endsWith(" ") || line.endsWith("\t"), () -> name + ": trailing whitespace in `" + line + "`");
        }
        for (var d : input.decls()) {
            if (d instanceof charter.compiler.ast.Decl.FunctionDecl f) {
                assertTrue(formatted.contains(f.body()), () -> name + ": the body of " + f.name().text() + " was not kept as written");
            }
        }
        FormatResult again = ProgramFormatter.check(name, formatted);
        assertTrue(again.canonical(), name + ": check() does not accept the formatter's own output");
        return formatted;
    }

    /** The multiset of comment texts; line comments lose only their trailing whitespace. */
    static Map<String, Integer> commentTexts(SourceFile file) {
        Map<String, Integer> counts = new TreeMap<>();
        for (SourceFile.Comment c : file.comments()) {
            String text = c.text().startsWith("/*") ? c.text() : c.text().stripTrailing();
            counts.merge(text, 1, Integer::sum);
        }
        return counts;
    }
}
