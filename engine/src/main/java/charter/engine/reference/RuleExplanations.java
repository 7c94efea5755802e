package charter.engine.reference;

import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Pattern;
import charter.compiler.fmt.Canonical;
import charter.engine.event.CanonicalEvent;
import charter.engine.explain.Explanation;
import charter.engine.explain.Explanation.Candidate;
import charter.engine.explain.Explanation.Occurrence;
import charter.engine.explain.Explanation.Step;
import charter.engine.explain.Explanation.Verdict;
import charter.engine.explain.Explanation.Window;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Explains a rule for one event. Fired: the combination it fired with, condition by condition.
 * Not fired: for each pattern the event can stand for, the nearest combination (each other
 * pattern bound to its best candidate in turn), and the one that came closest is shown.
 */
final class RuleExplanations {
    /** How many candidates a step shows besides the one it bound. */
    static final int SHOWN = 3;

    private final Scene scene;
    private final Decl.RuleDecl rule;
    private final CanonicalEvent subject;

    RuleExplanations(Scene scene, Decl.RuleDecl rule, CanonicalEvent subject) {
        this.scene = scene;
        this.rule = rule;
        this.subject = subject;
    }

    Explanation explain() {
        Explanation.Target target = new Explanation.Target("rule", rule.name().text(), rule.title(), null, location(rule.span()));
        Explanation.Subject about = new Explanation.Subject(Explanation.SubjectKind.EVENT, subject.id(), subject.type(), subject.time());
        List<Occurrence> occurrences = occurrences();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < rule.when().size(); i++) {
            if (pattern(rule.when().get(i)).type().name().equals(subject.type()) && !(rule.when().get(i) instanceof Condition.Absent)) positions.add(i);
        }
        Verdict verdict = occurrences.isEmpty() ? Verdict.DID_NOT_FIRE : Verdict.FIRED;
        if (positions.isEmpty()) {
            List<String> types = rule.when().stream().filter(c -> !(c instanceof Condition.Absent)).map(c -> pattern(c).type().name()).distinct().toList();
            return new Explanation(target, about, verdict, "no pattern of the rule is over " + subject.type()
                    + " (it binds " + String.join(", ", types) + ")", occurrences, List.of(), List.of());
        }
        Fact.Event event = scene.event(subject.id());
        if (rule.when().getFirst() instanceof Condition.Count count) {
            return new CountExplanation(scene, rule, count, event).explain(target, about, occurrences);
        }
        if (!occurrences.isEmpty()) {
            Walk walk = walk(bound(occurrences.getFirst()));
            return new Explanation(target, about, verdict, "fired at " + occurrences.getFirst().time() + " with "
                    + String.join(", ", occurrences.getFirst().eventIds()), occurrences, walk.steps, List.of());
        }
        Walk best = null;
        for (int k : positions) {
            Walk w = walk(Map.of(k, event));
            if (best == null || w.held() > best.held()) best = w;
        }
        return new Explanation(target, about, verdict, best.reason(), occurrences, best.steps, List.of());
    }

    /** The rule's outputs citing the subject: its firings, once each. */
    private List<Occurrence> occurrences() {
        Set<Occurrence> out = new LinkedHashSet<>();
        for (TimelineEntry e : scene.timeline()) {
            Provenance p = switch (e) {
                case TimelineEntry.PlannedAction a -> a.provenance();
                case TimelineEntry.RuleError r -> r.provenance();
                case TimelineEntry.SkippedAction s -> s.provenance();
                default -> null;
            };
            if (p != null && p.kind() == Provenance.Kind.RULE && p.id().equals(rule.name().text()) && p.eventIds().contains(subject.id())) {
                out.add(new Occurrence(e.time(), p.eventIds()));
            }
        }
        return List.copyOf(out);
    }

    /** The facts of a firing, by condition: its events in the order of the event patterns; an entity pattern's first match. */
    private Map<Integer, Fact> bound(Occurrence firing) {
        Map<Integer, Fact> out = new HashMap<>();
        Set<Integer> taken = new HashSet<>();
        int next = 0;
        for (int i = 0; i < rule.when().size(); i++) {
            if (!(rule.when().get(i) instanceof Condition.Match m) || !m.pattern().type().name().contains(".")) continue;
            String id = firing.eventIds().get(next++);
            for (Fact.Event e : scene.history().events(m.pattern().type().name())) {
                if (e.event().id().equals(id) && taken.add(e.seq())) {
                    out.put(i, e);
                    break;
                }
            }
        }
        return out;
    }

    /** One combination, built pattern by pattern: the given facts where given, else each pattern's best candidate. */
    private Walk walk(Map<Integer, Fact> fixed) {
        Map<String, Fact> env = new LinkedHashMap<>();
        Set<Integer> taken = new HashSet<>();
        List<Step> steps = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long now = scene.end().toEpochMilli();
        for (Fact f : fixed.values()) if (f instanceof Fact.Event e) taken.add(e.seq());   // no other pattern binds them
        boolean stopped = false;
        for (int i = 0; i < rule.when().size(); i++) {
            Condition c = rule.when().get(i);
            Pattern p = pattern(c);
            String text = Canonical.condition(c);
            if (stopped) {
                steps.add(new Step(role(c), text, null, null, "not checked: an earlier pattern bound nothing", List.of(), List.of()));
                continue;
            }
            Window window = Probe.window(p, env);
            switch (c) {
                case Condition.Match m -> {
                    Candidate chosen;
                    Fact fact;
                    List<Candidate> shown = new ArrayList<>();
                    if (fixed.containsKey(i)) {
                        fact = fixed.get(i);
                        chosen = scene.probe().candidate(p, env, fact, now, isSubject(fact));
                        shown.add(chosen);
                    } else {
                        Ranked ranked = rank(p, env, taken, now);
                        fact = ranked.best;
                        chosen = ranked.shown.isEmpty() ? null : ranked.shown.getFirst();
                        shown.addAll(ranked.shown);
                    }
                    if (fact == null) {
                        steps.add(new Step("pattern", text, window, false, "no " + p.type().name() + " event within reach of the event's windows",
                                List.of(), List.of()));
                        failures.add("no " + p.type().name() + " to bind `" + p.binding().text() + "`");
                        stopped = true;
                        continue;
                    }
                    env.put(p.binding().text(), fact);
                    if (fact instanceof Fact.Event e) taken.add(e.seq());
                    String note = chosen.matches() ? "binds " + chosen.eventId() : why(chosen, window);
                    if (!chosen.matches()) failures.add("`" + p.binding().text() + "`: " + note);
                    steps.add(new Step("pattern", text, window, chosen.matches(), note, List.of(), shown));
                }
                case Condition.Absent a -> {
                    Ranked ranked = rank(p, new LinkedHashMap<>(env), taken, now);
                    List<Candidate> fillers = ranked.shown.stream().filter(Candidate::matches).toList();
                    String note;
                    if (!fillers.isEmpty()) {
                        note = "filled by " + fillers.getFirst().eventId() + " at " + fillers.getFirst().time();
                        failures.add("`not " + p.binding().text() + "`: " + note);
                    } else if (window != null && p.temporal().direction() == Pattern.Direction.AFTER && window.to().isAfter(scene.end())) {
                        note = "nothing filled it so far, but its window closes at " + window.to() + ", after the end of the inputs ("
                                + scene.end() + "): not decided yet";
                        failures.add("`not " + p.binding().text() + "`: " + note);
                    } else {
                        note = "nothing filled it";
                    }
                    steps.add(new Step("absence", text, window, fillers.isEmpty(), note, List.of(), ranked.shown));
                }
                case Condition.Count k -> throw new IllegalStateException("counting rules are explained by CountExplanation");
            }
        }
        return new Walk(steps, failures);
    }

    /** Why a candidate does not match: outside the window, or the first check that is not true. */
    static String why(Candidate c, Window window) {
        if (Boolean.FALSE.equals(c.inWindow())) return c.eventId() + " at " + c.time() + " is outside "
                + (window == null ? "the window (its anchor is not bound)" : window.text() + " (" + window.from() + " .. " + window.to() + ")");
        for (var check : c.checks()) {
            if (check.outcome() == Explanation.Outcome.TRUE) continue;
            String values = check.values().isEmpty() ? "" : " (" + String.join(", ", check.values().stream().map(v -> v.path() + " = " + v.value()).toList()) + ")";
            return c.eventId() + ": `" + check.text() + "` is " + (check.outcome() == Explanation.Outcome.MISSING ? "false, a field is missing" : "false") + values;
        }
        return c.eventId() + " matches";
    }

    private record Ranked(Fact best, List<Candidate> shown) {}

    /**
     * The candidates of a pattern among the events the explanation looks at, nearest first, each
     * with its checks; the best is bound even when it does not match, so the patterns after it can
     * still be shown.
     */
    private Ranked rank(Pattern p, Map<String, Fact> env, Set<Integer> taken, long now) {
        List<? extends Fact> all = scene.facts(p.type().name());
        List<Fact> pool = new ArrayList<>();
        for (Fact f : all) {
            if (f instanceof Fact.Event e && (taken.contains(e.seq()))) continue;
            pool.add(f);
        }
        Instant reference = subject.time();
        List<Map.Entry<Candidate, Fact>> scored = new ArrayList<>();
        for (Fact f : pool) scored.add(Map.entry(scene.probe().candidate(p, env, f, now, isSubject(f)), f));
        scored.sort(Map.Entry.comparingByKey(Probe.nearest(reference)));
        List<Candidate> shown = scored.stream().limit(SHOWN).map(Map.Entry::getKey).toList();
        return new Ranked(scored.isEmpty() ? null : scored.getFirst().getValue(), shown);
    }

    private boolean isSubject(Fact f) {
        return f instanceof Fact.Event e && e.event() == subject;
    }

    /** The steps of one combination and what failed in it, in order. */
    private record Walk(List<Step> steps, List<String> failures) {
        int held() {
            return (int) steps.stream().filter(s -> Boolean.TRUE.equals(s.holds())).count();
        }

        String reason() {
            if (failures.isEmpty()) return "every condition holds for these events, but not together at one moment before the end of the inputs";
            return failures.getFirst();
        }
    }

    static Pattern pattern(Condition c) {
        return switch (c) {
            case Condition.Match m -> m.pattern();
            case Condition.Absent a -> a.pattern();
            case Condition.Count k -> k.pattern();
        };
    }

    private static String role(Condition c) {
        return switch (c) {
            case Condition.Match m -> "pattern";
            case Condition.Absent a -> "absence";
            case Condition.Count k -> "count";
        };
    }

    static String location(charter.compiler.ast.Span span) {
        return span == null ? "" : span.file() + ":" + span.line();
    }
}
