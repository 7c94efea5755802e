package charter.compiler.ast;

import java.util.List;

/**
 * `approval by team platform, owner(d.project), alice`: the actions a rule plans, an intent resolves
 * to, or one action, wait in the outbox until one of these approves them. The entries are those of
 * `override by` (without `anyone`: an approval anyone may give protects nothing).
 */
public record ApprovalRule(List<OverrideRule.Overrider> by, Span span) {
    public ApprovalRule {
        by = List.copyOf(by);
    }
}
