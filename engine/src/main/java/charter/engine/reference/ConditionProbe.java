package charter.engine.reference;

import charter.compiler.CompiledProgram;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Pattern;
import charter.compiler.ast.Span;
import charter.compiler.fmt.Canonical;
import charter.compiler.model.TypedProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcomes of every condition of a Program on some inputs, for condition coverage: each
 * conjunct of a rule's, guard's or state invariant's `where` (and each `unless`) is evaluated by
 * the reference interpreter's {@link Evaluator} on every candidate fact, and whether it was
 * ever true and ever false is recorded.
 *
 * <p>The candidates of a pattern are the input events of its type; a pattern that refers to
 * earlier bindings is evaluated with each combination of earlier events that satisfied their own
 * patterns (at most {@link #MAX_COMBINATIONS}). Windows are not looked at: a condition counts as
 * tried on every event of its type. A guard's conditions are tried on every intent of its type
 * (an `exists(...)` pattern's with each of those intents), a state invariant's `has` with every
 * event its `every` matched. A condition that fails while evaluated (a JavaScript function that
 * throws) counts for neither outcome.
 */
public final class ConditionProbe {
    static final int MAX_COMBINATIONS = 200;

    /** One condition: its owner (rule or invariant id), where it is, and its text as `charter fmt` writes it. */
    public record Conjunct(String owner, Span span, String text) {}

    /** Whether a condition was seen true and seen false. */
    public record Seen(boolean wasTrue, boolean wasFalse) {
        Seen with(boolean value) {
            return new Seen(wasTrue || value, wasFalse || !value);
        }
    }

    private final CompiledProgram program;
    private final TypedProgram typed;
    private final Evaluator evaluator;

    public ConditionProbe(CompiledProgram program) {
        this.program = program;
        this.typed = program.drl().core().typed();
        this.evaluator = new Evaluator(typed, new Builtins(typed.program(), program.zone(), program.functions()));
    }

    /** Every condition of the Program, in declaration order, with what the inputs showed of it. */
    public Map<Conjunct, Seen> probe(List<CanonicalEvent> events, List<IntentRequest> intents) {
        Map<Conjunct, Seen> out = new LinkedHashMap<>();
        List<Fact.Event> facts = new ArrayList<>();
        for (CanonicalEvent e : events) facts.add(new Fact.Event(facts.size(), e, ReferenceSimulator.significance(e, program, evaluator)));
        for (Decl.RuleDecl rule : typed.program().rules()) {
            List<Map<String, Fact>> envs = List.of(Map.of());
            for (Condition c : rule.when()) {
                Pattern p = switch (c) {
                    case Condition.Match m -> m.pattern();
                    case Condition.Absent a -> a.pattern();
                    case Condition.Count k -> k.pattern();
                };
                List<Map<String, Fact>> matched = tryPattern(rule.name().text(), p, envs, facts, out);
                if (!(c instanceof Condition.Absent)) envs = matched;
            }
        }
        for (Decl.InvariantDecl inv : typed.program().invariants()) {
            String owner = inv.name().text();
            switch (inv.body()) {
                case InvariantBody.DenyGuard deny -> {
                    List<Map<String, Fact>> envs = new ArrayList<>();
                    for (IntentRequest i : intents) if (i.intent().equals(deny.intent().text())) envs.add(Map.of("intent", new Fact.Intent(i)));
                    List<Expr> plain = new ArrayList<>();
                    for (Expr conjunct : conjuncts(deny.where())) {
                        Pattern exists = conjunct instanceof Expr.ExistsPattern x ? x.pattern()
                                : conjunct instanceof Expr.Unary u && u.operand() instanceof Expr.ExistsPattern x ? x.pattern() : null;
                        if (exists == null) plain.add(conjunct);
                        else tryPattern(owner, exists, envs, facts, out);
                    }
                    if (deny.unless() != null) plain.add(deny.unless());
                    for (Expr c : plain) {
                        Conjunct key = key(owner, c);
                        out.putIfAbsent(key, new Seen(false, false));
                        for (Map<String, Fact> env : envs) record(out, key, c, env);
                    }
                }
                case InvariantBody.StateGuard state -> {
                    List<Map<String, Fact>> every = tryPattern(owner, state.every(), List.of(Map.of()), facts, out);
                    tryPattern(owner, state.has(), every, facts, out);
                }
            }
        }
        return out;
    }

    /** Tries the pattern's conditions on each candidate with each environment; returns the environments it matched in. */
    private List<Map<String, Fact>> tryPattern(String owner, Pattern p, List<Map<String, Fact>> envs, List<Fact.Event> facts,
                                               Map<Conjunct, Seen> out) {
        List<Expr> conditions = conjuncts(p.where()).stream().filter(c -> !(c instanceof Expr.ExistsPattern)
                && !(c instanceof Expr.Unary u && u.operand() instanceof Expr.ExistsPattern)).toList();
        for (Expr c : conditions) out.putIfAbsent(key(owner, c), new Seen(false, false));
        List<Map<String, Fact>> matched = new ArrayList<>();
        for (Map<String, Fact> env : envs) {
            for (Fact.Event e : facts) {
                if (!e.event().type().equals(p.type().name())) continue;
                Map<String, Fact> with = new HashMap<>(env);
                with.put(p.binding().text(), e);
                boolean all = true;
                for (Expr c : conditions) {
                    Boolean value = record(out, key(owner, c), c, with);
                    all &= value != null && value;
                }
                if (all && matched.size() < MAX_COMBINATIONS) matched.add(with);
            }
        }
        return matched;
    }

    private Boolean record(Map<Conjunct, Seen> out, Conjunct key, Expr c, Map<String, Fact> env) {
        Boolean value = evaluate(c, env);
        if (value != null) out.merge(key, new Seen(value, !value), (a, b) -> a.with(value));
        return value;
    }

    /** The condition's value, or null when it cannot be evaluated here (a binding not tried with it, a function that throws). */
    private Boolean evaluate(Expr c, Map<String, Fact> env) {
        long now = env.values().stream().mapToLong(f -> f instanceof Fact.Event e ? e.millis()
                : f instanceof Fact.Intent i ? i.request().time().toEpochMilli() : 0).max().orElse(0);
        try {
            return evaluator.test(c, new Evaluator.Scope(env, null, now));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Conjunct key(String owner, Expr c) {
        return new Conjunct(owner, c.span(), Canonical.expr(c));
    }

    private static List<Expr> conjuncts(Expr e) {
        List<Expr> out = new ArrayList<>();
        if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
            out.addAll(conjuncts(b.left()));
            out.addAll(conjuncts(b.right()));
        } else if (e != null) {
            out.add(e);
        }
        return out;
    }
}
