package charter.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.grammar.CharterLexer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentTokensTest {
    /** Every keyword the grammar accepts as a name is a name to the editor: the set is read from the parser, so none is forgotten. */
    @Test
    void everyKeywordTheIdentRuleAcceptsIsASoftKeyword() {
        for (int type : List.of(CharterLexer.OVERRIDE, CharterLexer.INCLUDING, CharterLexer.SELF, CharterLexer.ANYONE,
                CharterLexer.APPROVAL, CharterLexer.TEAM, CharterLexer.BY, CharterLexer.SKIP_)) {
            assertTrue(DocumentTokens.SOFT_KEYWORDS.contains(type), CharterLexer.VOCABULARY.getDisplayName(type));
            assertTrue(new DocumentTokens.Tok(type, "x", 0, 1).isIdent());
        }
        assertFalse(DocumentTokens.SOFT_KEYWORDS.contains(CharterLexer.IDENT));
        assertFalse(DocumentTokens.SOFT_KEYWORDS.contains(CharterLexer.RULE), "`rule` is reserved");
        assertEquals(26, DocumentTokens.SOFT_KEYWORDS.size(), "the `ident` rule's 26 keywords: " + DocumentTokens.SOFT_KEYWORDS);
    }
}
