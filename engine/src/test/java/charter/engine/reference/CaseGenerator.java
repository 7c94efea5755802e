package charter.engine.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random well-typed Programs over a slice of the real catalog (Sentry issues and errors, Vercel
 * deployments) and random streams aimed at the edges: events exactly at a window's bound and one
 * millisecond either side, several at one instant, same-type events, twins (same content, another
 * id), missing fields. Everything is drawn from one {@link Random}, so a seed is a case.
 */
final class CaseGenerator {
    static final long BASE = 1_775_721_600_000L;   // 2026-04-09T08:00:00Z
    static final String HEADER = """
            program "differential"
            person alice { github "alice-gh"  email "alice@example.com" }
            person bob { github "bob-gh" }
            team platform { members alice  owns project "api" }
            team frontend { members bob  owns project "web" }
            intent ship(repo: string, target: string) "Ship" {
              resolve vercel.deploy(project: intent.repo, sha: "x", target: intent.target)
            }
            """;

    /** An event type of the slice: its fields and the values each takes. */
    record Type(String name, Map<String, List<String>> fields) {}

    static final Map<String, List<String>> ISSUE = fields("issue_id", List.of("1", "2"), "project", List.of("api", "web", "etl"),
            "level", List.of("fatal", "error"), "status", List.of("unresolved", "resolved"), "title", List.of("boom", "bad"));
    static final Map<String, List<String>> ERROR = fields("issue_id", List.of("1", "2"), "project", List.of("api", "web", "etl"),
            "level", List.of("fatal", "error"), "title", List.of("boom", "bad"));
    static final Map<String, List<String>> DEPLOY = fields("deployment_id", List.of("d1", "d2"), "project", List.of("api", "web", "etl"),
            "target", List.of("production", "preview"), "url", List.of("https://a.vercel.app"));
    static final List<Type> TYPES = List.of(
            new Type("sentry.issue.created", ISSUE), new Type("sentry.issue.resolved", ISSUE),
            new Type("sentry.error.created", ERROR), new Type("vercel.deployment.error", DEPLOY),
            new Type("vercel.deployment.succeeded", DEPLOY));
    static final List<Long> WINDOWS = List.of(60_000L, 600_000L, 3_600_000L);

    private final Random random;
    private int names;

    CaseGenerator(Random random) {
        this.random = random;
    }

