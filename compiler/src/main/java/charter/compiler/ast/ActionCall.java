package charter.compiler.ast;

import java.util.List;

/** `tool.verb(name: expr, ...)`: an action a rule plans or an intent resolves to. */
public record ActionCall(Name tool, Name verb, List<Argument> args, Span span) {
    public ActionCall { args = List.copyOf(args); }

    public String qualifiedName() {
        return tool.text() + "." + verb.text();
    }

    public record Argument(Name name, Expr value, Span span) {}
}
