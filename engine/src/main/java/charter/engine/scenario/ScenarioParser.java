package charter.engine.scenario;

import charter.compiler.CompiledProgram;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Suggestions;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileError;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one scenario file against a compiled Program. Events go through the
 * {@link EventFileReader}'s catalog validation and intents through
 * {@link IntentFileReader#request}, so a scenario accepts exactly what `charter simulate`
 * accepts. Every problem is collected with its line and column (from SnakeYAML's marks);
 * a scenario with any problem is not run.
 */
final class ScenarioParser {
    static final List<String> TOP_KEYS = List.of("name", "description", "events", "intents", "until", "expect");
    static final List<String> EXPECT_KEYS = List.of("actions", "decisions", "violations", "skipped");
    static final List<String> SKIP_KEYS = List.of("rule", "intent", "tool", "at", "reason");
    static final List<String> ACTION_KEYS = List.of("rule", "intent", "tool", "args", "matches", "at");
    static final List<String> DECISION_KEYS = List.of("intent", "verdict", "invariants", "overridden");
    static final List<String> VIOLATION_KEYS = List.of("invariant", "at", "events");
    static final List<String> VERDICTS = List.of("allow", "deny", "needs-override");
    private static final Pattern QUOTED = Pattern.compile("['`]([A-Za-z0-9_.\\-]+)['`]");

    private final CompiledProgram program;
    private final Catalog catalog;
    private final EventFileReader eventReader;
    private final IntentFileReader intentReader;
    private final ObjectMapper json = new ObjectMapper();

    ScenarioParser(CompiledProgram program, Catalog catalog) {
        this.program = program;
        this.catalog = catalog;
        this.eventReader = new EventFileReader(catalog);
        this.intentReader = new IntentFileReader(program);
    }

    /** The scenario, or null with the problems added to {@code errors}. */
    Scenario parse(String file, String text, List<ScenarioError> errors) {
        Problems p = new Problems(file);
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(50);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            errors.add(new ScenarioError(file, mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1,
                    "invalid YAML: " + what + context));
            return null;
        } catch (YAMLException e) {
            errors.add(new ScenarioError(file, 1, 1, "invalid YAML: " + e.getMessage()));
            return null;
        }
        if (root == null) {
            errors.add(new ScenarioError(file, 1, 1, "the scenario is empty; it needs at least `name`, `events` or `intents`, and `expect`"));
            return null;
        }
        if (!(root instanceof MappingNode top)) {
            p.at(root, "a scenario is a mapping with keys " + String.join(", ", TOP_KEYS));
            errors.addAll(p.list);
            return null;
        }
        Map<String, NodeTuple> keys = keys(top, TOP_KEYS, "a scenario", p);
        String name = keys.containsKey("name") ? string(keys.get("name").getValueNode(), "name", p) : null;
        if (name == null && !keys.containsKey("name")) p.at(top, "missing `name`: say in one line what the scenario shows");
        String description = keys.containsKey("description") ? string(keys.get("description").getValueNode(), "description", p) : null;
        Instant until = keys.containsKey("until") ? time(keys.get("until").getValueNode(), "until", p) : null;

        List<CanonicalEvent> events = keys.containsKey("events") ? events(keys.get("events").getValueNode(), until, p) : List.of();
        Set<String> eventIds = new HashSet<>();
        events.forEach(e -> eventIds.add(e.id()));
        List<IntentRequest> intents = keys.containsKey("intents") ? intents(keys.get("intents").getValueNode(), until, p) : List.of();
        Set<String> intentIds = new TreeSet<>();
        intents.forEach(i -> intentIds.add(i.id()));

        List<Scenario.ExpectedAction> actions = null;
        List<Scenario.ExpectedDecision> decisions = null;
        List<Scenario.ExpectedViolation> violations = null;
        List<Scenario.ExpectedSkip> skipped = null;
        if (!keys.containsKey("expect")) {
            p.at(top, "missing `expect`: a scenario must say what should happen (`expect: {actions: []}` for nothing)");
        } else {
            Node expect = keys.get("expect").getValueNode();
            if (!(expect instanceof MappingNode em)) {
                p.at(expect, "`expect` must be a mapping with keys " + String.join(", ", EXPECT_KEYS));
            } else {
                Map<String, NodeTuple> ek = keys(em, EXPECT_KEYS, "`expect`", p);
                if (ek.containsKey("actions")) actions = expectedActions(ek.get("actions").getValueNode(), intentIds, p);
                if (ek.containsKey("decisions")) decisions = expectedDecisions(ek.get("decisions").getValueNode(), intentIds, p);
                if (ek.containsKey("violations")) violations = expectedViolations(ek.get("violations").getValueNode(), eventIds, intentIds, p);
                if (ek.containsKey("skipped")) skipped = expectedSkips(ek.get("skipped").getValueNode(), intentIds, p);
            }
        }
        if (!p.list.isEmpty()) {
            errors.addAll(p.list);
            return null;
        }
        return new Scenario(file, name, description, events, intents, until, actions, decisions, violations, skipped);
    }

    // ---- events and intents, through the readers `charter simulate` uses

    private List<CanonicalEvent> events(Node node, Instant until, Problems p) {
        List<MappingNode> items = mappings(node, "events", "an event such as {id: e1, type: vercel.deployment.error, time: \"…\", data: {…}}", p);
        StringBuilder lines = new StringBuilder();
        for (MappingNode item : items) {
            Object value = plain(item);
            if (value instanceof Map<?, ?> map && !map.containsKey("source") && map.get("type") instanceof String type && type.contains(".")) {
                @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) map;
                Map<String, Object> withSource = new LinkedHashMap<>();
                m.forEach((k, v) -> {
                    withSource.put(k, v);
                    if (k.equals("id")) withSource.put("source", type.substring(0, type.indexOf('.')));
                });
                withSource.putIfAbsent("source", type.substring(0, type.indexOf('.')));
                value = withSource;
            }
            try {
                lines.append(json.writeValueAsString(value)).append('\n');
            } catch (JsonProcessingException e) {
                p.at(item, "cannot read this event: " + e.getOriginalMessage());
                lines.append("{}\n");
            }
        }
        EventFileResult read = eventReader.read(p.file, lines.toString());
        for (EventFileError err : read.errors()) {
            int index = err.line() - 1;
            MappingNode item = index >= 0 && index < items.size() ? items.get(index) : null;
            String id = item == null ? null : scalarOf(item, "id");
            p.at(item == null ? node : locate(item, err.message()), (id == null ? "event" : "event " + id) + ": " + err.message());
        }
        List<CanonicalEvent> events = read.events();
        if (until != null) {
            for (int i = 0; i < events.size(); i++) {
                CanonicalEvent e = events.get(i);
                if (e.time().isAfter(until)) {
                    p.at(locateKey(items, e.id(), "time"), "event " + e.id() + " at " + e.time() + " is after `until` (" + until + ") and would never be seen");
                }
            }
        }
        return events;
    }

    private List<IntentRequest> intents(Node node, Instant until, Problems p) {
        List<MappingNode> items = mappings(node, "intents", "an intent such as {id: i1, intent: ship, actor: carolw, time: \"…\", params: {…}}", p);
        List<IntentRequest> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (MappingNode item : items) {
            JsonNode tree = json.valueToTree(plain(item));
            List<String> problems = new ArrayList<>();
            IntentRequest request = intentReader.request(tree, problems);
            for (String problem : problems) {
                String id = scalarOf(item, "id");
                p.at(locate(item, problem), (id == null ? "intent" : "intent " + id) + ": " + problem);
            }
            if (request == null || !problems.isEmpty()) continue;
            if (!ids.add(request.id())) p.at(item, "duplicate intent id `" + request.id() + "`");
            else if (until != null && request.time().isAfter(until)) {
                p.at(item, "intent " + request.id() + " at " + request.time() + " is after `until` (" + until + ") and would never be decided");
            } else out.add(request);
        }
        return out;
    }

    // ---- expectations

    private List<Scenario.ExpectedAction> expectedActions(Node node, Set<String> intentIds, Problems p) {
        List<Scenario.ExpectedAction> out = new ArrayList<>();
        Set<String> rules = new TreeSet<>();
        program.rules().forEach(r -> rules.add(r.id()));
        Set<String> tools = new TreeSet<>();
        catalog.tools().forEach(t -> tools.add(t.name()));
        for (MappingNode item : mappings(node, "expect.actions", "an action such as {rule: page_on_failed_prod_deploy, tool: slack.post, args: {channel: \"#incidents\"}}", p)) {
            Map<String, NodeTuple> k = keys(item, ACTION_KEYS, "an expected action", p);
            String rule = k.containsKey("rule") ? known(k.get("rule").getValueNode(), "rule", rules, p) : null;
            String intent = k.containsKey("intent") ? known(k.get("intent").getValueNode(), "intent (a scenario intent id)", intentIds, p) : null;
            if (rule != null && intent != null) p.at(item, "an action is planned by a rule or by an intent, not both");
            String tool = null;
            if (!k.containsKey("tool")) p.at(item, "an expected action needs `tool`, such as slack.post");
            else tool = known(k.get("tool").getValueNode(), "tool", tools, p);
            Map<String, Object> args = new LinkedHashMap<>();
            if (k.containsKey("args")) {
                Node a = k.get("args").getValueNode();
                if (plain(a) instanceof Map<?, ?> m) m.forEach((key, v) -> args.put(String.valueOf(key), v));
                else p.at(a, "`args` must be a mapping of argument name to value");
            }
            Map<String, Pattern> matches = new LinkedHashMap<>();
            if (k.containsKey("matches")) {
                Node m = k.get("matches").getValueNode();
                if (m instanceof MappingNode mm) {
                    for (NodeTuple t : mm.getValue()) {
                        String key = scalar(t.getKeyNode());
                        String regex = t.getValueNode() instanceof ScalarNode s ? s.getValue() : null;
                        if (regex == null) {
                            p.at(t.getValueNode(), "`matches." + key + "` must be a regular expression");
                            continue;
                        }
                        try {
                            matches.put(key, Pattern.compile(regex));
                        } catch (PatternSyntaxException e) {
                            p.at(t.getValueNode(), "`matches." + key + "` is not a valid regular expression: " + e.getDescription());
                        }
                    }
                } else p.at(m, "`matches` must be a mapping of argument name to regular expression");
            }
            Instant at = k.containsKey("at") ? time(k.get("at").getValueNode(), "at", p) : null;
            out.add(new Scenario.ExpectedAction(line(item), rule, intent, tool, args, matches, at));
        }
        return out;
    }

    private List<Scenario.ExpectedDecision> expectedDecisions(Node node, Set<String> intentIds, Problems p) {
        List<Scenario.ExpectedDecision> out = new ArrayList<>();
        Set<String> guards = new TreeSet<>();
        program.guards().forEach(g -> guards.add(g.id()));
        for (MappingNode item : mappings(node, "expect.decisions", "a decision such as {intent: i1, verdict: deny, invariants: [no_friday_prod_deploys]}", p)) {
            Map<String, NodeTuple> k = keys(item, DECISION_KEYS, "an expected decision", p);
            String intent = null;
            if (!k.containsKey("intent")) p.at(item, "an expected decision needs `intent`: the id of one of the scenario's intents");
            else intent = known(k.get("intent").getValueNode(), "intent (a scenario intent id)", intentIds, p);
            String verdict = null;
            if (!k.containsKey("verdict")) p.at(item, "an expected decision needs `verdict`: " + String.join(", ", VERDICTS));
            else verdict = known(k.get("verdict").getValueNode(), "verdict", VERDICTS, p);
            List<String> invariants = null;
            if (k.containsKey("invariants")) invariants = knownList(k.get("invariants").getValueNode(), "invariants", "intent guard (deny invariant)", guards, p);
            Boolean overridden = null;
            if (k.containsKey("overridden")) {
                Node o = k.get("overridden").getValueNode();
                if (plain(o) instanceof Boolean b) overridden = b;
                else p.at(o, "`overridden` must be true or false");
            }
            out.add(new Scenario.ExpectedDecision(line(item), intent, verdict, invariants, overridden));
        }
        return out;
    }

    private List<Scenario.ExpectedSkip> expectedSkips(Node node, Set<String> intentIds, Problems p) {
        List<Scenario.ExpectedSkip> out = new ArrayList<>();
        Set<String> rules = new TreeSet<>();
        program.rules().forEach(r -> rules.add(r.id()));
        Set<String> tools = new TreeSet<>();
        catalog.tools().forEach(t -> tools.add(t.name()));
        for (MappingNode item : mappings(node, "expect.skipped", "a skipped action such as {rule: failed_prod_deploy, tool: slack.post, reason: \"`d.url` is missing (argument `text`)\"}", p)) {
            Map<String, NodeTuple> k = keys(item, SKIP_KEYS, "an expected skipped action", p);
            String rule = k.containsKey("rule") ? known(k.get("rule").getValueNode(), "rule", rules, p) : null;
            String intent = k.containsKey("intent") ? known(k.get("intent").getValueNode(), "intent (a scenario intent id)", intentIds, p) : null;
            if (rule != null && intent != null) p.at(item, "an action is planned by a rule or by an intent, not both");
            String tool = null;
            if (!k.containsKey("tool")) p.at(item, "an expected skipped action needs `tool`, such as slack.post");
            else tool = known(k.get("tool").getValueNode(), "tool", tools, p);
            Instant at = k.containsKey("at") ? time(k.get("at").getValueNode(), "at", p) : null;
            String reason = null;
            if (k.containsKey("reason")) {
                if (k.get("reason").getValueNode() instanceof ScalarNode s) reason = s.getValue();
                else p.at(k.get("reason").getValueNode(), "`reason` must be text, such as \"`d.url` is missing (argument `text`)\"");
            }
            out.add(new Scenario.ExpectedSkip(line(item), rule, intent, tool, at, reason));
        }
        return out;
    }

    private List<Scenario.ExpectedViolation> expectedViolations(Node node, Set<String> eventIds, Set<String> intentIds, Problems p) {
        List<Scenario.ExpectedViolation> out = new ArrayList<>();
        Set<String> states = new TreeSet<>();
        program.stateInvariants().forEach(s -> states.add(s.id()));
        Set<String> factIds = new TreeSet<>(eventIds);
        factIds.addAll(intentIds);
        for (MappingNode item : mappings(node, "expect.violations", "a violation such as {invariant: fatal_issue_assigned_within_15m, at: \"…\"}", p)) {
            Map<String, NodeTuple> k = keys(item, VIOLATION_KEYS, "an expected violation", p);
            String invariant = null;
            if (!k.containsKey("invariant")) p.at(item, "an expected violation needs `invariant`");
            else invariant = known(k.get("invariant").getValueNode(), "state invariant", states, p);
            Instant at = k.containsKey("at") ? time(k.get("at").getValueNode(), "at", p) : null;
            List<String> events = k.containsKey("events") ? knownList(k.get("events").getValueNode(), "events", "event id", factIds, p) : null;
            out.add(new Scenario.ExpectedViolation(line(item), invariant, at, events));
        }
        return out;
    }

    // ---- YAML helpers

    /** The keys of a mapping, reporting unknown and repeated keys. */
    private static Map<String, NodeTuple> keys(MappingNode node, List<String> allowed, String what, Problems p) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            String key = scalar(t.getKeyNode());
            if (key == null) {
                p.at(t.getKeyNode(), "keys must be plain names");
            } else if (!allowed.contains(key)) {
                p.at(t.getKeyNode(), "unknown key `" + key + "` in " + what + hint(key, allowed) + " (known: " + String.join(", ", allowed) + ")");
            } else if (out.putIfAbsent(key, t) != null) {
                p.at(t.getKeyNode(), "`" + key + "` is given twice");
            }
        }
        return out;
    }

    private static List<MappingNode> mappings(Node node, String key, String example, Problems p) {
        List<MappingNode> out = new ArrayList<>();
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) return out;
        if (!(node instanceof SequenceNode seq)) {
            p.at(node, "`" + key + "` must be a list");
            return out;
        }
        for (Node item : seq.getValue()) {
            if (item instanceof MappingNode m) out.add(m);
            else p.at(item, "each entry of `" + key + "` must be a mapping: " + example);
        }
        return out;
    }

    private static String known(Node node, String what, Collection<String> known, Problems p) {
        String value = node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) ? s.getValue() : null;
        if (value == null || value.isBlank()) {
            p.at(node, "`" + what + "` must be a name");
            return null;
        }
        if (!known.contains(value)) {
            p.at(node, "unknown " + what + " `" + value + "`" + hint(value, known));
            return null;
        }
        return value;
    }

    private static List<String> knownList(Node node, String key, String what, Collection<String> known, Problems p) {
        if (!(node instanceof SequenceNode seq)) {
            p.at(node, "`" + key + "` must be a list, such as [a, b] (or [] for none)");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String v = known(item, what, known, p);
            if (v != null) out.add(v);
        }
        return out;
    }

    private static String string(Node node, String key, Problems p) {
        if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isBlank()) return s.getValue();
        p.at(node, "`" + key + "` must be a non-empty string");
        return null;
    }

    /** ISO-8601 with a zone offset; unquoted YAML timestamps are read as their text. */
    static Instant time(Node node, String key, Problems p) {
        String text = node instanceof ScalarNode s ? s.getValue() : null;
        if (text == null || text.isBlank()) {
            p.at(node, "`" + key + "` must be a time such as \"2026-03-06T16:36:00Z\"");
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            p.at(node, "`" + key + "` \"" + text + "\" is not an ISO-8601 time with a zone, such as 2026-03-06T16:36:00Z");
            return null;
        }
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    private static String scalarOf(MappingNode node, String key) {
        for (NodeTuple t : node.getValue()) {
            if (key.equals(scalar(t.getKeyNode())) && t.getValueNode() instanceof ScalarNode s) return s.getValue();
        }
        return null;
    }

    /** The node a reader's message is about: the key it quotes ('x' or `x`), searched one level deep, else the item. */
    private static Node locate(MappingNode item, String message) {
        Matcher m = QUOTED.matcher(message);
        while (m.find()) {
            Node found = findKey(item, m.group(1), 2);
            if (found != null) return found;
        }
        return item;
    }

    private static Node findKey(MappingNode node, String key, int depth) {
        for (NodeTuple t : node.getValue()) {
            if (key.equals(scalar(t.getKeyNode()))) return t.getKeyNode();
        }
        if (depth > 1) {
            for (NodeTuple t : node.getValue()) {
                if (t.getValueNode() instanceof MappingNode inner) {
                    Node found = findKey(inner, key, depth - 1);
                    if (found != null) return found;
                }
            }
        }
        return null;
    }

    private static Node locateKey(List<MappingNode> items, String id, String key) {
        for (MappingNode item : items) {
            if (id.equals(scalarOf(item, "id"))) {
                Node found = findKey(item, key, 1);
                return found != null ? found : item;
            }
        }
        return items.isEmpty() ? null : items.getFirst();
    }

    /** A YAML node as plain Java data: Map, List, String, Long, Double, Boolean or null. */
    static Object plain(Node node) {
        return switch (node) {
            case MappingNode m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) out.put(String.valueOf(plainKey(t.getKeyNode())), plain(t.getValueNode()));
                yield out;
            }
            case SequenceNode s -> {
                List<Object> out = new ArrayList<>();
                for (Node n : s.getValue()) out.add(plain(n));
                yield out;
            }
            case ScalarNode s -> scalarValue(s);
            default -> null;
        };
    }

    private static Object plainKey(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : String.valueOf(plain(node));
    }

    private static Object scalarValue(ScalarNode s) {
        String v = s.getValue();
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) return null;
        if (tag.equals(Tag.BOOL)) {
            String l = v.toLowerCase(Locale.ROOT);
            return l.equals("true") || l.equals("yes") || l.equals("on");
        }
        try {
            if (tag.equals(Tag.INT)) return Long.parseLong(v.replace("_", ""));
            if (tag.equals(Tag.FLOAT)) return Double.parseDouble(v.replace("_", ""));
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static String hint(String value, Collection<String> known) {
        return Suggestions.closest(value, known).map(s -> "; did you mean `" + s + "`?").orElse("");
    }

    /** Problems of one file, each at a node's start. */
    static final class Problems {
        final String file;
        final List<ScenarioError> list = new ArrayList<>();

        Problems(String file) {
            this.file = file;
        }

        void at(Node node, String message) {
            Mark mark = node == null ? null : node.getStartMark();
            list.add(new ScenarioError(file, mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1, message));
        }
    }
}
