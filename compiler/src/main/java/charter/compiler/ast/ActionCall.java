package charter.compiler.ast;

import java.util.List;

/**
 * `tool.verb(name: expr, ...) [approval by ...]`: an action a rule plans or an intent resolves to;
 * {@code approval} (null without the clause) makes this one action wait for approval.
 */
public record ActionCall(Name tool, Name verb, List<Argument> args, ApprovalRule approval, Span span) {
    public ActionCall { args = List.copyOf(args); }

    public String qualifiedName() {
        return tool.text() + "." + verb.text();
    }

    public record Argument(Name name, Expr value, Span span) {}
}
