package charter.compiler.fmt;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Expr;
import charter.compiler.ast.Pattern;

/**
 * The formatter's one-line canonical prints of single nodes, for tools that compare or
 * describe parts of a Program (the semantic diff): the same text `charter fmt` writes,
 * independent of layout, comments and spans.
 */
public final class Canonical {
    private Canonical() {}

    /** An expression; null for null (an absent `where` or `unless`). */
    public static String expr(Expr e) {
        return e == null ? null : ExprPrinter.expr(e);
    }

    /** `override by anyone | person | team t | owner(…), … [including self]`, in the order written. */
    public static String override(charter.compiler.ast.OverrideRule rule) {
        if (rule == null) return null;
        java.util.List<String> who = rule.by().stream().map(Canonical::approver).toList();
        return "override by " + String.join(", ", who) + (rule.includingSelf() ? " including self" : "");
    }

    /** `approval by person | team t | owner(…), …`, in the order written; null for null (no clause). */
    public static String approval(charter.compiler.ast.ApprovalRule rule) {
        if (rule == null) return null;
        java.util.List<String> who = rule.by().stream().map(Canonical::approver).toList();
        return "approval by " + String.join(", ", who);
    }

    /** One entry of `approval by` or `override by`. */
    public static String approver(charter.compiler.ast.OverrideRule.Overrider o) {
        return switch (o) {
            case charter.compiler.ast.OverrideRule.Overrider.Anyone a -> "anyone";
            case charter.compiler.ast.OverrideRule.Overrider.Person p -> p.person().text();
            case charter.compiler.ast.OverrideRule.Overrider.Team t -> "team " + t.team().text();
            case charter.compiler.ast.OverrideRule.Overrider.TeamOf f -> expr(f.team());
        };
    }

    /** `type binding [where …] [within D after|before anchor]`. */
    public static String pattern(Pattern p) {
        return ExprPrinter.pattern(p);
    }

    /** One condition of a rule's `when`, as it follows `when ` or `and `. */
    public static String condition(Condition c) {
        return switch (c) {
            case Condition.Match m -> pattern(m.pattern());
            case Condition.Absent a -> "not " + pattern(a.pattern());
            case Condition.Count k -> "count(" + pattern(k.pattern()) + ") "
                    + (k.grouped() ? "by " + String.join(", ", k.groupBy().stream().map(Expr.Path::dotted).toList()) + " " : "")
                    + k.op().symbol() + " " + k.threshold() + " within " + k.window().text();
        };
    }

    /** `tool.verb(name: expr, …) [approval by …]` on one line, arguments in the order written. */
    public static String action(ActionCall a) {
        StringBuilder out = new StringBuilder(a.qualifiedName()).append('(');
        for (int i = 0; i < a.args().size(); i++) {
            ActionCall.Argument arg = a.args().get(i);
            if (i > 0) out.append(", ");
            out.append(arg.name().text()).append(": ").append(ExprPrinter.expr(arg.value()));
        }
        out.append(')');
        if (a.approval() != null) out.append(' ').append(approval(a.approval()));
        return out.toString();
    }

    /** A constant string as a Charter literal. */
    public static String quote(String value) {
        return ExprPrinter.quote(value);
    }
}
