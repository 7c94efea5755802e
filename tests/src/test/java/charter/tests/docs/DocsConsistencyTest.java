package charter.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Code;
import charter.compiler.fmt.FormatResult;
import charter.compiler.fmt.ProgramFormatter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation true to the code: the links lead somewhere inside the repository,
 * every Program shown is in canonical format, the diagnostic-code table is the one the code
 * defines (run with `-Dcharter.docs.update=true` to rewrite it), and the figures the pages
 * state about the example company and the catalog are the folder's and the catalog's.
 */
class DocsConsistencyTest {
    private static final boolean UPDATE = Boolean.getBoolean("charter.docs.update");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    private static final String TABLE_START = "<!-- generated from charter.compiler.diag.Code by DocsConsistencyTest -->";
    private static final String TABLE_END = "<!-- end of generated table -->";

    private final Path root = GettingStartedDocTest.root();

    @Test
    void theReadmeIsAFrontPage() throws IOException {
        long size = Files.size(root.resolve("README.md"));
        assertTrue(size < 15 * 1024, "README.md is " + size + " bytes; keep the front page under 15 KB and move detail into docs/");
    }

    @Test
    void everyRelativeLinkLeadsToAFileOfTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : GettingStartedDocTest.markdownFiles(root)) {
            String text = Files.readString(file);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) continue;
                Path resolved = file.getParent().resolve(target).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved)) broken.add(root.relativize(file) + ": " + target);
            }
            if (text.contains("../shared/") || text.contains("/work/shared")) broken.add(root.relativize(file) + ": names ../shared, which a clone does not have");
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void everyProgramShownInTheDocsIsInCanonicalFormat() throws IOException {
        List<String> notCanonical = new ArrayList<>();
        int checked = 0;
        for (Path file : GettingStartedDocTest.markdownFiles(root)) {
            for (MarkdownBlocks.Block block : MarkdownBlocks.parse(Files.readString(file)).blocks()) {
                if (!block.language().equals("charter")) continue;
                checked++;
                String where = root.relativize(file) + ":" + block.line();
                FormatResult result = ProgramFormatter.check(where, block.body());
                if (!result.canonical()) notCanonical.add(where + (result.formatted() == null ? " (does not parse)" : "\n" + result.formatted()));
            }
        }
        assertTrue(checked >= 2, "the language reference and the JavaScript page show Programs");
        assertEquals(List.of(), notCanonical, "run `charter fmt` on these and paste the result");
    }

    @Test
    void everyExampleProgramIsInCanonicalFormat() throws IOException {
        List<String> notCanonical = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("program-examples"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".charter") && !p.toString().contains("/target/")).toList()) {
                if (!ProgramFormatter.check(file.toString(), Files.readString(file)).canonical()) notCanonical.add(root.relativize(file).toString());
            }
        }
        assertEquals(List.of(), notCanonical, "run `./charter fmt` on the example");
    }

    @Test
    void theDiagnosticCodeTableIsTheCodes() throws IOException {
        Path page = root.resolve("docs/diagnostics.md");
        String text = Files.readString(page);
        int start = text.indexOf(TABLE_START);
        int end = text.indexOf(TABLE_END);
        assertTrue(start >= 0 && end > start, "docs/diagnostics.md lacks the generated-table markers");
        String generated = TABLE_START + "\n" + table() + TABLE_END;
        String current = text.substring(start, end + TABLE_END.length());
        if (UPDATE && !current.equals(generated)) {
            Files.writeString(page, text.substring(0, start) + generated + text.substring(end + TABLE_END.length()));
            return;
        }
        assertEquals(generated, current, "rerun with -Dcharter.docs.update=true to regenerate the table");
    }

    private static String table() {
        StringBuilder out = new StringBuilder("| code | name | meaning |\n| --- | --- | --- |\n");
        Arrays.stream(Code.values()).sorted(Comparator.comparing(Code::id))
                .forEach(c -> out.append("| ").append(c.id()).append(" | `").append(c.name()).append("` | ").append(c.summary())
                        .append(c.help().isEmpty() ? "" : "; help: " + c.help()).append(" |\n"));
        return out.toString();
    }

    @Test
    void theExampleCompanysFiguresAreTheFolders() throws IOException {
        Path acme = root.resolve("program-examples/acme");
        StringBuilder program = new StringBuilder();
        try (Stream<Path> files = Files.list(acme)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".charter")).sorted().toList()) program.append(Files.readString(f));
        }
        String page = Files.readString(root.resolve("docs/example-company.md")).replaceAll("\\s+", " ");
        assertStates(page, declarations(program, "person") + " people", "people");
        assertStates(page, declarations(program, "team") + " teams", "teams");
        assertStates(page, declarations(program, "rule") + " rules", "rules");
        assertStates(page, declarations(program, "invariant") + " invariants", "invariants");
        assertStates(page, declarations(program, "intent") + " intents", "intents");
        assertStates(page, declarations(program, "function") + " JavaScript functions", "functions");
        try (Stream<Path> s = Files.list(acme.resolve("scenarios"))) {
            assertStates(page, s.filter(p -> p.toString().endsWith(".yaml")).count() + " scenarios", "scenarios");
        }
        assertStates(page, nonBlankLines(acme.resolve("events.jsonl")) + " recorded events", "events");
        assertStates(page, nonBlankLines(acme.resolve("intents.jsonl")) + " intents of people", "intents.jsonl");
    }

    @Test
    void theCatalogsFiguresAreTheCatalogs() throws IOException {
        Catalog catalog = Catalog.standard();
        String page = Files.readString(root.resolve("docs/language/reference.md")).replaceAll("\\s+", " ");
        assertStates(page, catalog.eventTypes().size() + " event types", "event types");
        assertStates(page, catalog.entityTypes().size() + " entity types", "entity types");
        assertStates(page, catalog.tools().size() + " tools", "tools");
    }

    private static void assertStates(String page, String fact, String what) {
        assertTrue(page.contains(fact), () -> "the page should say \"" + fact + "\" (" + what + ")");
    }

    private static long declarations(CharSequence program, String keyword) {
        return Pattern.compile("(?m)^" + keyword + " ").matcher(program).results().count();
    }

    private static long nonBlankLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
    }
}
