package charter.engine.scenario;

import charter.compiler.CompiledProgram;
import charter.compiler.catalog.Catalog;
import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.Simulator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a Program's scenarios (`scenarios/*.yaml` in the Program folder, in file-name
 * order): each is a dry run on the pseudo clock, then its expectations are compared
 * with what the Program did. A malformed scenario is reported as a {@link ScenarioError}
 * with its file and line and the others still run. Used by `charter test`.
 *
 * <p>Scenario format:
 * <pre>
 * name: Failed production deploy pages the owner
 * description: …                       # optional
 * events:                              # canonical events, validated against the catalog;
 *   - {id: e1, type: vercel.deployment.error, time: "2026-03-06T16:36:00Z", data: {…}}   # `source` may be left out
 * intents:                             # as in an intents JSONL file
 *   - {id: i1, intent: ship, actor: carolw, time: "…", params: {…}, reason: "…", override: {actor: alice, reason: "…"}}
 * until: "2026-03-06T18:00:00Z"        # optional: run the clock to here, so deadlines are reported
 * expect:                              # each list present is exact; a list left out is not checked
 *   actions:                           # each entry matches one planned action; args are a subset match
 *     - {rule: page_on_failed_prod_deploy, tool: slack.post, args: {channel: "#incidents"}, matches: {text: "api"}, at: "…"}
 *     - {intent: i1, tool: vercel.deploy}          # an action resolved from an allowed intent
 *   decisions:
 *     - {intent: i1, verdict: deny, invariants: [no_friday_prod_deploys], overridden: false}
 *   violations:
 *     - {invariant: fatal_issue_assigned_within_15m, at: "…", events: [e1]}
 *   skipped:                           # actions not planned because of `x ?? skip`
 *     - {rule: failed_prod_deploy, tool: slack.post, reason: "`d.url` is missing (argument `text`)", at: "…"}
 * </pre>
 */
public final class ScenarioRunner {
    public static final String FOLDER = "scenarios";

    private final CompiledProgram program;
    private final Catalog catalog;

    public ScenarioRunner(CompiledProgram program) {
        this(program, Catalog.standard());
    }

