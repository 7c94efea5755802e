package charter.compiler.diff;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Pattern;
import charter.compiler.ast.Span;
import charter.compiler.diff.ProgramDiff.Category;
import charter.compiler.diff.ProgramDiff.Change;
import charter.compiler.diff.ProgramDiff.Detail;
import charter.compiler.diff.ProgramDiff.Op;
import charter.compiler.fmt.Canonical;
import charter.compiler.model.ResolvedProgram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The semantic diff of two resolved Programs. Every comparison is on canonical prints
 * (the formatter's), so spans, layout and comments never count; declarations are
 * matched by id, so their order and the file they live in never count; the conditions
 * of a rule are a conjunction, so their order does not count either. The order of
 * actions does (it is part of each action's idempotency key) and is reported.
 *
 * <p>A declaration that disappears under one id and appears under another with the same
 * body (everything but the id and the title) is a rename. A JavaScript function's body is
 * compared line by line with leading and trailing blanks and blank lines ignored.
 */
public final class SemanticDiff {
    private final ResolvedProgram a;
    private final ResolvedProgram b;
    private final List<Change> changes = new ArrayList<>();

    private SemanticDiff(ResolvedProgram a, ResolvedProgram b) {
        this.a = a;
        this.b = b;
    }

    public static ProgramDiff between(ResolvedProgram before, ResolvedProgram after) {
        SemanticDiff d = new SemanticDiff(before, after);
        d.run();
        List<Change> sorted = new ArrayList<>(d.changes);
        sorted.sort(Comparator.comparing(Change::category).thenComparing(Change::id).thenComparing(Change::op));
        return new ProgramDiff(before.name(), after.name(), sorted);
    }

    private void run() {
        if (!Objects.equals(a.name(), b.name())) {
            changes.add(new Change(Category.PROGRAM, Op.CHANGED, b.name(), null, null, null, null,
                    List.of(new Detail("name", a.name(), b.name())), List.of()));
        }
        keyed(Category.PERSON, a.people(), b.people(), Decl.PersonDecl::span, p -> null, SemanticDiff::personBody, this::person);
        keyed(Category.TEAM, a.teams(), b.teams(), Decl.TeamDecl::span, Decl.TeamDecl::title, SemanticDiff::teamBody, this::team);
        significance();
        truths();
        keyed(Category.FUNCTION, a.functions(), b.functions(), Decl.FunctionDecl::span, f -> null, SemanticDiff::functionBody,
                this::function);
        keyed(Category.RULE, byId(a.rules(), r -> r.name().text()), byId(b.rules(), r -> r.name().text()),
                Decl.RuleDecl::span, Decl.RuleDecl::title, SemanticDiff::ruleBody, this::rule);
        keyed(Category.INVARIANT, byId(a.invariants(), i -> i.name().text()), byId(b.invariants(), i -> i.name().text()),
                Decl.InvariantDecl::span, Decl.InvariantDecl::title, SemanticDiff::invariantBody, this::invariant);
        keyed(Category.INTENT, a.intents(), b.intents(), Decl.IntentDecl::span, Decl.IntentDecl::title, SemanticDiff::intentBody,
                this::intent);
    }

    private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T t : items) out.putIfAbsent(id.apply(t), t);
        return out;
    }

    /**
     * Matches declarations by id: same id → compare; otherwise a removed one and an added
     * one with the same body are a rename (ids in sorted order, so pairing is deterministic).
     */
    private <T> void keyed(Category category, Map<String, T> before, Map<String, T> after, Function<T, Span> span,
                           Function<T, String> title, Function<T, String> uncachedBody, BiFunction<T, T, List<Detail>> details) {
        // Each body is printed once: it decides most comparisons on its own.
        Map<T, String> bodies = new java.util.IdentityHashMap<>();
        Function<T, String> body = t -> bodies.computeIfAbsent(t, uncachedBody);
        TreeSet<String> removed = new TreeSet<>(before.keySet());
        removed.removeAll(after.keySet());
        TreeSet<String> added = new TreeSet<>(after.keySet());
        added.removeAll(before.keySet());
        for (String id : new TreeSet<>(before.keySet())) {
            if (!after.containsKey(id)) continue;
            T x = before.get(id);
            T y = after.get(id);
            if (body.apply(x).equals(body.apply(y)) && Objects.equals(title.apply(x), title.apply(y))) continue;
            List<Detail> d = details.apply(x, y);
            if (!d.isEmpty()) {
                changes.add(new Change(category, Op.CHANGED, id, null, title.apply(y), span.apply(x), span.apply(y), d,
                        affected(category, id)));
            }
        }
        Map<String, String> renamedTo = new TreeMap<>();
        for (String old : removed) {
            String key = body.apply(before.get(old));
            for (String candidate : added) {
                if (!renamedTo.containsValue(candidate) && key.equals(body.apply(after.get(candidate)))) {
                    renamedTo.put(old, candidate);
                    break;
                }
            }
        }
        for (String old : removed) {
            T x = before.get(old);
            String now = renamedTo.get(old);
            if (now != null) {
                T y = after.get(now);
                changes.add(new Change(category, Op.RENAMED, now, old, title.apply(y), span.apply(x), span.apply(y),
                        details.apply(x, y), affected(category, now)));
            } else {
                changes.add(new Change(category, Op.REMOVED, old, null, title.apply(x), span.apply(x), null,
                        List.of(new Detail(category.label(), body.apply(x), null)), affected(category, old)));
            }
        }
        for (String id : added) {
            if (renamedTo.containsValue(id)) continue;
            T y = after.get(id);
            changes.add(new Change(category, Op.ADDED, id, null, title.apply(y), null, span.apply(y),
                    List.of(new Detail(category.label(), null, body.apply(y))), affected(category, id)));
        }
    }

    // ---- people and teams

    private static String personBody(Decl.PersonDecl p) {
        return String.join(", ", identities(p).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    private static Map<String, String> identities(Decl.PersonDecl p) {
        Map<String, String> out = new TreeMap<>();
        for (Decl.Identity id : p.identities()) out.merge(id.kind().text(), Canonical.quote(id.value()), (x, y) -> x + ", " + y);
        return out;
    }

    private List<Detail> person(Decl.PersonDecl x, Decl.PersonDecl y) {
        List<Detail> out = new ArrayList<>();
        Map<String, String> before = identities(x);
        Map<String, String> after = identities(y);
        TreeSet<String> kinds = new TreeSet<>(before.keySet());
        kinds.addAll(after.keySet());
        for (String kind : kinds) {
            String f = before.get(kind);
            String t = after.get(kind);
            if (!Objects.equals(f, t)) out.add(new Detail(kind, f, t));
        }
        return out;
    }

    private static String teamBody(Decl.TeamDecl t) {
        return "members " + String.join(", ", members(t)) + "; owns " + String.join(", ", owned(t));
    }

    private static Set<String> members(Decl.TeamDecl t) {
        Set<String> out = new TreeSet<>();
        t.members().forEach(m -> out.add(m.text()));
        return out;
    }

    private static Set<String> owned(Decl.TeamDecl t) {
        Set<String> out = new TreeSet<>();
        t.owns().forEach(o -> out.add(o.kind().text() + " " + Canonical.quote(o.value())));
        return out;
    }

    private List<Detail> team(Decl.TeamDecl x, Decl.TeamDecl y) {
        List<Detail> out = new ArrayList<>();
        title(out, x.title(), y.title());
        sets(out, "member", members(x), members(y));
        sets(out, "owns", owned(x), owned(y));
        return out;
    }

    private static void sets(List<Detail> out, String aspect, Set<String> before, Set<String> after) {
        for (String s : before) if (!after.contains(s)) out.add(new Detail(aspect, s, null));
        for (String s : after) if (!before.contains(s)) out.add(new Detail(aspect, null, s));
    }

    private static void title(List<Detail> out, String x, String y) {
        if (!Objects.equals(x, y)) out.add(new Detail("title", x == null ? null : Canonical.quote(x), y == null ? null : Canonical.quote(y)));
    }

    // ---- significance and truth

    private static String clauseKey(Decl.SignificanceClause c) {
        return c.type().name() + (c.where() == null ? "" : " where " + Canonical.expr(c.where()));
    }

    /**
     * Clauses have no ids: a clause with the same type and condition is the same clause
     * (its score may change); the rest are paired by event type in order, then added or removed.
     */
    private void significance() {
        List<Decl.SignificanceClause> before = new ArrayList<>(a.significance());
        List<Decl.SignificanceClause> after = new ArrayList<>(b.significance());
        for (var it = before.iterator(); it.hasNext(); ) {
            var x = it.next();
            Decl.SignificanceClause same = after.stream().filter(y -> clauseKey(y).equals(clauseKey(x))).findFirst().orElse(null);
            if (same == null) continue;
            after.remove(same);
            it.remove();
            if (x.score() != same.score()) {
                changes.add(new Change(Category.SIGNIFICANCE, Op.CHANGED, clauseKey(same), null, null, x.span(), same.span(),
                        List.of(new Detail("score", Integer.toString(x.score()), Integer.toString(same.score()))), List.of()));
            }
        }
        for (var it = before.iterator(); it.hasNext(); ) {
            var x = it.next();
            Decl.SignificanceClause same = after.stream().filter(y -> y.type().name().equals(x.type().name())).findFirst().orElse(null);
            if (same == null) continue;
            after.remove(same);
            it.remove();
            List<Detail> d = new ArrayList<>();
            condition(d, "where", x.where(), same.where());
            if (x.score() != same.score()) d.add(new Detail("score", Integer.toString(x.score()), Integer.toString(same.score())));
            changes.add(new Change(Category.SIGNIFICANCE, Op.CHANGED, clauseKey(same), null, null, x.span(), same.span(), d, List.of()));
        }
        for (var x : before) {
            changes.add(new Change(Category.SIGNIFICANCE, Op.REMOVED, clauseKey(x), null, null, x.span(), null,
                    List.of(new Detail("clause", clauseKey(x) + " => " + x.score(), null)), List.of()));
        }
        for (var y : after) {
            changes.add(new Change(Category.SIGNIFICANCE, Op.ADDED, clauseKey(y), null, null, null, y.span(),
                    List.of(new Detail("clause", null, clauseKey(y) + " => " + y.score())), List.of()));
        }
    }

    private static String preference(Decl.TruthDecl t) {
        return String.join(" over ", t.preference().stream().map(n -> n.text()).toList());
    }

    private void truths() {
        Map<String, Decl.TruthDecl> before = byId(a.truths(), t -> t.entity().text() + "." + t.attribute().text());
        Map<String, Decl.TruthDecl> after = byId(b.truths(), t -> t.entity().text() + "." + t.attribute().text());
        TreeSet<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        for (String id : ids) {
            Decl.TruthDecl x = before.get(id);
            Decl.TruthDecl y = after.get(id);
            if (x != null && y != null && !preference(x).equals(preference(y))) {
                changes.add(new Change(Category.TRUTH, Op.CHANGED, id, null, null, x.span(), y.span(),
                        List.of(new Detail("prefer", preference(x), preference(y))), List.of()));
            } else if (x == null) {
                changes.add(new Change(Category.TRUTH, Op.ADDED, id, null, null, null, y.span(),
                        List.of(new Detail("prefer", null, preference(y))), List.of()));
            } else if (y == null) {
                changes.add(new Change(Category.TRUTH, Op.REMOVED, id, null, null, x.span(), null,
                        List.of(new Detail("prefer", preference(x), null)), List.of()));
            }
        }
    }

    // ---- functions

    private static String signature(Decl.FunctionDecl f) {
        return "function " + f.language().text() + " (" + String.join(", ",
                f.params().stream().map(p -> p.name().text() + ": " + p.type().text()).toList()) + "): " + f.result().text();
    }

    /** The body with each line's leading and trailing blanks and the blank lines dropped. */
    static String normalisedBody(String body) {
        List<String> lines = new ArrayList<>();
        for (String line : body.split("\r?\n")) if (!line.isBlank()) lines.add(line.strip());
        return String.join("\n", lines);
    }

    private static String functionBody(Decl.FunctionDecl f) {
        return signature(f) + " " + normalisedBody(f.body());
    }

    private List<Detail> function(Decl.FunctionDecl x, Decl.FunctionDecl y) {
        List<Detail> out = new ArrayList<>();
        if (!signature(x).equals(signature(y))) out.add(new Detail("signature", signature(x), signature(y)));
        if (!normalisedBody(x.body()).equals(normalisedBody(y.body()))) {
            out.add(new Detail("body", normalisedBody(x.body()), normalisedBody(y.body())));
        }
        return out;
    }

    private static void actionExprs(ActionCall act, List<Expr> exprs) {
        act.args().forEach(arg -> exprs.add(arg.value()));
        approvalExprs(act.approval(), exprs);
    }

    /** The team expressions of an `approval by` (null: none), which may call a function too. */
    private static void approvalExprs(charter.compiler.ast.ApprovalRule rule, List<Expr> exprs) {
        if (rule == null) return;
        for (var who : rule.by()) {
            if (who instanceof charter.compiler.ast.OverrideRule.Overrider.TeamOf f) exprs.add(f.team());
        }
    }

    /** For a function: every declaration of either version that calls it, as `rule id`, `invariant id`, …, sorted. */
    private List<String> affected(Category category, String id) {
        if (category != Category.FUNCTION) return List.of();
        Set<String> out = new TreeSet<>();
        for (ResolvedProgram p : List.of(a, b)) {
            for (Decl.RuleDecl r : p.rules()) {
                List<Expr> exprs = new ArrayList<>();
                for (Condition c : r.when()) patternExprs(pattern(c), exprs);
                for (ActionCall act : r.then()) actionExprs(act, exprs);
                approvalExprs(r.approval(), exprs);
                if (Calls.any(exprs, id)) out.add("rule " + r.name().text());
            }
            for (Decl.InvariantDecl i : p.invariants()) {
                List<Expr> exprs = new ArrayList<>();
                switch (i.body()) {
                    case InvariantBody.DenyGuard d -> {
                        exprs.add(d.where());
                        exprs.add(d.unless());
                        if (d.override() != null) {
                            d.override().by().stream().filter(o -> o instanceof charter.compiler.ast.OverrideRule.Overrider.TeamOf)
                                    .forEach(o -> exprs.add(((charter.compiler.ast.OverrideRule.Overrider.TeamOf) o).team()));
                        }
                    }
                    case InvariantBody.StateGuard s -> {
                        patternExprs(s.every(), exprs);
                        patternExprs(s.has(), exprs);
                    }
                }
                if (Calls.any(exprs, id)) out.add("invariant " + i.name().text());
            }
            for (Decl.IntentDecl i : p.intents().values()) {
                List<Expr> exprs = new ArrayList<>();
                for (ActionCall act : i.resolve()) actionExprs(act, exprs);
                approvalExprs(i.approval(), exprs);
                if (Calls.any(exprs, id)) out.add("intent " + i.name().text());
            }
            for (Decl.SignificanceClause c : p.significance()) {
                if (Calls.any(java.util.Collections.singletonList(c.where()), id)) out.add("significance " + clauseKey(c));
            }
        }
        return List.copyOf(out);
    }

    private static void patternExprs(Pattern p, List<Expr> out) {
        out.add(p.where());
    }

    private static Pattern pattern(Condition c) {
        return switch (c) {
            case Condition.Match m -> m.pattern();
            case Condition.Absent x -> x.pattern();
            case Condition.Count k -> k.pattern();
        };
    }

    // ---- rules

    private static String ruleBody(Decl.RuleDecl r) {
        List<String> when = new ArrayList<>(r.when().stream().map(Canonical::condition).toList());
        when.sort(null);
        return (r.approval() == null ? "" : Canonical.approval(r.approval()) + " ")
                + "when " + String.join(" and ", when) + " then " + String.join(" ", r.then().stream().map(Canonical::action).toList());
    }

    /** A rule's or intent's `approval by` (aspect "approval by", its approvers; absent when there is no clause). */
    private static void approval(List<Detail> out, String aspect, charter.compiler.ast.ApprovalRule x, charter.compiler.ast.ApprovalRule y) {
        String before = approvers(x);
        String after = approvers(y);
        if (!Objects.equals(before, after)) out.add(new Detail(aspect, before, after));
    }

    private static String approvers(charter.compiler.ast.ApprovalRule rule) {
        return rule == null ? null : Canonical.approval(rule).substring("approval by ".length());
    }

    private List<Detail> rule(Decl.RuleDecl x, Decl.RuleDecl y) {
        List<Detail> out = new ArrayList<>();
        title(out, x.title(), y.title());
        approval(out, "approval by", x.approval(), y.approval());
        conditions(out, x.when(), y.when());
        actions(out, "action", x.then(), y.then());
        return out;
    }

    /**
     * The conditions as a set: equal ones cancel out; the rest are paired by kind, type and
     * binding, then by type, then in order; pairs are compared part by part, and what is
     * left over was added or removed.
     */
    private static void conditions(List<Detail> out, List<Condition> before, List<Condition> after) {
        List<Condition> xs = new ArrayList<>(before);
        List<Condition> ys = new ArrayList<>(after);
        for (var it = xs.iterator(); it.hasNext(); ) {
            Condition x = it.next();
            String key = Canonical.condition(x);
            for (var jt = ys.iterator(); jt.hasNext(); ) {
                if (Canonical.condition(jt.next()).equals(key)) {
                    jt.remove();
                    it.remove();
                    break;
                }
            }
        }
        List<Function<Condition, String>> keys = List.of(
                c -> c.getClass().getSimpleName() + " " + pattern(c).type().name() + " " + pattern(c).binding().text(),
                c -> pattern(c).type().name(),
                c -> "");
        for (Function<Condition, String> key : keys) {
            for (var it = xs.iterator(); it.hasNext(); ) {
                Condition x = it.next();
                Condition match = ys.stream().filter(y -> key.apply(y).equals(key.apply(x))).findFirst().orElse(null);
                if (match == null) continue;
                ys.remove(match);
                it.remove();
                conditionPair(out, x, match);
            }
        }
        for (Condition x : xs) out.add(new Detail("condition", Canonical.condition(x), null));
        for (Condition y : ys) out.add(new Detail("condition", null, Canonical.condition(y)));
    }

    private static void conditionPair(List<Detail> out, Condition x, Condition y) {
        if (x.getClass() != y.getClass()) {
            out.add(new Detail("condition", Canonical.condition(x), Canonical.condition(y)));
            return;
        }
        String label = "`" + head(y) + "`";
        if (x instanceof Condition.Count cx && y instanceof Condition.Count cy) {
            String tx = cx.op().symbol() + " " + cx.threshold();
            String ty = cy.op().symbol() + " " + cy.threshold();
            if (!tx.equals(ty)) out.add(new Detail(label + " threshold", tx, ty));
            if (!cx.window().text().equals(cy.window().text())) out.add(new Detail(label + " window", cx.window().text(), cy.window().text()));
            String gx = groupKeys(cx);
            String gy = groupKeys(cy);
            if (!Objects.equals(gx, gy)) out.add(new Detail(label + " by", gx, gy));
        }
        patternPair(out, label, pattern(x), pattern(y));
    }

    /** `e.issue_id, e.project`, or null for a count without `by`. */
    private static String groupKeys(Condition.Count c) {
        return c.grouped() ? String.join(", ", c.groupBy().stream().map(Expr.Path::dotted).toList()) : null;
    }

    private static String head(Condition c) {
        Pattern p = pattern(c);
        String base = p.type().name() + " " + p.binding().text();
        return switch (c) {
            case Condition.Match m -> base;
            case Condition.Absent m -> "not " + base;
            case Condition.Count m -> "count(" + base + ")";
        };
    }

    /** Type, binding, `where` (conjunct by conjunct when they share some) and the window, each as its own detail. */
    private static void patternPair(List<Detail> out, String label, Pattern x, Pattern y) {
        if (!x.type().name().equals(y.type().name())) out.add(new Detail(label + " type", x.type().name(), y.type().name()));
        if (!x.binding().text().equals(y.binding().text())) out.add(new Detail(label + " binding", x.binding().text(), y.binding().text()));
        condition(out, label + " where", x.where(), y.where());
        Pattern.Temporal tx = x.temporal();
        Pattern.Temporal ty = y.temporal();
        if (tx == null || ty == null) {
            if (tx != ty) out.add(new Detail(label + " window", temporal(tx), temporal(ty)));
            return;
        }
        if (!tx.window().text().equals(ty.window().text())) out.add(new Detail(label + " window", tx.window().text(), ty.window().text()));
        if (tx.direction() != ty.direction() || !tx.anchor().text().equals(ty.anchor().text())) {
            out.add(new Detail(label + " window", temporal(tx), temporal(ty)));
        }
    }

    private static String temporal(Pattern.Temporal t) {
        return t == null ? null : "within " + t.window().text() + (t.direction() == Pattern.Direction.AFTER ? " after " : " before ")
                + t.anchor().text();
    }

    /**
     * A boolean condition (`where`, `unless`): when both sides are conjunctions sharing at
     * least one conjunct, the conjuncts added and removed; otherwise the whole condition.
     */
    private static void condition(List<Detail> out, String aspect, Expr x, Expr y) {
        String cx = Canonical.expr(x);
        String cy = Canonical.expr(y);
        if (Objects.equals(cx, cy)) return;
        if (x == null || y == null) {
            out.add(new Detail(aspect, cx, cy));
            return;
        }
        List<String> before = conjuncts(x);
        List<String> after = conjuncts(y);
        boolean shared = before.stream().anyMatch(after::contains);
        if (!shared || (before.size() == 1 && after.size() == 1)) {
            out.add(new Detail(aspect, cx, cy));
            return;
        }
        if (new TreeSet<>(before).equals(new TreeSet<>(after))) return; // reordered `and`
        List<Expr> gone = new ArrayList<>();
        List<Expr> came = new ArrayList<>();
        for (Expr c : conjunctExprs(x)) if (!after.contains(Canonical.expr(c))) gone.add(c);
        for (Expr c : conjunctExprs(y)) if (!before.contains(Canonical.expr(c))) came.add(c);
        // `exists(pattern)` (or `not exists`) on both sides with the same type and binding: compare the patterns part by part.
        for (var it = gone.iterator(); it.hasNext(); ) {
            Expr ex = it.next();
            Pattern px = existsPattern(ex);
            if (px == null) continue;
            for (var jt = came.iterator(); jt.hasNext(); ) {
                Expr ey = jt.next();
                Pattern py = existsPattern(ey);
                if (py != null && negated(ex) == negated(ey)
                        && py.type().name().equals(px.type().name()) && py.binding().text().equals(px.binding().text())) {
                    patternPair(out, aspect + " `" + (negated(ey) ? "not " : "") + "exists(" + py.type().name() + " "
                            + py.binding().text() + ")`", px, py);
                    it.remove();
                    jt.remove();
                    break;
                }
            }
        }
        for (Expr c : gone) out.add(new Detail(aspect + " condition", Canonical.expr(c), null));
        for (Expr c : came) out.add(new Detail(aspect + " condition", null, Canonical.expr(c)));
    }

    private static Pattern existsPattern(Expr e) {
        if (e instanceof Expr.ExistsPattern x) return x.pattern();
        return e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NOT && u.operand() instanceof Expr.ExistsPattern x ? x.pattern() : null;
    }

    private static boolean negated(Expr e) {
        return e instanceof Expr.Unary;
    }

    private static List<Expr> conjunctExprs(Expr e) {
        List<Expr> out = new ArrayList<>();
        flattenExprs(e, out);
        return out;
    }

    private static void flattenExprs(Expr e, List<Expr> out) {
        if (e instanceof Expr.Binary bin && bin.op() == Expr.BinaryOp.AND) {
            flattenExprs(bin.left(), out);
            flattenExprs(bin.right(), out);
        } else {
            out.add(e);
        }
    }

    private static List<String> conjuncts(Expr e) {
        List<String> out = new ArrayList<>();
        flatten(e, out);
        return out;
    }

    private static void flatten(Expr e, List<String> out) {
        if (e instanceof Expr.Binary bin && bin.op() == Expr.BinaryOp.AND) {
            flatten(bin.left(), out);
            flatten(bin.right(), out);
        } else {
            out.add(Canonical.expr(e));
        }
    }

    /**
     * Actions aligned on their `tool.verb` sequence (longest common subsequence): aligned
     * pairs compare argument by argument (by name; their order does not count), the others
     * were added or removed. A change in order is reported, since it changes action ids.
     */
    private static void actions(List<Detail> out, String noun, List<ActionCall> before, List<ActionCall> after) {
        int n = before.size();
        int m = after.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = before.get(i).qualifiedName().equals(after.get(j).qualifiedName())
                        ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        List<ActionCall> removed = new ArrayList<>();
        List<ActionCall> added = new ArrayList<>();
        while (i < n || j < m) {
            if (i < n && j < m && before.get(i).qualifiedName().equals(after.get(j).qualifiedName())) {
                String label = noun + " " + (j + 1) + " `" + after.get(j).qualifiedName() + "`";
                arguments(out, label, before.get(i), after.get(j));
                approval(out, label + " approval by", before.get(i).approval(), after.get(j).approval());
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                added.add(after.get(j++));
            } else {
                removed.add(before.get(i++));
            }
        }
        // An action that only moved shows up as removed and added with the same text: that is a reorder.
        List<String> removedText = new ArrayList<>(removed.stream().map(Canonical::action).toList());
        List<String> addedText = new ArrayList<>(added.stream().map(Canonical::action).toList());
        List<String> moved = new ArrayList<>();
        for (String r : List.copyOf(removedText)) {
            if (addedText.remove(r)) {
                removedText.remove(r);
                moved.add(r);
            }
        }
        for (String r : removedText) out.add(new Detail(noun, r, null));
        for (String t : addedText) out.add(new Detail(noun, null, t));
        if (!moved.isEmpty()) {
            out.add(new Detail(noun + " order", String.join(", ", order(before)), String.join(", ", order(after))));
        }
    }

    private static List<String> order(List<ActionCall> actions) {
        return actions.stream().map(ActionCall::qualifiedName).toList();
    }

    private static void arguments(List<Detail> out, String label, ActionCall x, ActionCall y) {
        Map<String, String> before = new TreeMap<>();
        Map<String, String> after = new TreeMap<>();
        x.args().forEach(arg -> before.put(arg.name().text(), Canonical.expr(arg.value())));
        y.args().forEach(arg -> after.put(arg.name().text(), Canonical.expr(arg.value())));
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            String f = before.get(name);
            String t = after.get(name);
            if (!Objects.equals(f, t)) out.add(new Detail(label + " `" + name + "`", f, t));
        }
    }

    // ---- invariants

    private static String invariantBody(Decl.InvariantDecl i) {
        String body = switch (i.body()) {
            case InvariantBody.DenyGuard d -> "deny " + d.intent().text() + (d.where() == null ? "" : " where " + Canonical.expr(d.where()))
                    + (d.unless() == null ? "" : " unless " + Canonical.expr(d.unless()));
            case InvariantBody.StateGuard s -> "every " + Canonical.pattern(s.every()) + " has " + Canonical.pattern(s.has());
        };
        String override = i.body() instanceof InvariantBody.DenyGuard d && d.override() != null ? " " + Canonical.override(d.override()) : "";
        return i.level().keyword() + " " + body + " because " + Canonical.quote(i.body().because()) + override;
    }

    /** Who may override a deny guard, as written, or what it means when nothing is written. */
    private static String overriders(InvariantBody.DenyGuard d) {
        return d.override() == null ? "anyone but the sender (no `override by`)" : Canonical.override(d.override()).substring("override by ".length());
    }

    private List<Detail> invariant(Decl.InvariantDecl x, Decl.InvariantDecl y) {
        List<Detail> out = new ArrayList<>();
        title(out, x.title(), y.title());
        if (x.level() != y.level()) out.add(new Detail("level", x.level().keyword(), y.level().keyword()));
        if (x.body() instanceof InvariantBody.DenyGuard dx && y.body() instanceof InvariantBody.DenyGuard dy) {
            if (!dx.intent().text().equals(dy.intent().text())) out.add(new Detail("deny", dx.intent().text(), dy.intent().text()));
            condition(out, "where", dx.where(), dy.where());
            condition(out, "unless", dx.unless(), dy.unless());
            String ox = overriders(dx);
            String oy = overriders(dy);
            if (!ox.equals(oy)) out.add(new Detail("override by", ox, oy));
        } else if (x.body() instanceof InvariantBody.StateGuard sx && y.body() instanceof InvariantBody.StateGuard sy) {
            patternPair(out, "every", sx.every(), sy.every());
            patternPair(out, "has", sx.has(), sy.has());
        } else {
            out.add(new Detail("body", invariantBody(x), invariantBody(y)));
            return out;
        }
        if (!Objects.equals(x.body().because(), y.body().because())) {
            out.add(new Detail("because", Canonical.quote(x.body().because()), Canonical.quote(y.body().because())));
        }
        return out;
    }

    // ---- intents

    private static String params(Decl.IntentDecl i) {
        return String.join(", ", i.params().stream().map(p -> p.name().text() + ": " + p.type().text()).toList());
    }

    private static String intentBody(Decl.IntentDecl i) {
        return "(" + params(i) + ")" + (i.approval() == null ? "" : " " + Canonical.approval(i.approval()))
                + " resolve " + String.join(" ", i.resolve().stream().map(Canonical::action).toList());
    }

    private List<Detail> intent(Decl.IntentDecl x, Decl.IntentDecl y) {
        List<Detail> out = new ArrayList<>();
        title(out, x.title(), y.title());
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        x.params().forEach(p -> before.put(p.name().text(), p.type().text()));
        y.params().forEach(p -> after.put(p.name().text(), p.type().text()));
        for (var e : before.entrySet()) {
            String t = after.get(e.getKey());
            if (t == null) out.add(new Detail("parameter", e.getKey() + ": " + e.getValue(), null));
            else if (!t.equals(e.getValue())) out.add(new Detail("parameter `" + e.getKey() + "` type", e.getValue(), t));
        }
        for (var e : after.entrySet()) {
            if (!before.containsKey(e.getKey())) out.add(new Detail("parameter", null, e.getKey() + ": " + e.getValue()));
        }
        approval(out, "approval by", x.approval(), y.approval());
        actions(out, "resolve", x.resolve(), y.resolve());
        return out;
    }
}
