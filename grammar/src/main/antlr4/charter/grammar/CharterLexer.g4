// Tokens of the Charter Program language. Keywords are reserved only where the
// parser needs them; everything else is an identifier.
lexer grammar CharterLexer;

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

ARROW   : '=>';
EQ      : '==';
NEQ     : '!=';
LE      : '<=';
GE      : '>=';
LT      : '<';
GT      : '>';
LPAREN  : '(';
RPAREN  : ')';
LBRACE  : '{';
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
