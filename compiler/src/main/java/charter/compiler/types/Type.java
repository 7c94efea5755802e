package charter.compiler.types;

/** The static types of the Program language. */
public sealed interface Type {
    String display();

    enum Simple implements Type {
        STRING, NUMBER, BOOL, DURATION, TIME, TEAM, PERSON,
        /** The type of an expression that already has an error: it matches anything, so one mistake is reported once. */
        ERROR;

        @Override
        public String display() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** `list<string>` and list literals. */
    record ListOf(Type element) implements Type {
        @Override
        public String display() {
            return "list<" + element.display() + ">";
        }
    }

    /** A binding of a pattern: an event of the named catalog type, or an entity type. */
    record FactOf(String factType) implements Type {
        @Override
        public String display() {
            return factType;
        }
    }

    /** `intent` inside a deny guard or a resolve block. */
    record IntentOf(String intent) implements Type {
        @Override
        public String display() {
            return "intent " + intent;
        }
    }

    Type STRING = Simple.STRING;
    Type NUMBER = Simple.NUMBER;
    Type BOOL = Simple.BOOL;
    Type DURATION = Simple.DURATION;
    Type TIME = Simple.TIME;
    Type TEAM = Simple.TEAM;
    Type PERSON = Simple.PERSON;
    Type ERROR = Simple.ERROR;

    /** Parameter types a Program can write: `intent ship(repo: string, count: number)`. */
    static java.util.Optional<Type> parseParameterType(String name) {
        return switch (name) {
            case "string" -> java.util.Optional.of(STRING);
            case "number" -> java.util.Optional.of(NUMBER);
            case "bool" -> java.util.Optional.of(BOOL);
            case "duration" -> java.util.Optional.of(DURATION);
            case "time" -> java.util.Optional.of(TIME);
            case "team" -> java.util.Optional.of(TEAM);
            case "person" -> java.util.Optional.of(PERSON);
            case "list" -> java.util.Optional.of(new ListOf(STRING));
            default -> java.util.Optional.empty();
        };
    }

    java.util.List<String> PARAMETER_TYPES = java.util.List.of("string", "number", "bool", "duration", "time", "team", "person", "list");

    /** Whether a value of type `actual` may stand where `expected` is required. Strings name people and teams. */
    static boolean assignable(Type actual, Type expected) {
        if (actual == ERROR || expected == ERROR || actual.equals(expected)) return true;
        if (actual == STRING && (expected == TEAM || expected == PERSON)) return true;
        if ((actual == TEAM || actual == PERSON) && expected == STRING) return true;
        return actual instanceof ListOf a && expected instanceof ListOf e && assignable(a.element(), e.element());
    }
}
