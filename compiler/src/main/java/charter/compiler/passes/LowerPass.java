package charter.compiler.passes;

import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Pattern;
import charter.compiler.core.CoreCondition;
import charter.compiler.core.CoreElement;
import charter.compiler.core.CoreGuard;
import charter.compiler.core.CoreProgram;
import charter.compiler.core.CoreRule;
import charter.compiler.core.CoreStateInvariant;
import charter.compiler.core.EventHorizons;
import charter.compiler.core.FactPattern;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.model.TypedProgram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pass 4, lower: rules, guards and state invariants to the core form — numbered
 * fact variables, numbered conditions, explicit temporal links — and how long
 * each event type must be kept ({@link EventHorizons}), which bounds memory.
 */
public final class LowerPass implements Pass<TypedProgram, CoreProgram> {
    @Override
    public String name() {
        return "lower";
    }

    @Override
    public CoreProgram run(TypedProgram typed, Diagnostics diagnostics) {
        Lowering lowering = new Lowering(diagnostics);
        var program = typed.program();
        List<CoreRule> rules = new ArrayList<>();
        for (Decl.RuleDecl rule : program.rules()) rules.add(lowering.rule(rules.size(), rule));
        List<CoreGuard> guards = new ArrayList<>();
        List<CoreStateInvariant> states = new ArrayList<>();
        for (Decl.InvariantDecl inv : program.invariants()) {
            switch (inv.body()) {
                case InvariantBody.DenyGuard deny -> guards.add(lowering.guard(guards.size(), inv, deny));
                case InvariantBody.StateGuard state -> {
                    CoreStateInvariant lowered = lowering.state(states.size(), inv, state);
                    if (lowered != null) states.add(lowered);
                }
            }
        }
        return new CoreProgram(typed, rules, guards, states, lowering.conditions, EventHorizons.of(rules, guards, states));
    }

    /** The mutable state of one lowering: the condition table and the variables of the current rule. */
    private static final class Lowering {
        private final Diagnostics diagnostics;
        private final List<CoreCondition> conditions = new ArrayList<>();
        /** Fact variables are numbered per rule, so no two patterns of one rule share a name, even inside not/exists. */
        private int nextVar;
        /** Variables bound to event facts (whose data fields can take part in an indexed join), with their event types. */
        private final Map<String, String> eventVars = new LinkedHashMap<>();
        /** Literals safe to emit and free of the scripting engine's number and boolean coercions. */
        private static final java.util.regex.Pattern PLAIN_WORD = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]{0,63}");
        private static final java.util.Set<String> SCRIPT_WORDS = java.util.Set.of("true", "false", "null");
        /** Fields every event answers outside its data map. */
        private static final java.util.Set<String> COMMON_FIELDS = java.util.Set.of("id", "source", "type", "time", "significance");

        Lowering(Diagnostics diagnostics) {
            this.diagnostics = diagnostics;
        }

        CoreRule rule(int index, Decl.RuleDecl rule) {
            nextVar = 0;
            eventVars.clear();
            Map<String, String> vars = new LinkedHashMap<>();
            List<CoreElement> when = new ArrayList<>();
            boolean counting = rule.when().stream().anyMatch(c -> c instanceof Condition.Count);
            if (counting && rule.when().size() > 1) {
                diagnostics.report(Diagnostic.error(Code.COUNT_NOT_ALONE, rule.when().getFirst().span(),
                        "a rule with count(...) must have it as its only condition; move the other conditions into the count's `where`"));
            }
            for (Condition c : rule.when()) {
                switch (c) {
                    case Condition.Match m -> {
                        FactPattern matched = pattern(m.pattern(), vars, FactPattern.FactKind.EVENT, null);
                        when.add(new CoreElement.Match(matched));
                        vars.put(m.pattern().binding().text(), matched.var());
                    }
                    case Condition.Absent a -> when.add(new CoreElement.Absent(pattern(a.pattern(), vars, FactPattern.FactKind.EVENT, null)));
                    case Condition.Count k -> {
                        FactPattern counted = pattern(k.pattern(), vars, FactPattern.FactKind.EVENT, null);
                        List<String> keys = k.groupBy().stream().map(key -> key.segments().getLast().text()).toList();
                        when.add(new CoreElement.Counted(counted, k.op(), k.threshold(), k.window().millis(), keys));
                        // The actions see the counted binding: the engine hands them the newest counted event.
                        if (!counting || rule.when().size() == 1) vars.put(k.pattern().binding().text(), counted.var());
                    }
                }
            }
            return new CoreRule(index, rule.name().text(), rule.title(), rule.span(), when,
                    List.copyOf(vars.values()), List.copyOf(vars.keySet()), rule.then());
        }