    private static Map<String, List<String>> fields(Object... pairs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked") List<String> values = (List<String>) pairs[i + 1];
            out.put((String) pairs[i], values);
        }
        return out;
    }

    // ---- Programs ----

    /** One to four rules and invariants, with an optional significance block. */
    List<String> declarations() {
        List<String> out = new ArrayList<>();
        if (chance(4)) out.add("significance {\n  sentry.issue.created where level == \"fatal\" => 90\n  sentry.error.created => 60\n}");
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            out.add(switch (random.nextInt(8)) {
                case 0 -> single();
                case 1, 2 -> join();
                case 3 -> absence();
                case 4 -> count();
                case 5 -> entity();
                case 6 -> guard();
                default -> state();
            });
        }
        return out;
    }

    private String single() {
        Type t = type();
        return rule("when " + pattern(t, "a", Map.of(), null), t, "a");
    }

    /** Two or three patterns, each joined to an earlier one by a window and often by a key. */
    private String join() {
        Type a = type();
        Map<String, Type> bound = new LinkedHashMap<>();
        StringBuilder when = new StringBuilder("when " + pattern(a, "a", bound, null));
        bound.put("a", a);
        int more = 1 + random.nextInt(2);
        for (int i = 0; i < more; i++) {
            String name = i == 0 ? "b" : "c";
            Type t = chance(2) ? a : type();
            String anchor = pick(new ArrayList<>(bound.keySet()));
            when.append("\n    and ").append(pattern(t, name, bound, window(anchor)));
            bound.put(name, t);
        }
        return rule(when.toString(), a, "a");
    }

    private String absence() {
        Type a = type();
        Type x = chance(2) ? a : type();
        Map<String, Type> bound = Map.of("a", a);
        String not = pattern(x, "x", bound, window("a"));
        return rule("when " + pattern(a, "a", Map.of(), null) + "\n    and not " + not, a, "a");
    }

    private String count() {
        Type t = type();
        String op = pick(List.of(">=", ">", "=="));
        int n = 1 + random.nextInt(3);
        // Often grouped by one or two keys; the actions then name the group through the newest counted event.
        List<String> keys = new ArrayList<>(t.fields().keySet().stream().filter(f -> !f.equals("title") && !f.equals("url")).toList());
        String by = "";
        if (chance(2)) {
            String k = pick(keys);
            by = " by c." + k + (chance(4) ? ", c." + pick(keys.stream().filter(f -> !f.equals(k)).toList()) : "");
        }
        String when = "when count(" + pattern(t, "c", Map.of(), null) + ")" + by + " " + op + " " + n + " within " + duration(pick(WINDOWS));
        String then = chance(2) ? "slack.post(channel: \"#c\", text: \"count at ${now}\")"
                : "slack.post(channel: \"#c\", text: \"${c.id} \" + (c.project ?? \"none\") + \" ${owner(c.project)}\")";
        return "rule r" + (names++) + " {\n  " + when + "\n  then " + then + "\n}";
    }

    private String entity() {
        boolean issue = chance(2);
        String cond = issue ? "s.status == \"" + pick(List.of("resolved", "unresolved")) + "\""
                : "s.target == \"" + pick(List.of("production", "preview")) + "\"";
        String type = issue ? "sentry_issue" : "deployment";
        return "rule r" + (names++) + " {\n  when " + type + " s where " + cond
                + "\n  then slack.post(channel: \"#e\", text: \"${s.key} ${s.project} ${owner(s.project)} ${s.occurrences}\")\n}";
    }

    private String guard() {
        List<String> parts = new ArrayList<>();
        if (chance(2)) parts.add("intent.target == \"production\"");
        int exists = random.nextInt(3);
        for (int i = 0; i < exists; i++) {
            Type t = type();
            String keyed = "x" + i + ".project == intent.repo";
            if (chance(3)) {
                String f = pick(new ArrayList<>(t.fields().keySet()));
                keyed += " and x" + i + "." + f + " != \"" + pick(t.fields().get(f)) + "\"";
            }
            // Tied: an absence (or presence) of another event for the same thing since x, nested in x's where or after it.
            String tied = null;
            if (chance(2)) {
                Type u = type();
                List<String> shared = u.fields().keySet().stream().filter(t.fields()::containsKey)
                        .filter(f -> !f.equals("title") && !f.equals("url")).toList();
                String f = shared.isEmpty() ? null : pick(shared);
                String join = f == null ? "y" + i + ".project != \"web\"" : "y" + i + "." + f + " == x" + i + "." + f;
                tied = (chance(3) ? "" : "not ") + "exists(" + u.name() + " y" + i + " where " + join + " "
                        + (chance(4) ? "within " + duration(pick(WINDOWS)) + " before intent" : window("x" + i)) + ")";
            }
            boolean nested = tied != null && chance(2);
            if (nested) keyed += " and " + tied;
            String p = "exists(" + t.name() + " x" + i + " where " + keyed + " within " + duration(pick(WINDOWS)) + " before intent)";
            parts.add(chance(2) && tied == null ? "not " + p : p);
            if (tied != null && !nested) parts.add(tied);
        }
        if (parts.isEmpty()) parts.add("intent.repo != \"api\"");
        String unless = chance(3) ? "\n  unless intent.actor in team platform" : "";
        return "invariant g" + (names++) + " \"guard\" " + pick(List.of("hard", "soft", "advisory")) + " {\n  deny ship where "
                + String.join("\n    and ", parts) + unless + "\n  because \"generated\"\n}";
    }

    private String state() {
        Type p = type();
        Type q = chance(2) ? p : type();
        String every = pattern(p, "p", Map.of(), null);
        String has = pattern(q, "q", Map.of("p", p), window("p").replace("before", "after"));
        return "invariant s" + (names++) + " \"state\" " + pick(List.of("hard", "soft", "advisory")) + " {\n  every " + every
                + "\n  has " + has + "\n  because \"generated\"\n}";
    }

    private String rule(String when, Type first, String binding) {
        String field = pick(new ArrayList<>(first.fields().keySet()));
        String action = switch (random.nextInt(4)) {
            case 0 -> "slack.post(channel: \"#c\", text: \"${" + binding + "." + field + "} of ${" + binding + ".project} at ${now}\")";
            case 1 -> "pagerduty.page(team: owner(" + binding + ".project), summary: \"${" + binding + ".title}\")";
            case 2 -> "slack.post(channel: \"#c\", text: " + binding + "." + field + " ?? " + pick(List.of("skip", "\"none\"")) + ")";
            default -> "slack.post(channel: \"#c\", text: " + binding + "." + field + ")";
        };
        // Sometimes the rule or its action waits for approval: owner(...) is evaluated on the facts that plan it.
        String header = chance(4) ? " approval by " + approvers(binding) : "";
        if (chance(4)) action += " approval by " + approvers(binding);
        return "rule r" + (names++) + header + " {\n  " + when + "\n  then " + action + "\n}";
    }

    /** One or two approvers: a person, a team, or the team that owns the bound event's project (often nobody). */
    private String approvers(String binding) {
        List<String> who = List.of("alice", "team frontend", "owner(" + binding + ".project)", "team_of(\"alice-gh\")");
        return pick(who) + (chance(3) ? ", " + pick(who) : "");
    }

    /** `T name [where …] [within D after|before anchor]`, the condition drawn over its own fields and earlier bindings. */
    private String pattern(Type t, String name, Map<String, Type> bound, String window) {
        List<String> conds = new ArrayList<>();
        for (Map.Entry<String, Type> b : bound.entrySet()) {
            List<String> shared = t.fields().keySet().stream().filter(b.getValue().fields()::containsKey)
                    .filter(f -> !f.equals("title") && !f.equals("url")).toList();
            if (!shared.isEmpty() && !chance(4)) {
                String f = pick(shared);
                conds.add(name + "." + f + " == " + b.getKey() + "." + f);
            }
        }
        int atoms = random.nextInt(3);
        for (int i = 0; i < atoms; i++) conds.add(atom(t, name));
        String where = conds.isEmpty() ? "" : " where " + String.join(chance(5) ? " or " : " and ", conds);
        return t.name() + " " + name + where + (window == null ? "" : " " + window);
    }

    private String atom(Type t, String name) {
        String f = pick(new ArrayList<>(t.fields().keySet()));
        String v = pick(t.fields().get(f));
        String ref = name + "." + f;
        return switch (random.nextInt(8)) {
            case 0 -> ref + " != \"" + v + "\"";
            case 1 -> ref + " in [\"" + v + "\", \"" + pick(t.fields().get(f)) + "\"]";
            case 2 -> "exists " + ref;
            case 3 -> "owner(" + name + ".project) == " + pick(List.of("nobody", "team platform"));
            case 4 -> name + ".significance >= " + pick(List.of("50", "60", "70"));
            case 5 -> "not (" + ref + " == \"" + v + "\")";
            default -> ref + " == \"" + v + "\"";
        };
    }

    private String window(String anchor) {
        return "within " + duration(pick(WINDOWS)) + " " + (chance(3) ? "before" : "after") + " " + anchor;
    }

    private static String duration(long millis) {
        return millis % 3_600_000 == 0 ? millis / 3_600_000 + "h" : millis / 60_000 + "m";
    }

    // ---- streams ----

    /** Events at steps drawn from the windows' edges, with twins and missing fields; intents among them. */
    DiffCase stream(List<String> declarations, int maxEvents) {
        List<DiffCase.Event> events = new ArrayList<>();
        long t = BASE;
        int n = random.nextInt(maxEvents + 1);
        for (int i = 0; i < n; i++) {
            t += step();
            if (!events.isEmpty() && chance(8)) {
                DiffCase.Event twin = pick(events);
                events.add(new DiffCase.Event("e" + i, twin.type(), twin.time(), twin.data(), twin.entities()));
                continue;
            }
            Type type = chance(3) && !events.isEmpty() ? typeOf(pick(events).type()) : type();
            Map<String, Object> data = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> f : type.fields().entrySet()) {
                if (chance(10)) continue;   // a missing field
                data.put(f.getKey(), pick(f.getValue()));
            }
            List<Map<String, String>> entities = new ArrayList<>();
            Object key = data.get(type.name().startsWith("sentry") ? "issue_id" : "deployment_id");
            if (key != null && !type.name().equals("sentry.error.created")) {
                entities.add(Map.of("type", type.name().startsWith("sentry") ? "sentry_issue" : "deployment", "key", (String) key));
            }
            events.add(new DiffCase.Event("e" + i, type.name(), t, data, entities));
        }
        List<DiffCase.Intent> intents = new ArrayList<>();
        int m = random.nextInt(4);
        for (int i = 0; i < m; i++) {
            long at = events.isEmpty() ? BASE : pick(events).time() + step() * (chance(2) ? 1 : 0);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("repo", pick(List.of("api", "web", "etl")));
            params.put("target", pick(List.of("production", "preview")));
            intents.add(new DiffCase.Intent("i" + i, pick(List.of("alice-gh", "bob-gh", "zed")), at, params, chance(3)));
        }
        return new DiffCase(HEADER, declarations, events, intents);
    }

    /** 0, 1 ms, or a window's length give or take 1 ms, or anything up to the longest window. */
    private long step() {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> pick(WINDOWS);
            case 3 -> pick(WINDOWS) - 1;
            case 4 -> pick(WINDOWS) + 1;
            default -> random.nextLong(3_600_000);
        };
    }

    private Type type() {
        return pick(TYPES);
    }

    private static Type typeOf(String name) {
        return TYPES.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private boolean chance(int oneIn) {
        return random.nextInt(oneIn) == 0;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
