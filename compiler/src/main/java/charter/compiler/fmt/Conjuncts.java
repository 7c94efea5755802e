package charter.compiler.fmt;

import charter.compiler.ast.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a condition that is over the width: broken at its top-level `and`s (or, when it is an
 * `or` at the top, its `or`s), filled greedily, and a part that still does not fit on a line of its
 * own — an `and` chain inside an `or`, or a parenthesised `or` inside an `and` — broken the same way
 * one level deeper. Each part is printed as it would be on the right of its operator, so
 * parentheses stay exactly where the one-line print has them and the meaning never changes.
 */
final class Conjuncts {
    /** One printed line: its indentation, its text, and the last part on it, whose end in the source places the line's comments. */
    record Line(int indent, String text, Expr last) {}

    private final int width;
    private final List<Line> lines = new ArrayList<>();

    private Conjuncts(int width) {
        this.width = width;
    }

    /** `head` followed by `condition`, the first line at `indent`, continuations at `nextIndent` and deeper. */
    static List<Line> layout(String head, Expr condition, int indent, int nextIndent, int width) {
        Conjuncts c = new Conjuncts(width);
        c.place(head, condition, "", indent, nextIndent);
        return List.copyOf(c.lines);
    }

    private void place(String head, Expr condition, String tail, int indent, int nextIndent) {
        String flat = head + ExprPrinter.expr(condition) + tail;
        Expr.BinaryOp op = chainOperator(condition);
        if (indent + flat.length() <= width || op == null) {
            lines.add(new Line(indent, flat, condition));
            return;
        }
        List<Expr> parts = new ArrayList<>();
        flatten(condition, op, parts);
        int strength = ExprPrinter.precedence(op) + 1;
        StringBuilder line = null;
        int lineIndent = indent;
        for (int i = 0; i < parts.size(); i++) {
            Expr part = parts.get(i);
            String prefix = i == 0 ? head : op.symbol() + " ";
            String suffix = i + 1 == parts.size() ? tail : "";
            String text = ExprPrinter.operand(part, strength);
            if (line != null && lineIndent + line.length() + 1 + prefix.length() + text.length() + suffix.length() <= width) {
                line.append(' ').append(prefix).append(text).append(suffix);
                continue;
            }
            if (line != null) lines.add(new Line(lineIndent, line.toString(), parts.get(i - 1)));
            lineIndent = i == 0 ? indent : nextIndent;
            if (lineIndent + prefix.length() + text.length() + suffix.length() <= width || chainOperator(part) == null) {
                line = new StringBuilder(prefix).append(text).append(suffix);
                continue;
            }
            // The part alone is over the width and is a chain itself: break it one level deeper.
            boolean parenthesised = text.startsWith("(");
            place(prefix + (parenthesised ? "(" : ""), part, (parenthesised ? ")" : "") + suffix, lineIndent, nextIndent + 2);
            line = null;
        }
        if (line != null) lines.add(new Line(lineIndent, line.toString(), parts.getLast()));
    }

    /** `and` or `or` when the expression is a chain of it at the top, else null. */
    private static Expr.BinaryOp chainOperator(Expr e) {
        return e instanceof Expr.Binary b && (b.op() == Expr.BinaryOp.AND || b.op() == Expr.BinaryOp.OR) ? b.op() : null;
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
}
