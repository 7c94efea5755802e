package charter.compiler.eval;

import java.util.List;

/**
 * An action argument had no value: a field it reads is missing (a string never is: a missing
 * value interpolated into it reads as a marker). The action is not planned; the engine records a rule error saying
 * which argument and which fields, instead of sending null or empty text.
 */
public final class MissingArgumentException extends RuntimeException {
    private final String argument;
    private final List<String> missingFields;

    public MissingArgumentException(String argument, List<String> missingFields) {
        super("argument `" + argument + "` has no value: "
                + (missingFields.isEmpty() ? "a value it reads is missing"
                : String.join(", ", missingFields.stream().map(f -> "`" + f + "`").toList())
                  + (missingFields.size() == 1 ? " is missing" : " are missing")), null, false, false);
        this.argument = argument;
        this.missingFields = List.copyOf(missingFields);
    }

    public String argument() {
        return argument;
    }

    public List<String> missingFields() {
        return missingFields;
    }
}
