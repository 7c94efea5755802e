package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The VS Code extension's files agree with each other and with the language, without npm (the
 * suite cannot afford installing it; `editors/vscode/package.sh` runs the grammar through
 * vscode-textmate and packages the extension): the manifest names files that exist, and every
 * keyword of the lexer is highlighted by a keyword pattern of the grammar.
 */
class VsCodeExtensionTest {
    private final Path extension = Charter.root().resolve("editors/vscode");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theManifestNamesFilesThatExistAndTheCommandSetting() throws Exception {
        JsonNode manifest = json.readTree(extension.resolve("package.json").toFile());
        assertTrue(Files.isRegularFile(extension.resolve(manifest.path("main").asText())), "main");
        JsonNode language = manifest.path("contributes").path("languages").get(0);
        assertEquals("charter", language.path("id").asText());
        assertEquals(".charter", language.path("extensions").get(0).asText());
        assertTrue(Files.isRegularFile(extension.resolve(language.path("configuration").asText())), "language configuration");
        JsonNode grammar = manifest.path("contributes").path("grammars").get(0);
        assertTrue(Files.isRegularFile(extension.resolve(grammar.path("path").asText())), "grammar");
        assertEquals("charter", manifest.path("contributes").path("configuration").path("properties").path("charter.path").path("default").asText());
        assertTrue(Files.readString(extension.resolve(manifest.path("main").asText())).contains("'lsp'"), "the extension starts `charter lsp`");
    }

    @Test
    void everyKeywordOfTheLexerIsHighlightedAsAKeyword() throws Exception {
        String lexer = Files.readString(Charter.root().resolve("grammar/src/main/antlr4/charter/grammar/CharterLexer.g4"));
        List<String> keywords = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^[A-Z_]+\\s*:\\s*'([a-z]+)'\\s*;").matcher(lexer);
        while (m.find()) keywords.add(m.group(1));
        assertTrue(keywords.size() >= 40, keywords.toString());

        JsonNode grammar = json.readTree(extension.resolve("syntaxes/charter.tmLanguage.json").toFile());
        List<Pattern> keywordPatterns = new ArrayList<>();
        for (JsonNode p : grammar.path("repository").path("keywords").path("patterns")) {
            String scope = p.path("name").asText();
            if (scope.matches("(keyword|storage|constant\\.language|variable\\.language).*")) keywordPatterns.add(Pattern.compile(p.path("match").asText()));
        }
        List<String> missing = keywords.stream().filter(k -> keywordPatterns.stream().noneMatch(p -> p.matcher(" " + k + " ").find())).toList();
        assertEquals(List.of(), missing, "keywords of the lexer the grammar does not highlight");
    }
}
