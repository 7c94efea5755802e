package charter.compiler.validate;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Name;
import charter.compiler.ast.Pattern;
import charter.compiler.fmt.Canonical;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A declaration's body up to names: bindings renamed `_1, _2 …` in the order they are bound,
 * the conjuncts of each `where` sorted (`and` is commutative), printed as `charter fmt` prints
 * them. Two rules or invariants with the same key match the same events and do the same; ids,
 * titles and `because` texts are left out.
 */
final class AlphaKey {
    private final Map<String, String> renamed = new HashMap<>();

    private AlphaKey() {}

    static String of(Decl.RuleDecl rule) {
        AlphaKey k = new AlphaKey();
        StringBuilder out = new StringBuilder("rule");
        for (Condition c : rule.when()) {
            out.append("\n").append(switch (c) {
                case Condition.Match m -> k.pattern(m.pattern());
                case Condition.Absent a -> "not " + k.pattern(a.pattern());
                case Condition.Count n -> "count(" + k.pattern(n.pattern()) + ") by "
                        + String.join(", ", n.groupBy().stream().map(p -> k.print(p)).toList())
                        + " " + n.op().symbol() + " " + n.threshold() + " within " + n.window().millis() + "ms";
            });
        }
        for (ActionCall a : rule.then()) out.append("\nthen ").append(k.action(a));
        return out.toString();
    }

    static String of(Decl.InvariantDecl inv) {
        AlphaKey k = new AlphaKey();
        StringBuilder out = new StringBuilder("invariant ").append(inv.level().keyword());
        switch (inv.body()) {
            case InvariantBody.DenyGuard deny -> {
                out.append("\ndeny ").append(deny.intent().text()).append(" where ").append(k.conjunction(deny.where()));
                out.append("\nunless ").append(deny.unless() == null ? "" : k.print(deny.unless()));
            }
            case InvariantBody.StateGuard state -> out.append("\nevery ").append(k.pattern(state.every()))
                    .append("\nhas ").append(k.pattern(state.has()));
        }
        return out.toString();
    }

    private String pattern(Pattern p) {
        String binding = bind(p.binding().text());
        StringBuilder out = new StringBuilder(p.type().name()).append(' ').append(binding);
        if (p.where() != null) out.append(" where ").append(conjunction(p.where()));
        if (p.temporal() != null) {
            out.append(" within ").append(p.temporal().window().millis()).append("ms ")
                    .append(p.temporal().direction().name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(renamed.getOrDefault(p.temporal().anchor().text(), p.temporal().anchor().text()));
        }
        return out.toString();
    }

    private String bind(String name) {
        String fresh = "_" + (renamed.size() + 1);
        renamed.put(name, fresh);
        return fresh;
    }

    /** The conjuncts in sorted order; exists(...) patterns bind in the order written, before sorting. */
    private String conjunction(Expr e) {
        if (e == null) return "";
        List<String> printed = new ArrayList<>();
        for (Expr c : Parts.conjuncts(e)) printed.add(print(c));
        printed.sort(null);
        return String.join(" and ", printed);
    }

    private String print(Expr e) {
        return Canonical.expr(rename(e));
    }

    private String action(ActionCall a) {
        List<ActionCall.Argument> args = a.args().stream()
                .map(arg -> new ActionCall.Argument(arg.name(), rename(arg.value()), arg.span())).toList();
        return Canonical.action(new ActionCall(a.tool(), a.verb(), args, a.approval(), a.span()));
    }

    private Expr rename(Expr e) {
        return switch (e) {
            case Expr.Path p -> {
                List<Name> segments = new ArrayList<>(p.segments());
                String to = renamed.get(segments.getFirst().text());
                if (to != null) segments.set(0, new Name(to, segments.getFirst().span()));
                yield new Expr.Path(segments, p.span());
            }
            case Expr.ExistsField x -> new Expr.ExistsField((Expr.Path) rename(x.path()), x.span());
            case Expr.ExistsPattern x -> {
                // Printed whole, with its own conjuncts sorted, under a fresh binding.
                String body = pattern(x.pattern());
                yield new Expr.Path(List.of(new Name("exists(" + body + ")", x.span())), x.span());
            }
            case Expr.Unary u -> new Expr.Unary(u.op(), rename(u.operand()), u.span());
            case Expr.Binary b -> new Expr.Binary(b.op(), rename(b.left()), rename(b.right()), b.span());
            case Expr.Call c -> new Expr.Call(c.function(), c.args().stream().map(this::rename).toList(), c.span());
            case Expr.ListLit l -> new Expr.ListLit(l.items().stream().map(this::rename).toList(), l.span());
            case Expr.StringLit s -> new Expr.StringLit(s.parts().stream().map(part -> part instanceof Expr.StringPart.Interpolation i
                    ? (Expr.StringPart) new Expr.StringPart.Interpolation(rename(i.expr())) : part).toList(), s.span());
            default -> e;
        };
    }
}
