package charter.compiler.fmt;

import charter.compiler.ast.Expr;
import charter.compiler.ast.Pattern;
import java.util.List;

/**
 * Prints expressions, patterns and strings on one line in canonical form: single
 * spaces around operators, parentheses only where the grammar's precedence needs
 * them, strings re-escaped.
 */
public final class ExprPrinter {
    private ExprPrinter() {}

    /** Binding strength from the grammar, tightest first: atoms, unary minus, + -, ??, comparisons, in, matches, not, and, or. */
    static int precedence(Expr e) {
        return switch (e) {
            case Expr.Unary u -> u.op() == Expr.UnaryOp.NEGATE ? 8 : 2;
            case Expr.Binary b -> precedence(b.op());
            default -> 9;
        };
    }

    static int precedence(Expr.BinaryOp op) {
        return switch (op) {
            case PLUS, MINUS -> 7;
            case COALESCE -> 6;
            case EQ, NEQ, LT, LE, GT, GE -> 5;
            case IN, NOT_IN -> 4;
            case MATCHES -> 3;
            case AND -> 1;
            case OR -> 0;
        };
    }

    public static String expr(Expr e) {
        return switch (e) {
            case Expr.StringLit s -> string(s);
            case Expr.NumberLit n -> n.text();
            case Expr.DurationLit d -> d.duration().text();
            case Expr.BoolLit b -> b.value() ? "true" : "false";
            case Expr.NobodyLit n -> "nobody";
            case Expr.Skip k -> "skip";
            case Expr.TeamRef t -> "team " + t.team().text();
            case Expr.ListLit l -> "[" + join(l.items()) + "]";
            case Expr.Call c -> c.function().text() + "(" + join(c.args()) + ")";
            case Expr.Path p -> p.dotted();
            case Expr.ExistsField x -> "exists " + x.path().dotted();
            case Expr.ExistsPattern x -> "exists(" + pattern(x.pattern()) + ")";
            case Expr.Unary u -> {
                if (u.op() == Expr.UnaryOp.NOT) yield "not " + operand(u.operand(), 2);
                String operand = operand(u.operand(), 8);
                // `- -x` rather than `--x`, which reads like a decrement.
                yield (operand.startsWith("-") ? "- " : "-") + operand;
            }
            case Expr.Binary b -> {
                int p = precedence(b.op());
                // `??` is right-associative: its left side needs parentheses at equal strength.
                if (b.op() == Expr.BinaryOp.COALESCE) yield operand(b.left(), p + 1) + " ?? " + operand(b.right(), p);
                // Every other binary operator is left-associative: the right side needs parentheses at equal strength.
                yield operand(b.left(), p) + " " + b.op().symbol() + " " + operand(b.right(), p + 1);
            }
        };
    }

    /** Prints `e` where the grammar expects an expression at least as strong as `min`. */
    static String operand(Expr e, int min) {
        String text = expr(e);
        return precedence(e) < min ? "(" + text + ")" : text;
    }

    private static String join(List<Expr> items) {
        StringBuilder out = new StringBuilder();
        for (Expr item : items) {
            if (!out.isEmpty()) out.append(", ");
            out.append(expr(item));
        }
        return out.toString();
    }

    static String pattern(Pattern p) {
        StringBuilder out = new StringBuilder(p.type().name()).append(' ').append(p.binding().text());
        if (p.where() != null) out.append(" where ").append(expr(p.where()));
        if (p.temporal() != null) {
            out.append(" within ").append(p.temporal().window().text())
                    .append(p.temporal().direction() == Pattern.Direction.AFTER ? " after " : " before ")
                    .append(p.temporal().anchor().text());
        }
        return out.toString();
    }

    static String string(Expr.StringLit s) {
        StringBuilder out = new StringBuilder("\"");
        for (Expr.StringPart part : s.parts()) {
            switch (part) {
                case Expr.StringPart.Text t -> escapeInto(out, t.value());
                case Expr.StringPart.Interpolation i -> out.append("${").append(expr(i.expr())).append('}');
            }
        }
        return out.append('"').toString();
    }

    /** A constant string (names, titles, identities, reasons) as a literal. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        escapeInto(out, value);
        return out.append('"').toString();
    }

    private static void escapeInto(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                // Only `${` would start an interpolation; a lone dollar sign needs no escape.
                case '$' -> out.append(i + 1 < value.length() && value.charAt(i + 1) == '{' ? "\\$" : "$");
                default -> out.append(c);
            }
        }
    }
}
