package charter.compiler.fmt;

import charter.compiler.ast.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * A condition seen as the chain of its top-level `and`s (or, when it is an `or` at the top,
 * its `or`s): the places where the formatter may break a line that is over the width
 * without changing what it means. Each part is printed as it would be on the right of its
 * operator, so parentheses stay exactly where the one-line print has them.
 */
record Conjuncts(Expr.BinaryOp operator, List<Expr> parts) {
    /** One printed line and the last part on it, whose end in the source places the line's comments. */
    record Line(String text, Expr last) {}

    static Conjuncts of(Expr condition) {
        Expr.BinaryOp op = condition instanceof Expr.Binary b && (b.op() == Expr.BinaryOp.AND || b.op() == Expr.BinaryOp.OR)
                ? b.op() : Expr.BinaryOp.AND;
        List<Expr> chain = new ArrayList<>();
        flatten(condition, op, chain);
        return new Conjuncts(op, List.copyOf(chain));
    }

    /** Both operators are left-associative: `a and b and c` is `(a and b) and c`, so the chain runs down the left side. */
    private static void flatten(Expr e, Expr.BinaryOp op, List<Expr> into) {
        if (e instanceof Expr.Binary b && b.op() == op) {
            flatten(b.left(), op, into);
            into.add(b.right());
        } else {
            into.add(e);
        }
    }

    /**
     * `head` followed by the parts, filled greedily up to `width`: the first line at
     * `firstIndent` starts with `head`, each continuation at `nextIndent` with the operator.
     */
    List<Line> fill(String head, int firstIndent, int nextIndent, int width) {
        int strength = ExprPrinter.precedence(operator) + 1;
        List<Line> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(head).append(ExprPrinter.operand(parts.getFirst(), strength));
        int indent = firstIndent;
        for (int i = 1; i < parts.size(); i++) {
            String part = ExprPrinter.operand(parts.get(i), strength);
            String joined = " " + operator.symbol() + " " + part;
            if (indent + line.length() + joined.length() <= width) {
                line.append(joined);
            } else {
                lines.add(new Line(line.toString(), parts.get(i - 1)));
                line = new StringBuilder(operator.symbol()).append(' ').append(part);
                indent = nextIndent;
            }
        }
        lines.add(new Line(line.toString(), parts.getLast()));
        return lines;
    }
}