        CoreGuard guard(int index, Decl.InvariantDecl inv, InvariantBody.DenyGuard deny) {
            nextVar = 1;
            eventVars.clear();
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put("intent", "$f0");
            List<Expr> plain = new ArrayList<>();
            List<ExistsGroup> groups = new ArrayList<>();
            Map<String, ExistsGroup> groupOf = new java.util.HashMap<>();   // binding of a positive exists → its group
            for (Expr conjunct : conjuncts(deny.where())) {
                Pattern p = ResolvePass.existsPattern(conjunct);
                if (p == null) {
                    rejectNestedExists(conjunct);
                    plain.add(conjunct);
                    continue;
                }
                boolean positive = conjunct instanceof Expr.ExistsPattern;
                java.util.Set<ExistsGroup> tied = new java.util.LinkedHashSet<>();
                for (String name : referencedNames(p)) if (groupOf.containsKey(name)) tied.add(groupOf.get(name));
                if (tied.size() > 1) {
                    diagnostics.report(Diagnostic.error(Code.EXISTS_SCOPE, p.span(), "`" + p.binding().text() + "` refers to "
                            + String.join(" and ", tied.stream().map(g -> "`" + g.root + "`").toList())
                            + ", which are bound by separate exists(...); tie them with one `exists(...)` that refers to the other"));
                    continue;
                }
                if (tied.isEmpty()) {
                    List<CoreElement> inner = new ArrayList<>();
                    Map<String, String> scope = new LinkedHashMap<>(vars);
                    FactPattern fp = pattern(p, scope, FactPattern.FactKind.EVENT, inner);
                    scope.put(p.binding().text(), fp.var());
                    ExistsGroup group = new ExistsGroup(positive, p.binding().text(), fp, inner, scope);
                    groups.add(group);
                    if (positive) groupOf.put(p.binding().text(), group);
                } else {
                    // A later exists(...) tied to an earlier one is checked for the same fact: inside its existential.
                    ExistsGroup group = tied.iterator().next();
                    List<CoreElement> inner = new ArrayList<>();
                    FactPattern fp = pattern(p, group.scope, FactPattern.FactKind.EVENT, inner);
                    if (positive) {
                        group.inner.add(new CoreElement.Match(fp));
                        group.inner.addAll(inner);
                        group.scope.put(p.binding().text(), fp.var());
                        groupOf.put(p.binding().text(), group);
                    } else {
                        group.inner.add(new CoreElement.Absent(fp, inner));
                    }
                }
            }
            List<CoreElement> state = groups.stream().map(ExistsGroup::element).toList();
            if (deny.unless() != null) rejectNestedExists(deny.unless());
            int conditionId = plain.isEmpty() && deny.unless() == null ? -1 : condition(plain, deny.unless(), List.of("intent"));
            FactPattern intent = new FactPattern("$f0", FactPattern.FactKind.INTENT, deny.intent().text(), conditionId, List.of(), null,
                    List.of(), List.of(), List.of());
            return new CoreGuard(index, inv.name().text(), inv.title(), inv.level(), deny.because(), inv.span(),
                    deny.intent().text(), intent, state);
        }

        CoreStateInvariant state(int index, Decl.InvariantDecl inv, InvariantBody.StateGuard guard) {
            Pattern.Temporal deadline = guard.has().temporal();
            if (deadline == null || deadline.direction() != Pattern.Direction.AFTER
                    || !deadline.anchor().text().equals(guard.every().binding().text())) {
                diagnostics.report(Diagnostic.error(Code.STATE_WINDOW, guard.has().span(),
                        "a state invariant needs a deadline: end the `has` pattern with `within <duration> after "
                                + guard.every().binding().text() + "`"));
                return null;
            }
            nextVar = 0;
            eventVars.clear();
            Map<String, String> vars = new LinkedHashMap<>();
            FactPattern every = pattern(guard.every(), vars, FactPattern.FactKind.EVENT, null);
            vars.put(guard.every().binding().text(), every.var());
            FactPattern has = pattern(guard.has(), vars, FactPattern.FactKind.EVENT, null);
            return new CoreStateInvariant(index, inv.name().text(), inv.title(), inv.level(), guard.because(), inv.span(),
                    every, has, deadline.window().millis());
        }

        /** One top-level `exists`/`not exists` of a guard and the elements checked for the same fact. */
        private static final class ExistsGroup {
            final boolean positive;
            final String root;
            final FactPattern pattern;
            final List<CoreElement> inner;
            /** The names the group's elements see: the guard's, the root's and those joined to it. */
            final Map<String, String> scope;

