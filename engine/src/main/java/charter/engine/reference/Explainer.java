package charter.engine.reference;

import charter.compiler.CompiledProgram;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Pattern;
import charter.compiler.diag.Suggestions;
import charter.compiler.model.ResolvedProgram;
import charter.compiler.model.TypedProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.explain.ExplainException;
import charter.engine.explain.Explanation;
import charter.engine.explain.Explanation.Question;
import charter.engine.explain.Explanation.SubjectKind;
import charter.engine.intent.IntentRequest;
import charter.engine.result.SimulationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The library entry point of {@code charter explain}: why a rule fired or did not for an event,
 * why a deny guard denied an intent or did not, why a state invariant was violated for an event.
 *
 * <p>The verdict is the reference interpreter's, on the inputs a dry run would see: it runs the
 * one rule or invariant asked about (the intent's guards for a denial) over the slice of the
 * inputs that can reach the subject (the event types the declaration names, within the sum of
 * its windows of the subject when every pattern is tied to another by a window). The evidence,
 * each condition with its value on the events it was checked on, comes from the same evaluator.
 */
public final class Explainer {

    /**
     * @param until the end of the dry run ({@code --at}); null for the last input's time
     * @throws ExplainException when the question names an unknown rule, invariant, event or intent, or a pair that does not go together
     */
    public Explanation explain(CompiledProgram program, List<CanonicalEvent> events, List<IntentRequest> intents,
                               Instant until, Question question) {
        ResolvedProgram resolved = program.drl().core().typed().program();
        Instant end = until != null ? until : last(events, intents);
        Decl declaration = declaration(resolved, question.id());
        return switch (question.subjectKind()) {
            case EVENT -> {
                CanonicalEvent subject = subjectEvent(events, question.subjectId(), end);
                yield switch (declaration) {
                    case Decl.RuleDecl rule -> new RuleExplanations(scene(program, slice(events, rule, subject, end, 1),
                            slice(events, rule, subject, end, 2), List.of(), end, rule.name().text()::equals), rule, subject).explain();
                    case Decl.InvariantDecl inv when inv.body() instanceof InvariantBody.StateGuard s ->
                            new StateExplanations(scene(program, slice(events, s, subject, end, 0), slice(events, s, subject, end, 1),
                                    List.of(), end, inv.name().text()::equals), inv, subject).explain();
                    case Decl.InvariantDecl inv -> throw new ExplainException("invariant `" + inv.name().text()
                            + "` guards the `" + ((InvariantBody.DenyGuard) inv.body()).intent().text()
                            + "` intent: explain it for an intent (--intent ID), not an event");
                    default -> throw new IllegalStateException("not a rule or invariant: " + declaration);
                };
            }
            case INTENT -> {
                IntentRequest subject = subjectIntent(intents, question.subjectId(), end);
                if (!(declaration instanceof Decl.InvariantDecl inv && inv.body() instanceof InvariantBody.DenyGuard deny)) {
                    String what = declaration instanceof Decl.RuleDecl r ? "rule `" + r.name().text() + "`"
                            : "invariant `" + question.id() + "` (every … has …)";
                    throw new ExplainException(what + " reacts to events, not intents: explain it for an event (--event ID)");
                }
                List<Decl.InvariantDecl> guards = resolved.invariants().stream()
                        .filter(i -> i.body() instanceof InvariantBody.DenyGuard d && d.intent().text().equals(subject.intent()))
                        .toList();
                Set<String> names = new HashSet<>();
                guards.forEach(g -> names.add(g.name().text()));
                names.add(inv.name().text());
                List<CanonicalEvent> slice = slice(events, guards, subject);
                Scene scene = scene(program, slice, slice, List.of(subject), subject.time(), names::contains);
                yield new GuardExplanations(scene, inv, deny, guards, subject).explain();
            }
        };
    }

    // ---- the question

    private static Decl declaration(ResolvedProgram program, String id) {
        for (Decl.RuleDecl r : program.rules()) if (r.name().text().equals(id)) return r;
        for (Decl.InvariantDecl i : program.invariants()) if (i.name().text().equals(id)) return i;
        if (program.intents().containsKey(id)) {
            throw new ExplainException("`" + id + "` is an intent: explain one of the invariants that guard it, "
                    + "with --intent ID (every guard of the intent is listed)");
        }
        List<String> known = new ArrayList<>();
        program.rules().forEach(r -> known.add(r.name().text()));
        program.invariants().forEach(i -> known.add(i.name().text()));
        String hint = Suggestions.closest(id, known).map(s -> "; did you mean `" + s + "`?").orElse("");
        throw new ExplainException("the Program has no rule or invariant `" + id + "`" + hint);
    }

    private static CanonicalEvent subjectEvent(List<CanonicalEvent> events, String id, Instant end) {
        for (CanonicalEvent e : events) {
            if (!e.id().equals(id)) continue;
            if (e.time().isAfter(end)) throw new ExplainException("event `" + id + "` at " + e.time() + " is after the end of the run (" + end + ")");
            return e;
        }
        String hint = Suggestions.closest(id, events.stream().map(CanonicalEvent::id).toList()).map(s -> "; did you mean `" + s + "`?").orElse("");
        throw new ExplainException("no event `" + id + "` in the events (" + events.size() + " read)" + hint);
    }

    private static IntentRequest subjectIntent(List<IntentRequest> intents, String id, Instant end) {
        for (IntentRequest i : intents) {
            if (!i.id().equals(id)) continue;
            if (i.time().isAfter(end)) throw new ExplainException("intent `" + id + "` at " + i.time() + " is after the end of the run (" + end + ")");
            return i;
        }
        if (intents.isEmpty()) throw new ExplainException("no intent `" + id + "`: no intents were given (--intents FILE)");
        String hint = Suggestions.closest(id, intents.stream().map(IntentRequest::id).toList()).map(s -> "; did you mean `" + s + "`?").orElse("");
        throw new ExplainException("no intent `" + id + "` in the intents (" + intents.size() + " read)" + hint);
    }

    private static Instant last(List<CanonicalEvent> events, List<IntentRequest> intents) {
        Instant last = Instant.EPOCH;
        for (CanonicalEvent e : events) if (e.time().isAfter(last)) last = e.time();
        for (IntentRequest i : intents) if (i.time().isAfter(last)) last = i.time();
        return last;
    }

    // ---- the slice of the inputs that can reach the subject

    /**
     * A rule's slice: the event types it names (every event when it names an entity type), from
     * the subject minus the sum of its windows when every pattern after the first is tied to one
     * by a window (a counting rule: from the last quiet spell longer than its window, when its
     * latch was reset), up to the subject plus that sum. With {@code reach} 2, twice as far either
     * way: what an explanation shows as the nearest events (the run needs 1).
     */
    private static List<CanonicalEvent> slice(List<CanonicalEvent> events, Decl.RuleDecl rule, CanonicalEvent subject, Instant end,
                                              int reach) {
        Set<String> types = new HashSet<>();
        long windows = 0;
        boolean bounded = true;
        boolean first = true;
        for (Condition c : rule.when()) {
            Pattern p = switch (c) {
                case Condition.Match m -> m.pattern();
                case Condition.Absent a -> a.pattern();
                case Condition.Count k -> k.pattern();
            };
            types.add(p.type().name());
            if (p.temporal() != null) windows += p.temporal().window().millis();
            else if (!first || c instanceof Condition.Absent) bounded = false;
            if (c instanceof Condition.Count k) windows += k.window().millis();
            first = false;
        }
        boolean entities = types.stream().anyMatch(t -> !t.contains("."));
        long at = subject.time().toEpochMilli();
        long to = Math.min(end.toEpochMilli(), at + reach * windows);
        long from = bounded ? at - reach * windows : Long.MIN_VALUE;
        if (rule.when().getFirst() instanceof Condition.Count k) from = quietSince(events, k.pattern().type().name(), k.window().millis(), at);
        long lo = from;
        return select(events, e -> (entities || types.contains(e.type())) && e.time().toEpochMilli() >= lo && e.time().toEpochMilli() <= to);
    }

    /** The time of the first event of {@code type} after the last gap longer than {@code window} before {@code at}. */
    private static long quietSince(List<CanonicalEvent> events, String type, long window, long at) {
        TreeSet<Long> times = new TreeSet<>();
        for (CanonicalEvent e : events) if (e.type().equals(type) && e.time().toEpochMilli() <= at) times.add(e.time().toEpochMilli());
        long since = at;
        for (Long t : times.descendingSet()) {
            if (since - t > window) break;
            since = t;
        }
        return since;
    }

    /**
     * A state invariant's slice: the events of its two types in [subject, subject + window]; with
     * {@code margin} 1, a window more either way (the nearest events an explanation shows).
     */
    private static List<CanonicalEvent> slice(List<CanonicalEvent> events, InvariantBody.StateGuard s, CanonicalEvent subject, Instant end,
                                              int margin) {
        Set<String> types = new HashSet<>(List.of(s.every().type().name(), s.has().type().name()));
        long window = s.has().temporal().window().millis();
        long at = subject.time().toEpochMilli() - margin * window;
        long to = Math.min(end.toEpochMilli(), subject.time().toEpochMilli() + (1 + margin) * window);
        return select(events, e -> e == subject || types.contains(e.type()) && e.time().toEpochMilli() >= at && e.time().toEpochMilli() <= to);
    }

    /** A guard's slice: the events the guards' `exists` look for (every event for an entity type), up to the intent. */
    private static List<CanonicalEvent> slice(List<CanonicalEvent> events, List<Decl.InvariantDecl> guards, IntentRequest subject) {
        Set<String> types = new HashSet<>();
        for (Decl.InvariantDecl g : guards) {
            InvariantBody.DenyGuard d = (InvariantBody.DenyGuard) g.body();
            if (d.where() != null) existsTypes(d.where(), types);
        }
        boolean entities = types.stream().anyMatch(t -> !t.contains("."));
        return select(events, e -> (entities || types.contains(e.type())) && !e.time().isAfter(subject.time()));
    }

    private static void existsTypes(Expr where, Set<String> out) {
        for (Expr part : Patterns.conjuncts(where)) {
            Pattern q = Patterns.existsPattern(part);
            if (q == null) continue;
            out.add(q.type().name());
            if (q.where() != null) existsTypes(q.where(), out);
        }
    }

    private static List<CanonicalEvent> select(List<CanonicalEvent> events, Predicate<CanonicalEvent> keep) {
        List<CanonicalEvent> out = new ArrayList<>();
        for (CanonicalEvent e : events) if (keep.test(e)) out.add(e);
        return out;
    }

    // ---- the run and the facts it saw

    /** Runs the focused reference interpreter on {@code run}; the explanation looks at {@code view} (a superset). */
    private static Scene scene(CompiledProgram program, List<CanonicalEvent> run, List<CanonicalEvent> view, List<IntentRequest> intents,
                               Instant end, Predicate<String> focus) {
        SimulationResult result = new ReferenceSimulator().run(program, run, intents, end, focus);
        List<CanonicalEvent> events = view;
        TypedProgram typed = program.drl().core().typed();
        Evaluator evaluator = new Evaluator(typed, new Builtins(typed.program(), program.zone(), program.functions()));
        History history = new History(typed.program().truths());
        List<CanonicalEvent> inOrder = new ArrayList<>(events);
        inOrder.removeIf(e -> e.time().isAfter(end));
        inOrder.sort(Comparator.comparing(CanonicalEvent::time));   // stable: file order within an instant, as the run takes them
        for (CanonicalEvent e : inOrder) {
            history.add(new Fact.Event(history.size(), e, ReferenceSimulator.significance(e, program, evaluator)));
        }
        return new Scene(history, new Patterns(evaluator, history), new Probe(evaluator), result.timeline(), end);
    }
}
