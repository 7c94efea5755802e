package charter.compiler.eval;

import charter.compiler.ast.OverrideRule;
import charter.compiler.builtins.Builtin;
import charter.compiler.builtins.Directory;
import charter.compiler.builtins.TeamValue;
import charter.compiler.fmt.Canonical;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who may override one soft invariant's denial, compiled from its `override by` clause (or the
 * default when it has none: anyone but the sender). An override is judged against the intent it
 * overrides, because `owner(intent.repo)` names a different team for each intent.
 */
public final class OverridePolicy {
    /** No `override by`: any named actor but the one who sent the intent. */
    public static final OverridePolicy DEFAULT = new OverridePolicy(List.of(new Entry.Anyone()), false);

    private final List<Entry> entries;
    private final boolean includingSelf;

    private OverridePolicy(List<Entry> entries, boolean includingSelf) {
        this.entries = List.copyOf(entries);
        this.includingSelf = includingSelf;
    }

    /** Compiles the clause; the team expressions see the intent as fact 0 (`intent`). */
    public static OverridePolicy of(OverrideRule rule, ExprCompiler compiler) {
        if (rule == null) return DEFAULT;
        List<Entry> entries = new ArrayList<>();
        var scope = ExprCompiler.Scope.of(List.of("intent"));
        for (OverrideRule.Overrider who : rule.by()) {
            entries.add(switch (who) {
                case OverrideRule.Overrider.Anyone a -> new Entry.Anyone();
                case OverrideRule.Overrider.Person p -> new Entry.Person(p.person().text());
                case OverrideRule.Overrider.Team t -> new Entry.Team(t.team().text());
                case OverrideRule.Overrider.TeamOf f -> new Entry.TeamOf(Canonical.expr(f.team()), compiler.compile(f.team(), scope));
            });
        }
        return new OverridePolicy(entries, rule.includingSelf());
    }

    /** The verdict on one override: allowed, or refused with a sentence saying who may. */
    public sealed interface Judgement {
        record Allowed() implements Judgement {}

        record Refused(String reason) implements Judgement {}
    }

    /**
     * @param sender     the actor who sent the intent
     * @param overrider  the actor who overrides its denial
     * @param intentFact the intent, as the guard's expressions see it
     * @param invariant  the invariant's id, for the reason
     */
    public Judgement judge(String sender, String overrider, Object intentFact, Directory directory,
                           Builtin.Context context, String invariant) {
        List<String> who = new ArrayList<>();
        boolean listed = false;
        for (Entry e : entries) {
            switch (e) {
                case Entry.Anyone a -> {
                    who.add("anyone");
                    listed = true;
                }
                case Entry.Person p -> {
                    who.add(p.id());
                    listed |= p.id().equals(directory.person(overrider));
                }
                case Entry.Team t -> {
                    who.add("team " + t.id());
                    listed |= directory.inTeam(overrider, t.id());
                }
                case Entry.TeamOf f -> {
                    TeamValue team = team(f, intentFact, context);
                    who.add(f.text() + " (" + (team.isNobody() ? "nobody" : "team " + team.id()) + ")");
                    listed |= !team.isNobody() && directory.inTeam(overrider, team.id());
                }
            }
        }
        String may = String.join(", ", who) + (includingSelf ? ", including the sender" : ", but not the sender");
        if (!includingSelf && samePerson(sender, overrider, directory)) {
            return new Judgement.Refused(overrider + " sent this intent and may not override its own denial by `" + invariant
                    + "`; who may: " + may);
        }
        if (!listed) {
            return new Judgement.Refused(overrider + " may not override `" + invariant + "`; who may: " + may);
        }
        return new Judgement.Allowed();
    }

    private static TeamValue team(Entry.TeamOf f, Object intentFact, Builtin.Context context) {
        try {
            return f.eval().eval(new Frame(new Object[]{intentFact}, context)) instanceof TeamValue t ? t : TeamValue.NOBODY;
        } catch (RuntimeException e) {
            // A team the expression cannot name for this intent (a missing parameter) grants nobody.
            return TeamValue.NOBODY;
        }
    }

    /** Two identities of one person (`alice` and her GitHub login), or the same name when neither is declared. */
    static boolean samePerson(String a, String b, Directory directory) {
        String pa = directory.person(a);
        String pb = directory.person(b);
        if (pa != null || pb != null) return pa != null && pa.equals(pb);
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    private sealed interface Entry {
        record Anyone() implements Entry {}

        record Person(String id) implements Entry {}

        record Team(String id) implements Entry {}

        record TeamOf(String text, Eval eval) implements Entry {}
    }
}
