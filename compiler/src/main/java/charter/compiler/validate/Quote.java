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

    /** Why a conjunction never holds, as the start of a sentence. */
    static String why(Solver.Contradiction c) {
        if (c.with().isEmpty()) return expr(c.culprit()) + " can never hold";
        return expr(c.culprit()) + " contradicts " + String.join(" and ",
                c.with().stream().map(w -> expr(w) + " (" + place(w.span()) + ")").toList());
    }
}
