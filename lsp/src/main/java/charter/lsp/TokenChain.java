package charter.lsp;

import charter.grammar.CharterLexer;
import java.util.List;

/**
 * The dotted name a token is part of (`vercel.deployment.error`, `d.target`, `slack.post`): its
 * token range and the segments up to and including the token itself.
 *
 * @param first    index of the chain's first name token
 * @param last     index of its last name token
 * @param upTo     the dotted name from the first segment to the token asked about
 * @param whole    the whole dotted name
 * @param position which segment the token is, from 0
 */
record TokenChain(int first, int last, String upTo, String whole, int position) {
    static TokenChain around(DocumentTokens tokens, int at) {
        List<DocumentTokens.Tok> all = tokens.all();
        DocumentTokens.Dotted before = tokens.dottedEndingAt(at);
        int last = at;
        while (last + 2 < all.size() && all.get(last + 1).type() == CharterLexer.DOT && all.get(last + 2).isIdent()
                && all.get(last + 1).start() == all.get(last).end() && all.get(last + 2).start() == all.get(last + 1).end()) {
            last += 2;
        }
        DocumentTokens.Dotted whole = tokens.dottedEndingAt(last);
        return new TokenChain(before.first(), last, before.name(), whole.name(), (at - before.first()) / 2);
    }

    String firstSegment() {
        int dot = whole.indexOf('.');
        return dot < 0 ? whole : whole.substring(0, dot);
    }
}
