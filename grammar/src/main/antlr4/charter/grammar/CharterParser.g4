// The Charter Program language. One file is a list of declarations; a Program is
// the files of a folder reachable from its entry file through imports.
parser grammar CharterParser;

options { tokenVocab = CharterLexer; }

file : declaration* EOF ;

// Entry point for the expression inside a string interpolation `${...}`.
standaloneExpr : expr EOF ;

declaration
    : programDecl
    | importDecl
    | personDecl
    | teamDecl
    | significanceDecl
    | truthDecl
    | ruleDecl
    | invariantDecl
    | intentDecl
    | functionDecl
    ;

programDecl : PROGRAM STRING ;
importDecl  : IMPORT STRING ;

// person alice { name "Alice Chen"  github "alice-gh"  email "alice@acme.dev" }
personDecl  : PERSON name=ident LBRACE identity* RBRACE ;
identity    : kind=ident STRING ;

// team platform { members alice, bob  owns repo "acme/api", project "api" }
teamDecl    : TEAM name=ident title=STRING? LBRACE teamItem* RBRACE ;
teamItem
    : MEMBERS ident (COMMA ident)*                     # teamMembers
    | OWNS ownedThing (COMMA ownedThing)*              # teamOwns
    ;
ownedThing  : kind=ident STRING ;

// significance { sentry.issue.created where level == "fatal" => 90 }
significanceDecl : SIGNIFICANCE LBRACE significanceClause* RBRACE ;
significanceClause : eventType (WHERE expr)? ARROW NUMBER ;

// truth deployment.status prefer vercel over github
truthDecl : TRUTH entity=ident DOT attribute=ident PREFER ident (OVER ident)+ ;

// `approval by ...` in the header: every action the rule plans waits for one of those approvers.
ruleDecl : RULE name=ident title=STRING? approvalClause? LBRACE whenClause thenClause RBRACE ;
whenClause : WHEN condition (AND condition)* ;
thenClause : THEN action+ ;

// One element of a `when`: a pattern, a negated pattern, or a counting window.
condition
    : pattern                                                      # matchCondition
    | NOT pattern                                                  # absentCondition
    | COUNT LPAREN pattern RPAREN groupBy? op=(GE | GT | EQ) NUMBER WITHIN DURATION  # countCondition
    ;

// `by e.issue_id, e.project`: one count, latch and threshold per distinct key.
groupBy : BY path (COMMA path)* ;

// vercel.deployment.error d where d.target == "production" within 15m after i
pattern : eventType binding=ident (WHERE expr)? temporal? ;
temporal : WITHIN DURATION (AFTER | BEFORE) anchor=ident ;
eventType : ident (DOT ident)* ;

// slack.post(channel: "#incidents", text: "Deploy of ${d.project} failed")
// A trailing `approval by ...` makes this one action wait for approval.
action : tool=ident DOT verb=ident LPAREN (argument (COMMA argument)*)? COMMA? RPAREN approvalClause? ;
argument : name=ident COLON expr ;

invariantDecl : INVARIANT name=ident title=STRING? level LBRACE invariantBody RBRACE ;
level : ADVISORY | SOFT | HARD ;
invariantBody
    : DENY intentName=ident (WHERE expr)? (UNLESS unlessExpr=expr)? because overrideClause?   # denyInvariant
    | EVERY pattern HAS pattern because                                        # stateInvariant
    ;
because : BECAUSE STRING ;

// Who may override a soft denial: `override by team platform, owner(intent.repo), alice including self`.
// Without `including self` the sender of the intent never overrides their own denial.
overrideClause : OVERRIDE BY overrider (COMMA overrider)* (INCLUDING SELF)? ;
overrider
    : ANYONE                                                     # anyoneOverrider
    | TEAM ident                                                 # teamOverrider
    | function=ident LPAREN expr RPAREN                          # teamOfOverrider
    | ident                                                      # personOverrider
    ;

// Who may approve an action before it is carried out: `approval by team platform, owner(d.project), alice`.
// The clause sits in the header of a rule or an intent (every action it plans), or after one action.
// It is not at the end of a body: there, it could not be told apart from the last action's own clause.
approvalClause : APPROVAL BY approver (COMMA approver)* ;
approver
    : TEAM ident                                                 # teamApprover
    | function=ident LPAREN expr RPAREN                          # teamOfApprover
    | ident                                                      # personApprover
    ;

// intent ship(repo: string, sha: string, target: string) "Ship a commit" { resolve vercel.deploy(...) }
// `approval by ...` in the header: everything the intent resolves to waits for one of those approvers.
intentDecl : INTENT name=ident LPAREN (param (COMMA param)*)? RPAREN title=STRING? approvalClause? LBRACE (RESOLVE action+)? RBRACE ;
param : name=ident COLON type=ident ;

// function js risk(additions: number, paths: list): number { return additions > 500 ? 80 : 20 }
// The body is one token (JS_BODY): the lexer matches its braces, GraalJS parses it.
functionDecl : FUNCTION lang=ident name=ident LPAREN (param (COMMA param)*)? RPAREN COLON result=ident body=JS_BODY ;

expr
    : MINUS expr                                                 # negateExpr
    | expr op=(PLUS | MINUS) expr                                # additiveExpr
    | <assoc=right> expr COALESCE expr                           # coalesceExpr
    | expr op=(EQ | NEQ | LT | LE | GT | GE) expr                # compareExpr
    | expr NOT? IN expr                                          # inExpr
    | expr MATCHES expr                                          # matchesExpr
    | NOT expr                                                   # notExpr
    | expr AND expr                                              # andExpr
    | expr OR expr                                               # orExpr
    | EXISTS LPAREN pattern RPAREN                               # existsPatternExpr
    | EXISTS path                                                # existsFieldExpr
    | primary                                                    # primaryExpr
    ;

primary
    : STRING                                                     # stringLit
    | NUMBER                                                     # numberLit
    | DURATION                                                   # durationLit
    | (TRUE | FALSE)                                             # boolLit
    | NOBODY                                                     # nobodyLit
    | SKIP_                                                      # skipLit
    | TEAM ident                                                 # teamRef
    | LBRACK (expr (COMMA expr)*)? COMMA? RBRACK                 # listLit
    | name=ident LPAREN (expr (COMMA expr)*)? RPAREN              # call
    | path                                                       # pathExpr
    | LPAREN expr RPAREN                                         # parenExpr
    ;

path : ident (DOT ident)* ;

// Soft keywords: words the parser reserves in one place stay usable as names elsewhere.
ident
    : IDENT | TEAM | PERSON | COUNT | INTENT | OVER | PREFER | MEMBERS | OWNS
    | ADVISORY | SOFT | HARD | RESOLVE | AFTER | BEFORE | HAS | EVERY | PROGRAM | SIGNIFICANCE | FUNCTION
    | BY | SKIP_ | OVERRIDE | INCLUDING | SELF | ANYONE | APPROVAL
    ;
