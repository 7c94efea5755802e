package charter.compiler.parse;

import charter.grammar.CharterParser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/**
 * The generated parser with a bound on how deeply its rules call each other: ANTLR's
 * recursive descent would otherwise overflow the thread's stack on `not not not …`
 * (3,000 of them) before any diagnostic could be made. Past the bound the parse stops
 * with {@link TooDeep}, which says where.
 */
final class DepthGuardedParser extends CharterParser {
    private final int maxDepth;
    private int depth;

    DepthGuardedParser(TokenStream input, int maxDepth) {
        super(input);
        this.maxDepth = maxDepth;
    }

    /** The parse went deeper than the bound at this token. */
    static final class TooDeep extends RuntimeException {
        final transient Token at;

        TooDeep(Token at) {
            super(null, null, false, false);
            this.at = at;
        }
    }

    @Override
    public void enterRule(ParserRuleContext localctx, int state, int ruleIndex) {
        deeper();
        super.enterRule(localctx, state, ruleIndex);
    }

    @Override
    public void exitRule() {
        depth--;
        super.exitRule();
    }

    @Override
    public void enterRecursionRule(ParserRuleContext localctx, int state, int ruleIndex, int precedence) {
        deeper();
        super.enterRecursionRule(localctx, state, ruleIndex, precedence);
    }

    @Override
    public void unrollRecursionContexts(ParserRuleContext parentctx) {
        depth--;
        super.unrollRecursionContexts(parentctx);
    }

    @Override
    public void reset() {
        super.reset();
        depth = 0;
    }

    private void deeper() {
        if (++depth > maxDepth) throw new TooDeep(getCurrentToken());
    }
}
