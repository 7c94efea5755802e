package charter.bench;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EventTypeSpec;
import charter.compiler.catalog.FieldSpec;
import charter.compiler.catalog.FieldType;
import charter.compiler.load.ProgramFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic generator of large, varied Programs over the catalog's event types, for
 * compile-time benchmarks. Out of every 20 rules: 11 single patterns with `where` conditions
 * (one to three conjuncts over string, number and bool fields), 4 joins `within … after`
 * correlated on a shared field, 3 absences `not … within … after`, 2 counts `>= N within …`.
 * Every rule plans one or two actions with interpolated text, like a real Program.
 */
public final class SyntheticPrograms {
    private static final String[] WORDS = {"production", "preview", "main", "fatal", "error", "warning",
            "acme/api", "acme/web", "acme/infra", "api", "web", "ENG", "WEB", "closed", "open", "success", "failure"};
    private static final long[] WINDOW_MINUTES = {5, 10, 15, 30, 60, 120};

    private final Catalog catalog;
    private final List<EventTypeSpec> types;

    public SyntheticPrograms(Catalog catalog) {
        this.catalog = catalog;
        this.types = catalog.eventTypes().stream()
                .filter(t -> !stringFields(t).isEmpty())
                .sorted(Comparator.comparing(EventTypeSpec::name))
                .toList();
    }

    /** A Program folder of `rules` rules, in one file, generated from `seed`. */
    public ProgramFiles generate(int rules, long seed) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("charter.yaml", ("name: synthetic" + rules + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("main.charter", text(rules, seed).getBytes(StandardCharsets.UTF_8));
        return new ProgramFiles("synthetic" + rules, files);
    }

    /** The Program text. */
    public String text(int rules, long seed) {
        Random rnd = new Random(seed);
        StringBuilder b = new StringBuilder();
        b.append("program \"synthetic").append(rules).append("\"\n\n");
        b.append("person alice { github \"alice-chen\" }\nperson bob { github \"bob-k\" }\n");
        b.append("team platform { members alice, bob  owns project \"api\", repo \"acme/api\" }\n\n");
        for (int i = 0; i < rules; i++) {
            int kind = i % 20;
            String name = "r" + i;
            if (kind < 11) single(b, name, rnd);
            else if (kind < 15) join(b, name, rnd, false);
            else if (kind < 18) join(b, name, rnd, true);
            else count(b, name, rnd);
            b.append('\n');
        }
        return b.toString();
    }

    private void single(StringBuilder b, String name, Random rnd) {
        EventTypeSpec t = pick(types, rnd);
        b.append("rule ").append(name).append(" \"Synthetic single ").append(name).append("\" {\n");
        b.append("  when ").append(t.name()).append(" e where ").append(where(t, "e", rnd, 1 + rnd.nextInt(3))).append('\n');
        b.append("  then ").append(action(t, "e", rnd)).append('\n');
        if (rnd.nextBoolean()) b.append("       ").append(action(t, "e", rnd)).append('\n');
        b.append("}\n");
    }

    private void join(StringBuilder b, String name, Random rnd, boolean absent) {
        EventTypeSpec a = pick(types, rnd);
        List<EventTypeSpec> partners = types.stream().filter(t -> !shared(a, t).isEmpty()).toList();
        EventTypeSpec c = pick(partners, rnd);
        String key = pick(shared(a, c), rnd);
        long window = WINDOW_MINUTES[rnd.nextInt(WINDOW_MINUTES.length)];
        b.append("rule ").append(name).append(" \"Synthetic ").append(absent ? "absence " : "join ").append(name).append("\" {\n");
        b.append("  when ").append(a.name()).append(" a where ").append(where(a, "a", rnd, 1)).append('\n');
        b.append("   and ").append(absent ? "not " : "").append(c.name()).append(" b where b.").append(key).append(" == a.").append(key);
        if (rnd.nextInt(3) == 0) b.append(" and ").append(where(c, "b", rnd, 1));
        b.append(" within ").append(window).append("m after a\n");
        b.append("  then ").append(action(a, "a", rnd)).append('\n');
        b.append("}\n");
    }

    private void count(StringBuilder b, String name, Random rnd) {
        EventTypeSpec t = pick(types, rnd);
        long window = WINDOW_MINUTES[rnd.nextInt(WINDOW_MINUTES.length)];
        b.append("rule ").append(name).append(" \"Synthetic count ").append(name).append("\" {\n");
        b.append("  when count(").append(t.name()).append(" e where ").append(where(t, "e", rnd, 1)).append(") >= ")
                .append(2 + rnd.nextInt(4)).append(" within ").append(window).append("m\n");
        b.append("  then slack.post(channel: \"#alerts\", text: \"").append(name).append(": burst of ").append(t.name()).append("\")\n");
        b.append("}\n");
    }

    /** `n` conjuncts over the type's fields. */
    private String where(EventTypeSpec t, String v, Random rnd, int n) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FieldSpec f = pick(t.dataFields().values().stream().sorted(Comparator.comparing(FieldSpec::name)).toList(), rnd);
            parts.add(switch (f.type()) {
                case NUMBER -> v + "." + f.name() + (rnd.nextBoolean() ? " > " : " <= ") + rnd.nextInt(500);
                case BOOL -> v + "." + f.name() + " == " + rnd.nextBoolean();
                case LIST_STRING -> quote(pick(WORDS, rnd)) + " in " + v + "." + f.name();
                case STRING -> rnd.nextInt(4) == 0
                        ? v + "." + f.name() + " in [" + quote(pick(WORDS, rnd)) + ", " + quote(pick(WORDS, rnd)) + "]"
                        : v + "." + f.name() + (rnd.nextInt(5) == 0 ? " != " : " == ") + quote(pick(WORDS, rnd));
                default -> v + ".significance >= " + rnd.nextInt(100);
            });
        }
        return String.join(" and ", parts);
    }

    private String action(EventTypeSpec t, String v, Random rnd) {
        String field = pick(stringFields(t), rnd);
        return switch (rnd.nextInt(3)) {
            case 0 -> "slack.post(channel: \"#eng\", text: \"" + t.name() + " on ${" + v + "." + field + "}\")";
            case 1 -> "linear.create_issue(team: team platform, title: \"Check ${" + v + "." + field + "}\", priority: 2)";
            default -> "pagerduty.page(team: team platform, summary: \"" + t.localName() + ": ${" + v + "." + field + "}\")";
        };
    }

    private static List<String> stringFields(EventTypeSpec t) {
        return t.dataFields().values().stream().filter(f -> f.type() == FieldType.STRING).map(FieldSpec::name).sorted().toList();
    }

    private static List<String> shared(EventTypeSpec a, EventTypeSpec b) {
        return stringFields(a).stream().filter(stringFields(b)::contains).toList();
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static <T> T pick(List<T> list, Random rnd) {
        return list.get(rnd.nextInt(list.size()));
    }

    private static <T> T pick(T[] array, Random rnd) {
        return array[rnd.nextInt(array.length)];
    }
}
