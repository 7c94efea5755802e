package charter.compiler.catalog;

import java.util.Arrays;
import java.util.Optional;

/** The value types of event fields, entity attributes and tool parameters. */
public enum FieldType {
    STRING("string"),
    NUMBER("number"),
    BOOL("bool"),
    TIME("time"),
    LIST_STRING("list<string>"),
    /** A team of the Program; accepts a string naming it. Only for tool parameters. */
    TEAM("team"),
    /** A person of the Program; accepts a string naming them. Only for tool parameters. */
    PERSON("person");

    private final String displayName;

    FieldType(String displayName) {
        this.displayName = displayName;
    }

    /** The name used in the catalog and in diagnostics: "string", "list&lt;string&gt;" … */
    public String displayName() {
        return displayName;
    }

    /** Parses a type name as written in the catalog; spaces inside list&lt; &gt; are tolerated. */
    public static Optional<FieldType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().replace(" ", "");
        return Arrays.stream(values()).filter(v -> v.displayName.equals(t)).findFirst();
    }

    /** Whether a value of type {@code other} may be used where this type is expected. */
    public boolean accepts(FieldType other) {
        if (this == other) {
            return true;
        }
        return (this == TEAM || this == PERSON) && other == STRING;
    }

    /** Whether this type may be used for event fields and entity attributes (not team/person). */
    public boolean isDataType() {
        return this != TEAM && this != PERSON;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