            ExistsGroup(boolean positive, String root, FactPattern pattern, List<CoreElement> inner, Map<String, String> scope) {
                this.positive = positive;
                this.root = root;
                this.pattern = pattern;
                this.inner = inner;
                this.scope = scope;
            }

            CoreElement element() {
                return positive ? new CoreElement.Exists(pattern, inner) : new CoreElement.Absent(pattern, inner);
            }
        }

        /** The names a pattern's `where` and window refer to (a superset is fine: it is matched against bindings). */
        private static java.util.Set<String> referencedNames(Pattern p) {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            if (p.temporal() != null) out.add(p.temporal().anchor().text());
            if (p.where() != null) names(p.where(), out);
            out.remove(p.binding().text());
            return out;
        }

        private static void names(Expr e, java.util.Set<String> out) {
            switch (e) {
                case Expr.Path path -> out.add(head(path));
                case Expr.ExistsField x -> out.add(head(x.path()));
                case Expr.ExistsPattern x -> out.addAll(referencedNames(x.pattern()));
                case Expr.Unary u -> names(u.operand(), out);
                case Expr.Binary b -> {
                    names(b.left(), out);
                    names(b.right(), out);
                }
                case Expr.Call c -> c.args().forEach(a -> names(a, out));
                case Expr.ListLit l -> l.items().forEach(a -> names(a, out));
                case Expr.StringLit s -> s.parts().forEach(part -> {
                    if (part instanceof Expr.StringPart.Interpolation i) names(i.expr(), out);
                });
                default -> { }
            }
        }

        /**
         * A pattern whose condition sees the earlier bindings (in order) and then its own. With
         * {@code nested} non-null (a guard's exists), `exists(...)`/`not exists(...)` conditions
         * of its `where` become elements checked for the same fact, added to {@code nested}.
         */
        private FactPattern pattern(Pattern p, Map<String, String> earlier, FactPattern.FactKind kind, List<CoreElement> nested) {
            String var = "$f" + nextVar++;
            if (kind == FactPattern.FactKind.EVENT && !p.type().name().contains(".")) kind = FactPattern.FactKind.ENTITY;
            // Before this pattern joins them: the earlier bindings of its type, which it must not bind again.
            List<String> distinctFrom = kind != FactPattern.FactKind.EVENT ? List.of() : earlier.values().stream()
                    .filter(v -> p.type().name().equals(eventVars.get(v))).toList();
            if (kind == FactPattern.FactKind.EVENT) eventVars.put(var, p.type().name());
            if (kind == FactPattern.FactKind.ENTITY && p.temporal() != null) {
                diagnostics.report(Diagnostic.error(Code.BAD_WINDOW, p.temporal().span(),
                        "`" + p.type().name() + "` is an entity, which has no time of its own; time windows apply to events"));
            }
            // Equalities Drools can check natively (and index) need no compiled condition; the rest do.
            java.util.Set<Expr> native_ = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            List<FactPattern.JoinKey> keys = kind == FactPattern.FactKind.EVENT && p.where() != null
                    ? joinKeys(p.binding().text(), p.where(), earlier, native_) : List.of();
            List<FactPattern.LiteralKey> literals = kind == FactPattern.FactKind.EVENT && p.where() != null
                    ? literalKeys(p.binding().text(), p.where(), native_) : List.of();
            int conditionId = -1;
            List<String> args = List.of();
            if (p.where() != null && nested != null) {
                Map<String, String> inside = new LinkedHashMap<>(earlier);
                inside.put(p.binding().text(), var);
                for (Expr conjunct : conjuncts(p.where())) {
                    Pattern inner = ResolvePass.existsPattern(conjunct);
                    if (inner == null) continue;
                    native_.add(conjunct);
                    List<CoreElement> deeper = new ArrayList<>();
                    FactPattern fp = pattern(inner, inside, FactPattern.FactKind.EVENT, deeper);
                    nested.add(conjunct instanceof Expr.ExistsPattern ? new CoreElement.Exists(fp, deeper) : new CoreElement.Absent(fp, deeper));
                }
            }
            if (p.where() != null) {
                List<Expr> rest = conjuncts(p.where()).stream().filter(c -> !native_.contains(c)).toList();
                rest.forEach(this::rejectNestedExists);
                if (!rest.isEmpty()) {
                    List<String> bindings = new ArrayList<>(earlier.keySet());
                    bindings.add(p.binding().text());
                    conditionId = condition(rest, null, bindings);
                    args = List.copyOf(earlier.values());
                }
            }
            FactPattern.TemporalLink temporal = null;
            if (p.temporal() != null && kind != FactPattern.FactKind.ENTITY) {
                long window = p.temporal().window().millis();
                String anchor = earlier.get(p.temporal().anchor().text());
                if (anchor == null) {
                    // The resolve pass reports unknown anchors; lowering never runs on such a Program.
                    throw new IllegalStateException("unresolved temporal anchor at " + p.temporal().span());
                }
                temporal = new FactPattern.TemporalLink(anchor, p.temporal().direction() == Pattern.Direction.AFTER, window);
            }
            return new FactPattern(var, kind, p.type().name(), conditionId, args, temporal, keys, literals, distinctFrom);
        }

