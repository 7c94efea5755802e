package charter.compiler.validate;

import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule or guard taken apart the way the checks reason about it: the conjunction that must
 * hold for it to fire or deny (its positive patterns' conditions, all on distinct bindings), and
 * the patterns that must find no event. Null when two patterns share a binding name, which
 * would make two facts look like one: the checks then say nothing.
 */
record Parts(Bindings bindings, List<Expr> positive, List<Pattern> absences) {

    static Parts of(Decl.RuleDecl rule) {
        Bindings bindings = new Bindings();
        List<Expr> positive = new ArrayList<>();
        List<Pattern> absences = new ArrayList<>();
        for (Condition c : rule.when()) {
            switch (c) {
                case Condition.Match m -> {
                    if (!bind(bindings, m.pattern())) return null;
                    if (m.pattern().where() != null) positive.add(m.pattern().where());
                }
                case Condition.Count k -> {
                    if (!bind(bindings, k.pattern())) return null;
                    if (k.pattern().where() != null) positive.add(k.pattern().where());
                }
                case Condition.Absent a -> absences.add(a.pattern());
            }
        }
        return new Parts(bindings, positive, absences);
    }

    /** A deny guard: the intent, its plain conditions and each top-level positive `exists(...)`; `not exists(...)` are absences. */
    static Parts of(InvariantBody.DenyGuard deny) {
        Bindings bindings = new Bindings().bindIntent(deny.intent().text());
        List<Expr> positive = new ArrayList<>();
        List<Pattern> absences = new ArrayList<>();
        for (Expr conjunct : conjuncts(deny.where())) {
            if (conjunct instanceof Expr.ExistsPattern x) {
                if (!bind(bindings, x.pattern())) return null;
                if (x.pattern().where() != null) positive.add(x.pattern().where());
            } else if (conjunct instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NOT && u.operand() instanceof Expr.ExistsPattern x) {
                absences.add(x.pattern());
            } else {
                positive.add(conjunct);
            }
        }
        return new Parts(bindings, positive, absences);
    }

    /** Whether the guard's `where` names other events (`exists`, `not exists`), so it depends on more than the intent. */
    static boolean readsEvents(InvariantBody.DenyGuard deny) {
        return conjuncts(deny.where()).stream().anyMatch(c -> c instanceof Expr.ExistsPattern
                || c instanceof Expr.Unary u && u.operand() instanceof Expr.ExistsPattern);
    }

    /** The conjunction with one more pattern's condition, for an absence: null when its binding clashes. */
    Parts with(Pattern p) {
        Bindings more = bindings.copy();
        if (!bind(more, p)) return null;
        List<Expr> all = new ArrayList<>(positive);
        if (p.where() != null) all.add(p.where());
        return new Parts(more, all, List.of());
    }

    private static boolean bind(Bindings bindings, Pattern p) {
        if (bindings.get(p.binding().text()) != null) return false;
        bindings.bind(p.binding().text(), p.type().name());
        return true;
    }

    static List<Expr> conjuncts(Expr e) {
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
