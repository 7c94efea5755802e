package charter.server.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compiled-once validator against the SDK's own, on the intent tools' schemas and arbitrary arguments. */
class ToolArgumentValidatorTest {
    private static final Map<String, Object> SCHEMA = new IntentSpec("ship", "Ship", List.of(
            new IntentSpec.Param("project", "text"), new IntentSpec.Param("count", "number"),
            new IntentSpec.Param("urgent", "bool"), new IntentSpec.Param("labels", "list")), List.of()).inputSchema();
    private static final List<String> KEYS = List.of("project", "count", "urgent", "labels", "dry_run", "reason", "actor");

    @Test
    void acceptsAndRefusesExactlyWhatTheSdksOwnValidatorDoes() {
        ToolArgumentValidator ours = new ToolArgumentValidator();
        JsonSchemaValidator sdk = new DefaultJsonSchemaValidator(CharterMcp.JSON);
        Random random = new Random(20261206);
        int valid = 0;
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> args = arguments(random);
            JsonSchemaValidator.ValidationResponse expected = sdk.validate(SCHEMA, args);
            JsonSchemaValidator.ValidationResponse actual = ours.validate(SCHEMA, args);
            assertEquals(expected.valid(), actual.valid(), "arguments " + args + ": " + expected.errorMessage() + " / " + actual.errorMessage());
            if (actual.valid()) valid++;
            else assertEquals(problems(expected.errorMessage()), problems(actual.errorMessage()), "the same problems, in the same words");
        }
        assertTrue(valid > 20 && valid < 1_980, "both kinds were generated: " + valid + " valid");
    }

    @Test
    void aToolsSchemaIsCompiledOnceAndForgottenWhenTheToolsChange() {
        ToolArgumentValidator ours = new ToolArgumentValidator();
        Map<String, Object> ok = Map.of("project", "api", "count", 2, "urgent", true, "labels", List.of("x"));
        assertTrue(ours.validate(SCHEMA, ok).valid());
        assertEquals(1, ours.compiledSchemas());
        assertTrue(ours.validate(SCHEMA, ok).valid());
        assertEquals(1, ours.compiledSchemas(), "the same schema map is not compiled again");
        ours.forget();
        assertEquals(0, ours.compiledSchemas());
        assertFalse(ours.validate(SCHEMA, Map.of("project", "api")).valid(), "still checked after the tools changed");
    }

    @Test
    void aSchemaThatSaysMoreThanTypesIsCheckedByTheGeneralValidator() {
        Map<String, Object> schema = Map.of("type", "object", "additionalProperties", false, "required", List.of("target"),
                "properties", Map.of("target", Map.of("type", "string", "enum", List.of("preview", "production"))));
        ToolArgumentValidator ours = new ToolArgumentValidator();
        assertTrue(ours.validate(schema, Map.of("target", "preview")).valid());
        JsonSchemaValidator.ValidationResponse refused = ours.validate(schema, Map.of("target", "staging"));
        assertFalse(refused.valid(), "the enum holds");
        assertTrue(refused.errorMessage().contains("target"), refused.errorMessage());
        assertFalse(ours.validate(SCHEMA, "[1]").valid(), "arguments that are not an object");
    }

    /** The problems a refusal lists, in any order. */
    private static java.util.Set<String> problems(String message) {
        String list = message.substring(message.indexOf('[') + 1, message.lastIndexOf(']'));
        return new java.util.TreeSet<>(List.of(list.split(", (?=[:/])")));
    }

    /** A mix of right, missing, mistyped and unknown arguments. */
    private static Map<String, Object> arguments(Random random) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (String key : KEYS) {
            int pick = random.nextInt(key.equals("actor") ? 12 : 8);
            if (pick == 0) continue;
            Object right = switch (key) {
                case "count" -> random.nextInt(100);
                case "urgent", "dry_run" -> random.nextBoolean();
                case "labels" -> new ArrayList<>(List.of("a", "b").subList(0, random.nextInt(3)));
                default -> "v" + random.nextInt(9);
            };
            Object wrong = switch (random.nextInt(7)) {
                case 0 -> 7;
                case 1 -> "seven";
                case 2 -> List.of(1, 2);
                case 3 -> 2.5;
                case 4 -> false;
                case 5 -> java.util.Collections.singletonMap("k", null);
                default -> Map.of("k", "v");
            };
            if (pick == 1 || key.equals("actor")) args.put(key, wrong);
            else args.put(key, right);
        }
        return args;
    }
}
