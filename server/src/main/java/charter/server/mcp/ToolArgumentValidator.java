package charter.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a tool call's arguments against the tool's input schema (JSON Schema 2020-12), with each
 * tool's schema compiled once: the flat object schemas Charter's own tools have by
 * {@link FlatObjectSchema} on the arguments' map, any other by the validator the SDK's default
 * uses. The SDK's default finds its compiled schema by serialising the schema map to a string on
 * every call, turns the arguments into a JSON tree to check them, and serialises them again when
 * they are valid: a tenth of an MCP decision's CPU, for answers that never change while the tool
 * does. Here a compiled schema is found by the identity of the tool's schema map (a tool keeps its
 * map for life) and forgotten when the Program's tools change.
 */
final class ToolArgumentValidator implements JsonSchemaValidator {
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
    private final Map<Identity, Check> compiled = new ConcurrentHashMap<>();
    /** A tool's schema itself (SEP-1613) is checked where the SDK asks, by the SDK's own validator. */
    private final DefaultJsonSchemaValidator schemaChecker = new DefaultJsonSchemaValidator(CharterMcp.JSON);

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object arguments) {
        if (schema == null) throw new IllegalArgumentException("Schema must not be null");
        if (arguments == null) throw new IllegalArgumentException("Structured content must not be null");
        try {
            Object args = arguments instanceof String text ? CharterMcp.JSON.readValue(text, Object.class) : arguments;
            List<?> errors = switch (compiled.computeIfAbsent(new Identity(schema), k -> compile(k.schema()))) {
                case Check.Flat(FlatObjectSchema flat) -> args instanceof Map<?, ?> map ? flat.problems(map)
                        : List.of(": " + FlatObjectSchema.found(args) + " found, object expected");
                case Check.General(Schema general) -> general.validate(CharterMcp.JSON.<JsonNode>valueToTree(args));
            };
            // The SDK reads only whether it passed and why not; the arguments are not written back out.
            return errors.isEmpty() ? ValidationResponse.asValid(null)
                    : ValidationResponse.asInvalid("Validation failed: JSON schema validation errors: " + errors);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return ValidationResponse.asInvalid("Unexpected validation error: " + e.getMessage());
        }
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return schemaChecker.validateSchema(schema);
    }

    /** A tool's schema made ready to check arguments with. */
    private sealed interface Check {
        /** One of the flat object schemas Charter's tools have, checked on the arguments' map directly. */
        record Flat(FlatObjectSchema schema) implements Check {}

        /** Any other schema, by the general validator. */
        record General(Schema schema) implements Check {}
    }

    private Check compile(Map<String, Object> schema) {
        return FlatObjectSchema.of(schema).<Check>map(Check.Flat::new)
                .orElseGet(() -> new Check.General(registry.getSchema(CharterMcp.JSON.<JsonNode>valueToTree(schema))));
    }

    /** How many schemas are held compiled now (for tests). */
    int compiledSchemas() {
        return compiled.size();
    }

    /** The tools changed: their schemas' compiled forms are not needed any more. */
    void forget() {
        compiled.clear();
    }

    /** A schema map by identity: hashing or comparing its contents would cost what the cache saves. */
    private record Identity(Map<String, Object> schema) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && i.schema == schema;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(schema);
        }
    }
}