        /** Equalities between a data field of this pattern and a plain-word string literal. */
        private static List<FactPattern.LiteralKey> literalKeys(String self, Expr where, java.util.Set<Expr> covered) {
            List<FactPattern.LiteralKey> keys = new ArrayList<>();
            for (Expr conjunct : conjuncts(where)) {
                if (!(conjunct instanceof Expr.Binary b) || b.op() != Expr.BinaryOp.EQ) continue;
                Expr.Path path = b.left() instanceof Expr.Path l ? l : b.right() instanceof Expr.Path r ? r : null;
                Expr other = path == b.left() ? b.right() : b.left();
                if (path == null || path.segments().size() != 2 || !head(path).equals(self)) continue;
                String value;
                if (other instanceof Expr.StringLit lit && lit.constantValue() != null
                        && PLAIN_WORD.matcher(lit.constantValue()).matches() && !SCRIPT_WORDS.contains(lit.constantValue())) {
                    value = "\"" + lit.constantValue() + "\"";
                } else if (other instanceof Expr.NumberLit n && Double.isFinite(n.value())) {
                    value = Double.toString(n.value());   // digits, '.', 'E' and '-' only: a Java double literal
                } else {
                    continue;
                }
                String field = path.segments().get(1).text();
                if (COMMON_FIELDS.contains(field)) continue;
                keys.add(new FactPattern.LiteralKey(field, value));
                covered.add(conjunct);
            }
            return keys;
        }

        /** Equalities between a data field of this pattern and one of an earlier event pattern. */
        private List<FactPattern.JoinKey> joinKeys(String self, Expr where, Map<String, String> earlier, java.util.Set<Expr> covered) {
            List<FactPattern.JoinKey> keys = new ArrayList<>();
            for (Expr conjunct : conjuncts(where)) {
                if (!(conjunct instanceof Expr.Binary b) || b.op() != Expr.BinaryOp.EQ) continue;
                if (!(b.left() instanceof Expr.Path l) || !(b.right() instanceof Expr.Path r)) continue;
                Expr.Path own = head(l).equals(self) ? l : head(r).equals(self) ? r : null;
                Expr.Path other = own == l ? r : l;
                if (own == null || own == other || l.segments().size() != 2 || r.segments().size() != 2) continue;
                String anchorVar = earlier.get(head(other));
                if (anchorVar == null || !eventVars.containsKey(anchorVar)) continue;
                String field = own.segments().get(1).text();
                String anchorField = other.segments().get(1).text();
                if (COMMON_FIELDS.contains(field) || COMMON_FIELDS.contains(anchorField)) continue;
                keys.add(new FactPattern.JoinKey(field, anchorVar, anchorField));
                covered.add(conjunct);
            }
            return keys;
        }

        private static String head(Expr.Path p) {
            return p.segments().getFirst().text();
        }

        private int condition(List<Expr> all, Expr unless, List<String> bindings) {
            int id = conditions.size();
            conditions.add(new CoreCondition(id, all, unless, bindings));
            return id;
        }

        private void rejectNestedExists(Expr e) {
            switch (e) {
                case Expr.ExistsPattern x -> diagnostics.report(Diagnostic.error(Code.EXISTS_PLACEMENT, x.span(),
                        "exists(...) can only be an `and` condition of a deny guard's `where` or of the `where` of an exists(...) in it; in a rule, add the pattern to `when` instead"));
                case Expr.Unary u -> rejectNestedExists(u.operand());
                case Expr.Binary b -> {
                    rejectNestedExists(b.left());
                    rejectNestedExists(b.right());
                }
                default -> { }
            }
        }

        private static List<Expr> conjuncts(Expr e) {
            if (e == null) return List.of();
            if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
                List<Expr> out = new ArrayList<>(conjuncts(b.left()));
                out.addAll(conjuncts(b.right()));
                return out;
            }
            return List.of(e);
        }
    }
}