    public ScenarioRunner(CompiledProgram program, Catalog catalog) {
        this.program = Objects.requireNonNull(program, "program");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** Runs every `scenarios/*.yaml` (and `.yml`) of the Program folder; no folder means no scenarios. */
    public TestReport run(Path programDir) {
        List<ScenarioOutcome> outcomes = new ArrayList<>();
        List<ScenarioError> errors = new ArrayList<>();
        Path folder = programDir.resolve(FOLDER);
        List<Path> files = List.of();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> list = Files.list(folder)) {
                files = list.filter(f -> Files.isRegularFile(f))
                        .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                        .sorted().toList();
            } catch (IOException e) {
                errors.add(new ScenarioError(FOLDER, 0, 0, "cannot list scenarios: " + e.getMessage()));
            }
        }
        ScenarioParser parser = new ScenarioParser(program, catalog);
        Path realRoot = realPath(programDir);
        for (Path f : files) {
            String name = FOLDER + "/" + f.getFileName();
            if (realRoot == null || !charter.compiler.load.ProgramFolder.staysInside(realRoot, f)) {
                // Named, never read, as the Program's own files: a link must not carry a file from elsewhere in.
                errors.add(new ScenarioError(name, 1, 1, "a symbolic link that leads outside the Program folder; a scenario"
                        + " must be a file of the folder"));
                continue;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(Files.readAllBytes(f))).toString();
            } catch (CharacterCodingException e) {
                errors.add(new ScenarioError(name, 1, 1, "the file is not valid UTF-8"));
                continue;
            } catch (IOException e) {
                errors.add(new ScenarioError(name, 0, 0, "cannot read: " + e.getMessage()));
                continue;
            }
            ScenarioOutcome outcome = run(name, text, errors);
            if (outcome != null) outcomes.add(outcome);
        }
        return new TestReport(program.name(), program.version(), outcomes, errors);
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs one scenario given as text; null (with {@code errors} added to) when it is malformed. */
    public ScenarioOutcome run(String file, String text, List<ScenarioError> errors) {
        Scenario s = new ScenarioParser(program, catalog).parse(file, text.startsWith("\uFEFF") ? text.substring(1) : text, errors);
        if (s == null) return null;
        SimulationResult result;
        try {
            result = new Simulator().run(program, s.events(), s.intents(), s.until());
        } catch (RuntimeException e) {
            // A failure of the engine itself is reported against the scenario, not thrown at the caller.
            errors.add(new ScenarioError(file, 0, 0, "the simulation failed: " + e));
            return null;
        }
        List<String> differences = differences(s, result);
        return new ScenarioOutcome(file, s.name(), differences.isEmpty(), differences, result, s.events(), s.intents());
    }

    // ---- comparing

    static List<String> differences(Scenario s, SimulationResult r) {
        List<String> out = new ArrayList<>();
        for (TimelineEntry.RuleError e : r.errors()) {
            out.add("rule error at " + e.time() + " in " + e.provenance().id() + ": " + e.message());
        }
        if (s.actions() != null) {
            List<TimelineEntry.PlannedAction> left = new ArrayList<>(r.actions());
            for (Scenario.ExpectedAction x : s.actions()) {
                TimelineEntry.PlannedAction hit = left.stream().filter(a -> matches(x, a)).findFirst().orElse(null);
                if (hit != null) left.remove(hit);
                else out.add("missing action: " + describe(x) + " (line " + x.line() + ")");
            }
            for (TimelineEntry.PlannedAction a : left) out.add("unexpected action: " + describe(a));
        }
        if (s.decisions() != null) {
            List<TimelineEntry.Decision> left = new ArrayList<>(r.decisions());
            for (Scenario.ExpectedDecision x : s.decisions()) {
                TimelineEntry.Decision d = left.stream().filter(a -> a.intentId().equals(x.intent())).findFirst().orElse(null);
                if (d == null) {
                    out.add("decision " + x.intent() + ": expected " + x.verdict() + ", but the intent was not decided (line " + x.line() + ")");
                    continue;
                }
                left.remove(d);
                if (!d.verdict().label().equals(x.verdict())) {
                    out.add("decision " + x.intent() + ": expected " + x.verdict() + ", got " + d.verdict().label() + " (denied by: " + deniedBy(d) + ")");
                }
                if (x.invariants() != null) {
                    var want = new TreeSet<>(x.invariants());
                    var got = d.denials().stream().map(TimelineEntry.Denial::invariant).collect(Collectors.toCollection(TreeSet::new));
                    if (!want.equals(got)) {
                        out.add("decision " + x.intent() + ": expected denials by " + list(want) + ", got " + list(got) + " (denied by: " + deniedBy(d) + ")");
                    }
                }
                if (x.overridden() != null && x.overridden() != (d.override() != null)) {
                    out.add("decision " + x.intent() + ": expected " + (x.overridden() ? "an override" : "no override") + ", got "
                            + (d.override() == null ? "none" : "an override by " + d.override().actor()));
                }
            }
            for (TimelineEntry.Decision d : left) {
                out.add("unexpected decision " + d.intentId() + ": " + d.verdict().label() + " (denied by: " + deniedBy(d) + ")");
            }
        }
        if (s.skipped() != null) {
            List<TimelineEntry.SkippedAction> left = new ArrayList<>(r.skipped());
            for (Scenario.ExpectedSkip x : s.skipped()) {
                TimelineEntry.SkippedAction hit = left.stream().filter(k -> matches(x, k)).findFirst().orElse(null);
                if (hit != null) left.remove(hit);
                else out.add("missing skipped action: " + (x.rule() != null ? "rule " + x.rule() : x.intent() != null ? "intent " + x.intent() : "")
                        + " " + x.tool() + (x.reason() == null ? "" : " (" + x.reason() + ")") + " (line " + x.line() + ")");
            }
            for (TimelineEntry.SkippedAction k : left) {
                out.add("unexpected skipped action: " + k.provenance().id() + " " + k.tool() + " at " + k.time() + ": " + k.reason());
            }
        }
        if (s.violations() != null) {
            List<TimelineEntry.Violation> left = new ArrayList<>(r.violations());
            for (Scenario.ExpectedViolation x : s.violations()) {
                TimelineEntry.Violation hit = left.stream().filter(v -> matches(x, v)).findFirst().orElse(null);
                if (hit != null) left.remove(hit);
                else out.add("missing violation: " + x.invariant() + (x.at() == null ? "" : " at " + x.at())
                        + (x.events() == null ? "" : " of " + list(x.events())) + " (line " + x.line() + ")");
            }
            for (TimelineEntry.Violation v : left) {
                out.add("unexpected violation: " + v.invariant() + " at " + v.time() + " of " + list(v.provenance().eventIds()));
            }
        }
        return out;
    }

    private static boolean matches(Scenario.ExpectedAction x, TimelineEntry.PlannedAction a) {
        Provenance p = a.provenance();
        if (x.rule() != null && !(p.kind() == Provenance.Kind.RULE && p.id().equals(x.rule()))) return false;
        if (x.intent() != null && !(p.kind() == Provenance.Kind.INTENT && x.intent().equals(p.intentId()))) return false;
        if (x.tool() != null && !x.tool().equals(a.tool())) return false;
        if (x.at() != null && !x.at().equals(a.time())) return false;
        for (var e : x.args().entrySet()) {
            if (!a.args().containsKey(e.getKey()) || !value(e.getValue()).equals(value(a.args().get(e.getKey())))) return false;
        }
        for (var e : x.matches().entrySet()) {
            Object v = a.args().get(e.getKey());
            if (v == null || !e.getValue().matcher(plainText(v)).find()) return false;
        }
        return true;
    }

    private static boolean matches(Scenario.ExpectedSkip x, TimelineEntry.SkippedAction k) {
        Provenance p = k.provenance();
        if (x.rule() != null && !(p.kind() == Provenance.Kind.RULE && p.id().equals(x.rule()))) return false;
        if (x.intent() != null && !(p.kind() == Provenance.Kind.INTENT && x.intent().equals(p.intentId()))) return false;
        if (x.tool() != null && !x.tool().equals(k.tool())) return false;
        if (x.at() != null && !x.at().equals(k.time())) return false;
        return x.reason() == null || x.reason().equals(k.reason());
    }

    private static boolean matches(Scenario.ExpectedViolation x, TimelineEntry.Violation v) {
        if (!v.invariant().equals(x.invariant())) return false;
        if (x.at() != null && !x.at().equals(v.time())) return false;
        return x.events() == null || new TreeSet<>(x.events()).equals(new TreeSet<>(v.provenance().eventIds()));
    }

    // ---- rendering

    private static String describe(Scenario.ExpectedAction x) {
        StringBuilder b = new StringBuilder(x.tool() == null ? "any tool" : x.tool());
        if (x.rule() != null) b.append(" by ").append(x.rule());
        if (x.intent() != null) b.append(" by intent ").append(x.intent());
        if (x.at() != null) b.append(" at ").append(x.at());
        b.append(" with ").append(args(x.args()));
        x.matches().forEach((k, v) -> b.append(", ").append(k).append(" matching /").append(v.pattern()).append('/'));
        return b.toString();
    }

    private static String describe(TimelineEntry.PlannedAction a) {
        Provenance p = a.provenance();
        String by = p.kind() == Provenance.Kind.INTENT ? "intent " + p.intentId() : p.id();
        return a.tool() + " by " + by + " at " + a.time() + " with " + args(a.args());
    }

    private static String deniedBy(TimelineEntry.Decision d) {
        if (d.denials().isEmpty()) return "—";
        return d.denials().stream().map(x -> x.invariant() + " (" + x.level() + ")").collect(Collectors.joining(", "));
    }

    private static String list(Collection<String> items) {
        return "[" + String.join(", ", items) + "]";
    }

    static String args(Map<String, Object> args) {
        return args.entrySet().stream().map(e -> e.getKey() + ": " + value(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** A value as written in a scenario: strings quoted, whole numbers without ".0", lists in brackets. */
    static String value(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case Double d when d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15 -> Long.toString(d.longValue());
            case Float f when f == Math.rint(f) && !f.isInfinite() -> Long.toString(f.longValue());
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case Instant t -> "\"" + t + "\"";
            case List<?> l -> l.stream().map(ScenarioRunner::value).collect(Collectors.joining(", ", "[", "]"));
            case Map<?, ?> m -> m.entrySet().stream().map(e -> e.getKey() + ": " + value(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
            // Teams, people and other runtime values compare by their text, as they are rendered.
            default -> value(v.toString());
        };
    }

    private static String plainText(Object v) {
        return v instanceof String s ? s : v instanceof Number || v instanceof List<?> ? value(v) : v.toString();
    }
}
