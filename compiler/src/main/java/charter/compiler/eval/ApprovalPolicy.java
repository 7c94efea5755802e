package charter.compiler.eval;

import charter.compiler.ast.ApprovalRule;
import charter.compiler.ast.OverrideRule;
import charter.compiler.builtins.Builtin;
import charter.compiler.builtins.TeamValue;
import charter.compiler.fmt.Canonical;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who must approve an action before it is carried out, compiled from the `approval by` clauses that
 * cover it (its rule's or intent's, and its own). `owner(...)` is evaluated when the action is
 * planned, against the facts that plan it, so each action names the team that owns its thing.
 */
public final class ApprovalPolicy {
    /** No clause covers the action: the Program asks for no approval. */
    public static final ApprovalPolicy NONE = new ApprovalPolicy(List.of());

    /**
     * What an action's approvers are when every `owner(...)` of its clauses found no team: the action
     * still waits, and only an admin's cancel ends it. `nobody` is a keyword, so no person has that id.
     */
    public static final String NOBODY = "nobody";

    /** The prefix of a team among the approvers, as in the `connectors:` block: {@code team:platform}. */
    public static final String TEAM_PREFIX = "team:";

    private final List<Entry> entries;

    private ApprovalPolicy(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The clauses that cover one action (nulls are absent clauses); their approvers combine. */
    public static ApprovalPolicy of(List<ApprovalRule> clauses, ExprCompiler compiler, ExprCompiler.Scope scope) {
        List<Entry> entries = new ArrayList<>();
        for (ApprovalRule clause : clauses) {
            if (clause == null) continue;
            for (OverrideRule.Overrider who : clause.by()) {
                entries.add(switch (who) {
                    case OverrideRule.Overrider.Person p -> new Entry.Named(p.person().text());
                    case OverrideRule.Overrider.Team t -> new Entry.Named(TEAM_PREFIX + t.team().text());
                    case OverrideRule.Overrider.TeamOf f -> new Entry.TeamOf(Canonical.expr(f.team()), compiler.compile(f.team(), scope));
                    // The grammar gives `approval by` no `anyone`.
                    case OverrideRule.Overrider.Anyone a -> throw new IllegalArgumentException("`approval by anyone` is not a clause");
                });
            }
        }
        return entries.isEmpty() ? NONE : new ApprovalPolicy(entries);
    }

    public boolean required() {
        return !entries.isEmpty();
    }

    /**
     * The approvers of one planned action: people by id and teams as {@code team:<id>}, each once, in
     * the order written; {@code [nobody]} when approval is required but every entry named nobody; empty
     * when no approval is required.
     */
    public List<String> approvers(Object[] facts, Builtin.Context context) {
        if (entries.isEmpty()) return List.of();
        Set<String> out = new LinkedHashSet<>();
        for (Entry e : entries) {
            switch (e) {
                case Entry.Named n -> out.add(n.id());
                case Entry.TeamOf f -> {
                    TeamValue team = team(f, facts, context);
                    if (!team.isNobody()) out.add(TEAM_PREFIX + team.id());
                }
            }
        }
        return out.isEmpty() ? List.of(NOBODY) : List.copyOf(out);
    }

    private static TeamValue team(Entry.TeamOf f, Object[] facts, Builtin.Context context) {
        try {
            return f.eval().eval(new Frame(facts, context)) instanceof TeamValue t ? t : TeamValue.NOBODY;
        } catch (RuntimeException e) {
            // A team the expression cannot name for these facts (a missing field) approves nothing.
            return TeamValue.NOBODY;
        }
    }

    private sealed interface Entry {
        /** A person's id, or {@code team:<id>}. */
        record Named(String id) implements Entry {}

        record TeamOf(String text, Eval eval) implements Entry {}
    }
}
