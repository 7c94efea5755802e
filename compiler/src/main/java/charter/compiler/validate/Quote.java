package charter.compiler.validate;

import charter.compiler.ast.Expr;
import charter.compiler.ast.Span;
import charter.compiler.fmt.Canonical;

/** How the validator's messages show the Program: conditions as `charter fmt` writes them, places as file:line. */
final class Quote {
    private Quote() {}

    static String expr(Expr e) {
        String text = Canonical.expr(e);
        return "`" + (text.length() > 80 ? text.substring(0, 77) + "..." : text) + "`";
    }

    static String place(Span span) {
        return span.file() + ":" + span.line();
    }

    /** Why a conjunction never holds, as the part of a sentence after the culprit. */
    static String why(Solver.Contradiction c) {
        if (c.with() != null) return expr(c.culprit()) + " contradicts " + expr(c.with()) + " (" + place(c.with().span()) + ")";
        return expr(c.culprit()) + " can never hold with the conditions before it";
    }
}
