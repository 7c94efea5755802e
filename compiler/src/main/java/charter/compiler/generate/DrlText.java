package charter.compiler.generate;

import java.util.regex.Pattern;

/**
 * The only way text reaches generated DRL. Program text never does: strings, titles,
 * comments and conditions live in Java closures, and the DRL names facts by
 * number. What is left — catalog event types, intent names and rule ids, all
 * identifiers already validated by the grammar — is still checked here against a
 * closed alphabet, so that a future change cannot smuggle text in by accident.
 */
public final class DrlText {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");

    private DrlText() {}

    /** A DRL string literal of a name from the closed alphabet. */
    public static String literal(String name) {
        return "\"" + checked(name) + "\"";
    }

    /** A literal already written as DRL — `"word"` or a double — checked against the same alphabet. */
    public static String value(String literal) {
        String bare = literal.startsWith("\"") && literal.endsWith("\"") && literal.length() > 2
                ? literal.substring(1, literal.length() - 1) : literal;
        checked(bare);
        return literal;
    }

    public static String checked(String name) {
        if (!SAFE.matcher(name).matches()) {
            throw new IllegalArgumentException("refusing to emit a name outside [A-Za-z0-9_.:-] into DRL: " + name.length() + " chars");
        }
        return name;
    }
}
