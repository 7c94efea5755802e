package charter.compiler.parse;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.ApprovalRule;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Duration;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Name;
import charter.compiler.ast.OverrideRule;
import charter.compiler.ast.Pattern;
import charter.compiler.ast.Span;
import charter.compiler.ast.TypeRef;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.grammar.CharterParser;
import charter.grammar.CharterParser.*;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * The one visitor that turns ANTLR's parse tree into the AST records. It never
 * throws on bad input: parts the parser already reported as broken are skipped,
 * and problems only visible here (bad escapes, scores) become diagnostics.
 */
final class AstBuilder {
    private final String file;
    private final int lineOffset;
    private final int columnOffset;
    private final StringLiteralParser strings;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    /** How deeply the expression being built is nested, counting the expressions around an interpolation. */
    private int exprDepth;

    /** An interpolation's parser, given the depth of the expression the string sits in. */
    interface InterpolationParser {
        Expr parse(StringLiteralParser.Fragment fragment, int outerDepth);
    }

    AstBuilder(String file, int lineOffset, int columnOffset, InterpolationParser interpolationParser) {
        this(file, lineOffset, columnOffset, interpolationParser, 0);
    }

    /** Offsets and the outer depth place the nodes of a sub-parse (a `${...}` inside a string) in the enclosing file and expression. */
    AstBuilder(String file, int lineOffset, int columnOffset, InterpolationParser interpolationParser, int outerDepth) {
        this.file = file;
        this.lineOffset = lineOffset;
        this.columnOffset = columnOffset;
        this.exprDepth = outerDepth;
        this.strings = new StringLiteralParser(file, fragment -> interpolationParser.parse(fragment, exprDepth), diagnostics);
    }

