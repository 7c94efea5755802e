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
 * Checks a tool call's arguments against the tool's input schema (JSON Schema 2020-12, the
 * validator the SDK's default uses), with each tool's schema compiled once. The SDK's default finds
 * its compiled schema by serialising the schema map to a string on every call, and serialises the
 * arguments again when they are valid: a tenth of an MCP decision's CPU, for answers that never
 * change while the tool does. Here a compiled schema is found by the identity of the tool's schema
 * map (a tool keeps its map for life) and forgotten when the Program's tools change.
 */
final class ToolArgumentValidator implements JsonSchemaValidator {
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
    private final Map<Identity, Schema> compiled = new ConcurrentHashMap<>();
    /** A tool's schema itself (SEP-1613) is checked where the SDK asks, by the SDK's own validator. */
    private final DefaultJsonSchemaValidator schemaChecker = new DefaultJsonSchemaValidator(CharterMcp.JSON);

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object arguments) {
        if (schema == null) throw new IllegalArgumentException("Schema must not be null");
        if (arguments == null) throw new IllegalArgumentException("Structured content must not be null");
        try {
            JsonNode args = arguments instanceof String s ? CharterMcp.JSON.readTree(s) : CharterMcp.JSON.valueToTree(arguments);
            List<com.networknt.schema.Error> errors = compiled.computeIfAbsent(new Identity(schema),
                    k -> registry.getSchema(CharterMcp.JSON.<JsonNode>valueToTree(k.schema()))).validate(args);
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
