// Tokens of the Charter Program language. Keywords are reserved only where the
// parser needs them; everything else is an identifier.
lexer grammar CharterLexer;

// JS_BODY: the `{ ... }` of a `function js`, balanced, as one token (strings, template
// literals, comments and regular expressions of JavaScript are skipped when matching
// braces). JS_BODY_UNCLOSED: the same when the end of the file comes first.
tokens { JS_BODY, JS_BODY_UNCLOSED }

@lexer::members {
    /** 0: nothing; 1: after `function`; 2: after `function LANG`: the next `{` opens a function body. */
    private int functionHeader;
    /** The type of the previous default-channel token: `x.function` is a field, not a declaration. */
    private int previousType = -1;

    @Override
    public org.antlr.v4.runtime.Token nextToken() {
        org.antlr.v4.runtime.Token t = super.nextToken();
        if (t.getChannel() == org.antlr.v4.runtime.Token.DEFAULT_CHANNEL) {
            int type = t.getType();
            if (type == FUNCTION && previousType != DOT) functionHeader = 1;
            else if (functionHeader == 1) functionHeader = type == IDENT ? 2 : 0;
            else if (functionHeader == 2 && (type == JS_BODY || type == JS_BODY_UNCLOSED || type == RBRACE)) functionHeader = 0;
            previousType = type;
        }
        return t;
    }

    private int la(int i) { return _input.LA(i); }

    private void take() { getInterpreter().consume(_input); }

    /** Consumes a JavaScript function body after its `{` up to the matching `}`. */
    private void functionBody() {
        int depth = 1;
        java.util.ArrayDeque<Integer> templates = new java.util.ArrayDeque<>();
        int previous = '{';
        String word = "";
        while (true) {
            int c = la(1);
            if (c == org.antlr.v4.runtime.IntStream.EOF) { setType(JS_BODY_UNCLOSED); return; }
            if (c == '/' && la(2) == '/') {
                while (la(1) != org.antlr.v4.runtime.IntStream.EOF && la(1) != '\n') take();
                continue;
            }
            if (c == '/' && la(2) == '*') {
                take(); take();
                while (la(1) != org.antlr.v4.runtime.IntStream.EOF && !(la(1) == '*' && la(2) == '/')) take();
                if (la(1) != org.antlr.v4.runtime.IntStream.EOF) { take(); take(); }
                continue;
            }
            take();
            if (Character.isWhitespace(c)) continue;
            if (Character.isJavaIdentifierPart(c)) {
                word = (previous == 'a' ? word : "") + (char) c;
                previous = 'a';
                continue;
            }
            switch (c) {
                case '\'', '"' -> quoted(c);
                case '`' -> { if (template()) { templates.push(depth); depth++; } }
                case '/' -> { if (regexMayStart(previous, word)) regex(); }
                case '{' -> depth++;
                case '}' -> {
                    depth--;
                    if (depth == 0) { setType(JS_BODY); return; }
                    if (!templates.isEmpty() && templates.peek() == depth) {
                        templates.pop();
                        if (template()) { templates.push(depth); depth++; }
                    }
                }
                default -> { }
            }
            previous = c;
            word = "";
        }
    }

    private static final java.util.Set<String> BEFORE_REGEX = java.util.Set.of(
            "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await");

    private static boolean regexMayStart(int previous, String word) {
        if (previous == 'a') return BEFORE_REGEX.contains(word);
        return "(,=:[!&|?{};+-*%<>~^".indexOf(previous) >= 0;
    }

    private void quoted(int quote) {
        while (la(1) != org.antlr.v4.runtime.IntStream.EOF && la(1) != '\n') {
            int c = la(1);
            take();
            if (c == '\\') { if (la(1) != org.antlr.v4.runtime.IntStream.EOF) take(); }
            else if (c == quote) return;
        }
    }

    private void regex() {
        boolean inClass = false;
        while (la(1) != org.antlr.v4.runtime.IntStream.EOF && la(1) != '\n') {
            int c = la(1);
            take();
            if (c == '\\') { if (la(1) != org.antlr.v4.runtime.IntStream.EOF) take(); }
            else if (c == '[') inClass = true;
            else if (c == ']') inClass = false;
            else if (c == '/' && !inClass) return;
        }
    }

    /** Consumes template text; true when it stopped at a `${` (an expression follows), false at the closing backtick. */
    private boolean template() {
        while (la(1) != org.antlr.v4.runtime.IntStream.EOF) {
            int c = la(1);
            take();
            if (c == '\\') { if (la(1) != org.antlr.v4.runtime.IntStream.EOF) take(); }
            else if (c == '`') return false;
            else if (c == '$' && la(1) == '{') { take(); return true; }
        }
        return false;
    }
}

PROGRAM     : 'program';
IMPORT      : 'import';
PERSON      : 'person';
TEAM        : 'team';
MEMBERS     : 'members';
OWNS        : 'owns';
SIGNIFICANCE: 'significance';
TRUTH       : 'truth';
PREFER      : 'prefer';
OVER        : 'over';
RULE        : 'rule';
WHEN        : 'when';
THEN        : 'then';
WHERE       : 'where';
WITHIN      : 'within';
AFTER       : 'after';
BEFORE      : 'before';
COUNT       : 'count';
INVARIANT   : 'invariant';
DENY        : 'deny';
UNLESS      : 'unless';
BECAUSE     : 'because';
EVERY       : 'every';
HAS         : 'has';
INTENT      : 'intent';
RESOLVE     : 'resolve';
ADVISORY    : 'advisory';
SOFT        : 'soft';
HARD        : 'hard';
AND         : 'and';
OR          : 'or';
NOT         : 'not';
IN          : 'in';
MATCHES     : 'matches';
EXISTS      : 'exists';
TRUE        : 'true';
FALSE       : 'false';
NOBODY      : 'nobody';
FUNCTION    : 'function';
BY          : 'by';
OVERRIDE    : 'override';
INCLUDING   : 'including';
SELF        : 'self';
ANYONE      : 'anyone';
APPROVAL    : 'approval';
// `skip` is SKIP_ because ANTLR reserves the name SKIP for its lexer command.
SKIP_       : 'skip';

ARROW   : '=>';
COALESCE: '??';
EQ      : '==';
NEQ     : '!=';
LE      : '<=';
GE      : '>=';
LT      : '<';
GT      : '>';
LPAREN  : '(';
RPAREN  : ')';
// After `function js NAME(...): type` the brace opens a JavaScript body, taken whole as JS_BODY.
LBRACE  : '{' { if (functionHeader == 2) functionBody(); };
RBRACE  : '}';
LBRACK  : '[';
RBRACK  : ']';
COMMA   : ',';
COLON   : ':';
DOT     : '.';
PLUS    : '+';
MINUS   : '-';

// 15m, 2h, 3d, 1w, 30s, 500ms: a duration is one token so that `15 m` is not one.
DURATION : DIGIT+ ('ms' | 's' | 'm' | 'h' | 'd' | 'w');
NUMBER   : DIGIT+ ('.' DIGIT+)?;
// The body of a string is split into text and ${...} parts by the AST builder.
STRING   : '"' ( '\\' . | ~["\\\r\n] )* '"';
IDENT    : [a-zA-Z_] [a-zA-Z0-9_]*;

LINE_COMMENT  : ('//' | '#') ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN);
WS            : [ \t\r\n\u000C]+ -> channel(HIDDEN);

// Anything else is reported once by the error listener instead of being dropped.
ERROR_CHAR : . ;

fragment DIGIT : [0-9];