    List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }

    List<Decl> file(FileContext ctx) {
        List<Decl> decls = new ArrayList<>();
        for (DeclarationContext d : ctx.declaration()) {
            Decl decl = declaration(d);
            if (decl != null) decls.add(decl);
        }
        return decls;
    }

    private Decl declaration(DeclarationContext d) {
        if (d.exception != null) return null;
        try {
            if (d.programDecl() != null) return new Decl.ProgramDecl(text(d.programDecl().STRING()), span(d));
            if (d.importDecl() != null) return new Decl.ImportDecl(text(d.importDecl().STRING()), span(d));
            if (d.personDecl() != null) return person(d.personDecl());
            if (d.teamDecl() != null) return team(d.teamDecl());
            if (d.significanceDecl() != null) return significance(d.significanceDecl());
            if (d.truthDecl() != null) return truth(d.truthDecl());
            if (d.ruleDecl() != null) return rule(d.ruleDecl());
            if (d.invariantDecl() != null) return invariant(d.invariantDecl());
            if (d.intentDecl() != null) return intent(d.intentDecl());
            if (d.functionDecl() != null) return function(d.functionDecl());
        } catch (IncompleteTree e) {
            // The parser reported this declaration's syntax error already.
        }
        return null;
    }

    private Decl.PersonDecl person(PersonDeclContext c) {
        List<Decl.Identity> ids = new ArrayList<>();
        for (IdentityContext i : c.identity()) ids.add(new Decl.Identity(name(i.kind), text(i.STRING()), span(i)));
        return new Decl.PersonDecl(name(c.name), ids, span(c));
    }

    private Decl.TeamDecl team(TeamDeclContext c) {
        List<Name> members = new ArrayList<>();
        List<Decl.Owned> owns = new ArrayList<>();
        for (TeamItemContext item : c.teamItem()) {
            switch (item) {
                case TeamMembersContext m -> m.ident().forEach(i -> members.add(name(i)));
                case TeamOwnsContext o -> o.ownedThing().forEach(t -> owns.add(new Decl.Owned(name(t.kind), text(t.STRING()), span(t))));
                default -> throw new IncompleteTree();
            }
        }
        return new Decl.TeamDecl(name(c.name), optionalText(c.title), members, owns, span(c));
    }

    private Decl.SignificanceDecl significance(SignificanceDeclContext c) {
        List<Decl.SignificanceClause> clauses = new ArrayList<>();
        for (SignificanceClauseContext s : c.significanceClause()) {
            int score = wholeNumber(s.NUMBER(), "a significance score");
            Expr where = s.expr() == null ? null : expr(s.expr());
            clauses.add(new Decl.SignificanceClause(typeRef(s.eventType()), where, score, span(s)));
        }
        return new Decl.SignificanceDecl(clauses, span(c));
    }

    private Decl.TruthDecl truth(TruthDeclContext c) {
        List<Name> preference = new ArrayList<>();
        // ident list: entity, attribute, then the sources in order of preference
        List<IdentContext> ids = c.ident();
        for (int i = 2; i < ids.size(); i++) preference.add(name(ids.get(i)));
        return new Decl.TruthDecl(name(c.entity), name(c.attribute), preference, span(c));
    }

    private Decl.RuleDecl rule(RuleDeclContext c) {
        List<Condition> when = new ArrayList<>();
        for (ConditionContext cond : present(c.whenClause()).condition()) when.add(condition(cond));
        List<ActionCall> then = new ArrayList<>();
        for (ActionContext a : present(c.thenClause()).action()) then.add(action(a));
        return new Decl.RuleDecl(name(c.name), optionalText(c.title), when, then, approval(c.approvalClause()), span(c));
    }

    private Condition condition(ConditionContext c) {
        return switch (c) {
            case MatchConditionContext m -> new Condition.Match(pattern(m.pattern()), span(m));
            case AbsentConditionContext a -> new Condition.Absent(pattern(a.pattern()), span(a));
            case CountConditionContext k -> {
                Condition.CountOp op = switch (present(k.op).getType()) {
                    case CharterParser.GE -> Condition.CountOp.AT_LEAST;
                    case CharterParser.GT -> Condition.CountOp.MORE_THAN;
                    default -> Condition.CountOp.EXACTLY;
                };
                List<Expr.Path> groupBy = k.groupBy() == null ? List.of() : k.groupBy().path().stream().map(this::path).toList();
                yield new Condition.Count(pattern(k.pattern()), op, wholeNumber(k.NUMBER(), "a count threshold"), duration(k.DURATION()),
                        groupBy, span(k));
            }
            default -> throw new IncompleteTree();
        };
    }

    private Pattern pattern(PatternContext c) {
        if (c == null || c.binding == null) throw new IncompleteTree();
        Expr where = c.expr() == null ? null : expr(c.expr());
        Pattern.Temporal temporal = null;
        if (c.temporal() != null) {
            TemporalContext t = c.temporal();
            Pattern.Direction direction = t.AFTER() != null ? Pattern.Direction.AFTER : Pattern.Direction.BEFORE;
            temporal = new Pattern.Temporal(duration(t.DURATION()), direction, name(t.anchor), span(t));
        }
        return new Pattern(typeRef(c.eventType()), name(c.binding), where, temporal, span(c));
    }

    private ActionCall action(ActionContext c) {
        List<ActionCall.Argument> args = new ArrayList<>();
        for (ArgumentContext a : c.argument()) args.add(new ActionCall.Argument(name(a.name), expr(a.expr()), span(a)));
        return new ActionCall(name(c.tool), name(c.verb), args, approval(c.approvalClause()), span(c));
    }

    private Decl.InvariantDecl invariant(InvariantDeclContext c) {
        LevelContext levelContext = present(c.level());
        Decl.Level level = levelContext.HARD() != null ? Decl.Level.HARD
                : levelContext.SOFT() != null ? Decl.Level.SOFT : Decl.Level.ADVISORY;
        InvariantBody body = switch (present(c.invariantBody())) {
            case DenyInvariantContext d -> new InvariantBody.DenyGuard(name(d.intentName),
                    d.WHERE() == null ? null : expr(d.expr(0)),
                    d.unlessExpr == null ? null : expr(d.unlessExpr),
                    text(present(d.because()).STRING()),
                    d.overrideClause() == null ? null : overrideRule(d.overrideClause()),
                    // The guard ends at its `because`; an `override by` after it has its own span.
                    span(d).to(span(present(d.because()))));
            case StateInvariantContext s -> new InvariantBody.StateGuard(pattern(s.pattern(0)), pattern(s.pattern(1)),
                    text(present(s.because()).STRING()), span(s));
            default -> throw new IncompleteTree();
        };
        return new Decl.InvariantDecl(name(c.name), optionalText(c.title), level, body, span(c));
    }

    private OverrideRule overrideRule(OverrideClauseContext c) {
        List<OverrideRule.Overrider> by = new ArrayList<>();
        for (OverriderContext o : c.overrider()) {
            by.add(switch (o) {
                case AnyoneOverriderContext a -> new OverrideRule.Overrider.Anyone(span(a));
                case TeamOverriderContext t -> new OverrideRule.Overrider.Team(name(t.ident()));
                case TeamOfOverriderContext f -> new OverrideRule.Overrider.TeamOf(
                        new Expr.Call(name(f.function), List.of(expr(present(f.expr()))), span(f)));
                case PersonOverriderContext p -> new OverrideRule.Overrider.Person(name(p.ident()));
                default -> throw new IncompleteTree();
            });
        }
        return new OverrideRule(by, c.SELF() != null, span(c));
    }

    /** The `approval by` clause, or null without one. */
    private ApprovalRule approval(ApprovalClauseContext c) {
        if (c == null) return null;
        List<OverrideRule.Overrider> by = new ArrayList<>();
        for (ApproverContext o : c.approver()) {
            by.add(switch (o) {
                case TeamApproverContext t -> new OverrideRule.Overrider.Team(name(t.ident()));
                case TeamOfApproverContext f -> new OverrideRule.Overrider.TeamOf(
                        new Expr.Call(name(f.function), List.of(expr(present(f.expr()))), span(f)));
                case PersonApproverContext p -> new OverrideRule.Overrider.Person(name(p.ident()));
                default -> throw new IncompleteTree();
            });
        }
        return new ApprovalRule(by, span(c));
    }

    private Decl.IntentDecl intent(IntentDeclContext c) {
        List<Decl.Param> params = new ArrayList<>();
        for (ParamContext p : c.param()) params.add(new Decl.Param(name(p.name), name(p.type), span(p)));
        List<ActionCall> resolve = new ArrayList<>();
        for (ActionContext a : c.action()) resolve.add(action(a));
        return new Decl.IntentDecl(name(c.name), params, optionalText(c.title), resolve, approval(c.approvalClause()), span(c));
    }

    private Decl.FunctionDecl function(FunctionDeclContext c) {
        if (c.body == null || c.body.getTokenIndex() < 0 || c.result == null) throw new IncompleteTree();
        List<Decl.Param> params = new ArrayList<>();
        for (ParamContext p : c.param()) params.add(new Decl.Param(name(p.name), name(p.type), span(p)));
        return new Decl.FunctionDecl(name(c.lang), name(c.name), params, name(c.result), c.body.getText(), spanOf(c.body), span(c));
    }

    Expr expr(ExprContext c) {
        if (c == null || c.exception != null) throw new IncompleteTree();
        if (exprDepth >= ProgramParser.MAX_EXPRESSION_DEPTH) {
            diagnostics.add(Diagnostic.error(Code.NESTING_TOO_DEEP, span(c), "this expression is nested more than "
                    + ProgramParser.MAX_EXPRESSION_DEPTH + " levels deep (each `and`, `or`, `not`, operator and bracket is a level);"
                    + " split it: several conditions joined by `and` in `when`, a list with `in [...]`, or a function"));
            throw new IncompleteTree();
        }
        exprDepth++;
        try {
            return exprAt(c);
        } finally {
            exprDepth--;
        }
    }

    private Expr exprAt(ExprContext c) {
        return switch (c) {
            case NegateExprContext n -> new Expr.Unary(Expr.UnaryOp.NEGATE, expr(n.expr()), span(n));
            case NotExprContext n -> new Expr.Unary(Expr.UnaryOp.NOT, expr(n.expr()), span(n));
            case AdditiveExprContext a -> new Expr.Binary(present(a.op).getType() == CharterParser.PLUS ? Expr.BinaryOp.PLUS : Expr.BinaryOp.MINUS,
                    expr(a.expr(0)), expr(a.expr(1)), span(a));
            case CoalesceExprContext q -> new Expr.Binary(Expr.BinaryOp.COALESCE, expr(q.expr(0)), expr(q.expr(1)), span(q));
            case CompareExprContext k -> new Expr.Binary(compareOp(present(k.op)), expr(k.expr(0)), expr(k.expr(1)), span(k));
            case InExprContext i -> new Expr.Binary(i.NOT() != null ? Expr.BinaryOp.NOT_IN : Expr.BinaryOp.IN,
                    expr(i.expr(0)), expr(i.expr(1)), span(i));
            case MatchesExprContext m -> new Expr.Binary(Expr.BinaryOp.MATCHES, expr(m.expr(0)), expr(m.expr(1)), span(m));
            case AndExprContext a -> new Expr.Binary(Expr.BinaryOp.AND, expr(a.expr(0)), expr(a.expr(1)), span(a));
            case OrExprContext o -> new Expr.Binary(Expr.BinaryOp.OR, expr(o.expr(0)), expr(o.expr(1)), span(o));
            case ExistsPatternExprContext e -> new Expr.ExistsPattern(pattern(e.pattern()), span(e));
            case ExistsFieldExprContext e -> new Expr.ExistsField(path(e.path()), span(e));
            case PrimaryExprContext p -> primary(p.primary());
            default -> throw new IncompleteTree();
        };
    }

    private Expr primary(PrimaryContext c) {
        if (c == null || c.exception != null) throw new IncompleteTree();
        return switch (c) {
            case StringLitContext s -> strings.parse(s.STRING().getSymbol());
            case NumberLitContext n -> new Expr.NumberLit(number(n.NUMBER()), n.NUMBER().getText(), span(n));
            case DurationLitContext d -> new Expr.DurationLit(duration(d.DURATION()), span(d));
            case BoolLitContext b -> new Expr.BoolLit(b.TRUE() != null, span(b));
            case NobodyLitContext n -> new Expr.NobodyLit(span(n));
            case SkipLitContext k -> new Expr.Skip(span(k));
            case TeamRefContext t -> new Expr.TeamRef(name(t.ident()), span(t));
            case ListLitContext l -> new Expr.ListLit(l.expr().stream().map(this::expr).toList(), span(l));
            case CallContext k -> new Expr.Call(name(k.name), k.expr().stream().map(this::expr).toList(), span(k));
            case PathExprContext p -> path(p.path());
            case ParenExprContext p -> expr(p.expr());
            default -> throw new IncompleteTree();
        };
    }

    private Expr.Path path(PathContext c) {
        return new Expr.Path(c.ident().stream().map(this::name).toList(), span(c));
    }

    private static Expr.BinaryOp compareOp(Token op) {
        return switch (op.getType()) {
            case CharterParser.EQ -> Expr.BinaryOp.EQ;
            case CharterParser.NEQ -> Expr.BinaryOp.NEQ;
            case CharterParser.LT -> Expr.BinaryOp.LT;
            case CharterParser.LE -> Expr.BinaryOp.LE;
            case CharterParser.GT -> Expr.BinaryOp.GT;
            default -> Expr.BinaryOp.GE;
        };
    }

    private TypeRef typeRef(EventTypeContext c) {
        if (c == null) throw new IncompleteTree();
        return new TypeRef(c.ident().stream().map(IdentContext::getText).reduce((a, b) -> a + "." + b).orElseThrow(IncompleteTree::new), span(c));
    }

    private Name name(IdentContext c) {
        if (c == null || c.getStart() == null) throw new IncompleteTree();
        String text = c.getText();
        if (text.length() > ProgramParser.MAX_NAME_LENGTH) {
            diagnostics.add(Diagnostic.error(Code.NAME_TOO_LONG, span(c), "this name is " + text.length()
                    + " characters long; names are at most " + ProgramParser.MAX_NAME_LENGTH));
        }
        return new Name(text, span(c));
    }

    /** A part of the tree the parser may have left out after a syntax error it already reported. */
    private static <T> T present(T part) {
        if (part == null) throw new IncompleteTree();
        return part;
    }

    private String text(TerminalNode string) {
        if (string == null || string.getSymbol().getTokenIndex() < 0) throw new IncompleteTree();
        Expr.StringLit lit = strings.parse(string.getSymbol());
        String constant = lit.constantValue();
        if (constant == null) {
            diagnostics.add(Diagnostic.error(Code.BAD_STRING, spanOf(string.getSymbol()),
                    "interpolation `${...}` is not allowed here; this string must be a constant"));
            return "";
        }
        return constant;
    }

    private String optionalText(Token string) {
        if (string == null) return null;
        Expr.StringLit lit = strings.parse(string);
        String constant = lit.constantValue();
        if (constant == null) {
            diagnostics.add(Diagnostic.error(Code.BAD_STRING, spanOf(string), "a title cannot interpolate `${...}`"));
            return "";
        }
        return constant;
    }

    private double number(TerminalNode n) {
        if (n == null || n.getSymbol().getTokenIndex() < 0) throw new IncompleteTree();
        try {
            return Double.parseDouble(n.getText());
        } catch (NumberFormatException e) {
            diagnostics.add(Diagnostic.error(Code.BAD_NUMBER, spanOf(n.getSymbol()), "not a number: " + n.getText()));
            return 0;
        }
    }

    private int wholeNumber(TerminalNode n, String what) {
        double value = number(n);
        if (value != Math.rint(value) || value > Integer.MAX_VALUE) {
            diagnostics.add(Diagnostic.error(Code.BAD_NUMBER, spanOf(n.getSymbol()), what + " must be a whole number, not " + n.getText()));
            return 0;
        }
        return (int) value;
    }

    private Duration duration(TerminalNode d) {
        if (d == null || d.getSymbol().getTokenIndex() < 0) throw new IncompleteTree();
        try {
            return Duration.parse(d.getText(), spanOf(d.getSymbol()));
        } catch (ArithmeticException | NumberFormatException e) {
            diagnostics.add(Diagnostic.error(Code.BAD_NUMBER, spanOf(d.getSymbol()), "duration too large: " + d.getText()));
            return new Duration(d.getText(), 0, spanOf(d.getSymbol()));
        }
    }

    Span span(ParserRuleContext c) {
        Token start = c.getStart();
        Token stop = c.getStop() != null ? c.getStop() : start;
        Span begin = spanOf(start);
        Span end = spanOf(stop);
        return begin.to(end);
    }

    Span spanOf(Token t) {
        String text = t.getText() == null || t.getType() == Token.EOF ? " " : t.getText();
        int line = t.getLine() + lineOffset;
        int column = (t.getLine() == 1 ? columnOffset : 0) + t.getCharPositionInLine() + 1;
        int newline = text.lastIndexOf('\n');
        if (newline < 0) return new Span(file, line, column, line, column + text.length());
        int lines = (int) text.chars().filter(ch -> ch == '\n').count();
        return new Span(file, line, column, line + lines, text.length() - newline);
    }

    /** Thrown inside the builder when the tree is missing a part the parser already complained about. */
    private static final class IncompleteTree extends RuntimeException {
        IncompleteTree() {
            super(null, null, false, false);
        }
    }
}
