package charter.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.ast.SourceFile;
import charter.compiler.catalog.Catalog;
import charter.compiler.parse.ProgramParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.lsp4j.Position;
import org.junit.jupiter.api.Test;

/**
 * A buffer being typed is any prefix of a file, with any junk in it: completion, hover, go to
 * definition and the outline must answer on every one (seeded random prefixes and cursor
 * positions over the acme files), and places must be right in UTF-16 whatever characters come
 * before them.
 */
class EditorRobustnessTest {
    private static final List<String> JUNK = List.of("", "x", ".", "(", ")", "{", "}", "\"", "${", ":", ",", " and ", " d.", " team ",
            " deny ", " members ", "function js f(", "😀", "\n", "/*");

    @Test
    void everyFeatureAnswersOnRandomPrefixesOfTheAcmeFiles() throws Exception {
        Catalog catalog = Catalog.standard();
        Map<String, String> texts = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("../program-examples/acme"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".charter")).toList()) texts.put(f.getFileName().toString(), Files.readString(f));
        }
        ParseCache parses = new ParseCache();
        Map<String, SourceFile> parsed = new TreeMap<>();
        texts.forEach((path, text) -> parsed.put(path, parses.parse(path, text).file()));
        ProgramIndex index = ProgramIndex.of(parsed);
        Completions completions = new Completions(catalog);
        Hovers hovers = new Hovers(catalog);
        Definitions definitions = new Definitions(catalog);
        List<String> paths = List.copyOf(texts.keySet());
        Random random = new Random(8_2026_12_05L);
        int completedSomething = 0;
        for (int i = 0; i < 400; i++) {
            String path = paths.get(random.nextInt(paths.size()));
            String full = texts.get(path);
            int cut = random.nextInt(full.length() + 1);
            String text = full.substring(0, cut) + JUNK.get(random.nextInt(JUNK.size()));
            int at = random.nextInt(4) == 0 ? random.nextInt(text.length() + 1) : text.length();
            String where = path + " cut at " + cut + ", cursor " + at;
            try {
                if (!completions.at(text, at, index).isEmpty()) completedSomething++;
                hovers.at(text, at, index);
                definitions.at(text, at, index, path);
                ProgramParser.Result result = new ProgramParser().parse(path, text);
                Symbols.of(result.file(), new TextPositions(text));
            } catch (RuntimeException e) {
                throw new AssertionError(where + ": " + e, e);
            }
        }
        assertTrue(completedSomething > 300, "completion offers something nearly everywhere: " + completedSomething);
    }

    @Test
    void aDiagnosticAfterCharactersOutsideTheBasicPlaneIsPlacedInUtf16() {
        String text = "rule r \"R\" {\n  when vercel.deployment.error d where d.project == \"🚀🚀\" and d.targte == \"x\"\n"
                + "  then slack.post(channel: \"#x\", text: \"y\")\n}\n";
        ProgramAnalysis analysis = new ProgramAnalyzer(new ParseCache()).analyzeAlone(Path.of("/tmp/alone/r.charter"), text);
        var diagnostics = analysis.diagnostics().get("r.charter");
        assertEquals(1, diagnostics.size(), diagnostics.toString());
        var converted = DiagnosticConverter.convert(diagnostics.getFirst(), new TextPositions(text));
        assertTrue(diagnostics.getFirst().message().contains("targte"), diagnostics.toString());
        Position expected = LspSession.position(text, text.indexOf("targte"));
        assertEquals(expected, converted.getRange().getStart());
        assertEquals(new Position(expected.getLine(), expected.getCharacter() + "targte".length()), converted.getRange().getEnd());
    }

    @Test
    void positionsAndOffsetsRoundTrip() {
        String text = "a😀b\r\nsecond line\n\nlast";
        TextPositions positions = new TextPositions(text);
        for (int offset = 0; offset <= text.length(); offset++) {
            if (offset > 0 && text.charAt(offset - 1) == '\r') continue;   // between \r and \n is no place in a line
            assertEquals(offset, positions.offset(positions.position(offset)), "offset " + offset);
        }
        assertEquals(text.length(), positions.offset(new Position(99, 0)));
        assertEquals(text.indexOf('\r'), positions.offset(new Position(0, 99)), "a column past the end stops before the line break");
    }
}
