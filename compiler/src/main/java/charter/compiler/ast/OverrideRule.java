package charter.compiler.ast;

import java.util.List;

/**
 * `override by team platform, owner(intent.repo), alice including self`: who may override a
 * soft invariant's denial. The sender of the intent is left out unless {@code includingSelf}.
 */
public record OverrideRule(List<Overrider> by, boolean includingSelf, Span span) {
    public OverrideRule {
        by = List.copyOf(by);
    }

    /** One entry of `override by`. */
    public sealed interface Overrider {
        Span span();

        /** `anyone`: every named actor. */
        record Anyone(Span span) implements Overrider {}

        /** `alice`: a person of the Program, by any of their identities. */
        record Person(Name person) implements Overrider {
            public Span span() { return person.span(); }
        }

        /** `team platform`: any member of the team. */
        record Team(Name team) implements Overrider {
            public Span span() { return team.span(); }
        }

        /** `owner(intent.repo)`: any member of the team the expression (of type team) gives for this intent. */
        record TeamOf(Expr team) implements Overrider {
            public Span span() { return team.span(); }
        }
    }
}
