package charter.compiler.builtins;

import charter.compiler.types.Type;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The built-in functions of the language: one place for their signatures (used by
 * the typechecker) and their behaviour (used by the evaluator). All are pure;
 * "now" is passed in, never read from the wall clock.
 */
public enum Builtin {
    WEEKDAY("weekday", "the day of the week of a time, in the Program's time zone: \"monday\" … \"sunday\"",
            Type.STRING, List.of(List.of(Type.TIME))) {
        @Override
        Object apply(Object[] a, Context c) {
            DayOfWeek day = ((Instant) a[0]).atZone(c.zone()).getDayOfWeek();
            return day.name().toLowerCase(Locale.ROOT);
        }
    },
    HOUR("hour", "the hour (0–23) of a time, in the Program's time zone", Type.NUMBER, List.of(List.of(Type.TIME))) {
        @Override
        Object apply(Object[] a, Context c) {
            return (double) ((Instant) a[0]).atZone(c.zone()).getHour();
        }
    },
    OWNER("owner", "the team that owns a repo, project or service; `nobody` when no team does",
            Type.TEAM, List.of(List.of(Type.STRING))) {
        @Override
        Object apply(Object[] a, Context c) {
            return c.directory().owner((String) a[0]);
        }
    },
    TEAM_OF("team_of", "the first team of the person behind an identity; `nobody` when unknown",
            Type.TEAM, List.of(List.of(Type.STRING))) {
        @Override
        Object apply(Object[] a, Context c) {
            return c.directory().teamOf((String) a[0]);
        }
    },
    PERSON("person", "the person id behind an identity (GitHub login, email, …); \"\" when unknown",
            Type.PERSON, List.of(List.of(Type.STRING))) {
        @Override
        Object apply(Object[] a, Context c) {
            String p = c.directory().person((String) a[0]);
            return p == null ? "" : p;
        }
    },
    LOWER("lower", "the string in lower case", Type.STRING, List.of(List.of(Type.STRING))) {
        @Override
        Object apply(Object[] a, Context c) {
            return ((String) a[0]).toLowerCase(Locale.ROOT);
        }
    },
    UPPER("upper", "the string in upper case", Type.STRING, List.of(List.of(Type.STRING))) {
        @Override
        Object apply(Object[] a, Context c) {
            return ((String) a[0]).toUpperCase(Locale.ROOT);
        }
    },
    CONTAINS("contains", "whether a string contains a substring, or a list an element",
            Type.BOOL, List.of(List.of(Type.STRING, Type.STRING), List.of(new Type.ListOf(Type.STRING), Type.STRING))) {
        @Override
        Object apply(Object[] a, Context c) {
            return a[0] instanceof List<?> list ? list.contains(a[1]) : ((String) a[0]).contains((String) a[1]);
        }
    },
    STARTS_WITH("starts_with", "whether a string starts with a prefix", Type.BOOL, List.of(List.of(Type.STRING, Type.STRING))) {
        @Override
        Object apply(Object[] a, Context c) {
            return ((String) a[0]).startsWith((String) a[1]);
        }
    },
    ENDS_WITH("ends_with", "whether a string ends with a suffix", Type.BOOL, List.of(List.of(Type.STRING, Type.STRING))) {
        @Override
        Object apply(Object[] a, Context c) {
            return ((String) a[0]).endsWith((String) a[1]);
        }
    },
    LEN("len", "the length of a string or a list", Type.NUMBER,
            List.of(List.of(Type.STRING), List.of(new Type.ListOf(Type.STRING)))) {
        @Override
        Object apply(Object[] a, Context c) {
            return (double) (a[0] instanceof List<?> list ? list.size() : ((String) a[0]).length());
        }
    },
    AGE("age", "how long ago a time was, as a duration", Type.DURATION, List.of(List.of(Type.TIME))) {
        @Override
        Object apply(Object[] a, Context c) {
            return java.time.Duration.ofMillis(c.now() - ((Instant) a[0]).toEpochMilli());
        }
    };

    private final String fnName;
    private final String doc;
    private final Type result;
    private final List<List<Type>> overloads;

    Builtin(String fnName, String doc, Type result, List<List<Type>> overloads) {
        this.fnName = fnName;
        this.doc = doc;
        this.result = result;
        this.overloads = overloads;
    }

    public String fnName() { return fnName; }

    public String doc() { return doc; }

    public Type result() { return result; }

    public List<List<Type>> overloads() { return overloads; }

    /**
     * Runs the function on evaluated arguments. A missing argument (null: a field the
     * event does not carry) makes the call's result missing too, rather than an error;
     * except for a team, which is {@link TeamValue#NOBODY}: no team owns what is not there,
     * and a team is never null.
     */
    public Object call(Object[] args, Context context) {
        for (Object a : args) if (a == null) return result == Type.TEAM ? TeamValue.NOBODY : null;
        return apply(args, context);
    }

    abstract Object apply(Object[] args, Context context);

    public static Optional<Builtin> byName(String name) {
        for (Builtin b : values()) if (b.fnName.equals(name)) return Optional.of(b);
        return Optional.empty();
    }

    public static List<String> names() {
        return java.util.Arrays.stream(values()).map(Builtin::fnName).toList();
    }

    /** What a built-in may read besides its arguments: the Program's directory, its time zone, and the current (event) time. */
    public record Context(Directory directory, java.time.ZoneId zone, long now) {}
}
