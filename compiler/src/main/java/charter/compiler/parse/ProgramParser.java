package charter.compiler.parse;

import charter.compiler.ast.Expr;
import charter.compiler.ast.Span;
import charter.compiler.ast.SourceFile;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.grammar.CharterLexer;
import charter.grammar.CharterParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Parses one file's text into a {@link SourceFile}, collecting every syntax error.
 *
 * <p>Parsing is two-stage, as ANTLR recommends: the fast SLL prediction first, with an
 * error strategy that gives up at the first problem; only when it gives up is the input
 * parsed again with full LL prediction, which is exact and reports the real errors. SLL
 * alone can reject valid input; LL alone is slower on every file.
 *
 * <p>No input may overflow a stack further on: brackets, the parser's own recursion and
 * the depth of each expression are bounded, and a name is at most {@link #MAX_NAME_LENGTH}
 * characters; past a bound the file is a diagnostic with a position.
 */
public final class ProgramParser {
    /** Deeper bracket nesting than this is refused before parsing. */
    public static final int MAX_NESTING = 64;
    /** How deeply the parser's rules may call each other (and the parse tree may nest) before the file is refused. */
    public static final int MAX_PARSE_DEPTH = 400;
    /** How deeply one expression may nest (`a and b and …` nests once per operator), interpolations included. */
    public static final int MAX_EXPRESSION_DEPTH = 128;
    /** Names (rules, bindings, people, teams, intents, …) longer than this are refused: ids reach the generated DRL. */
    public static final int MAX_NAME_LENGTH = 64;

    /** Which prediction the parse uses; {@link #TWO_STAGE} everywhere but in tests that compare it with {@link #LL_ONLY}. */
    public enum Prediction { TWO_STAGE, LL_ONLY }

    /** @param fullContext whether the LL stage ran (the SLL stage gave up, on an error or an ambiguity it cannot decide) */
    public record Result(SourceFile file, List<Diagnostic> diagnostics, boolean fullContext) {
        public Result(SourceFile file, List<Diagnostic> diagnostics) {
            this(file, diagnostics, false);
        }
    }

    private final Prediction prediction;

    public ProgramParser() {
        this(Prediction.TWO_STAGE);
    }

    public ProgramParser(Prediction prediction) {
        this.prediction = prediction;
    }

    public Result parse(String path, String text) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        CollectingErrorListener errors = new CollectingErrorListener(path, 0, 0);
        CharterLexer lexer = new CharterLexer(CharStreams.fromString(text, path));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();

        List<SourceFile.Comment> comments = new ArrayList<>();
        int depth = 0;
        Token tooDeep = null;
        for (Token t : tokens.getTokens()) {
            switch (t.getType()) {
                case CharterLexer.LINE_COMMENT, CharterLexer.BLOCK_COMMENT -> comments.add(new SourceFile.Comment(t.getText(), span(path, t)));
                case CharterLexer.LPAREN, CharterLexer.LBRACK, CharterLexer.LBRACE -> {
                    if (++depth > MAX_NESTING && tooDeep == null) tooDeep = t;
                }
                case CharterLexer.RPAREN, CharterLexer.RBRACK, CharterLexer.RBRACE -> depth--;
                case CharterLexer.JS_BODY_UNCLOSED -> diagnostics.add(Diagnostic.error(Code.SYNTAX, span(path, t),
                        "this function body is not closed: a `}` is missing before the end of the file"));
                case CharterLexer.ERROR_CHAR -> diagnostics.add(Diagnostic.error(Code.SYNTAX, span(path, t),
                        "unexpected character `" + printable(t.getText()) + "`"));
                default -> { }
            }
        }
        if (tooDeep != null) {
            diagnostics.add(Diagnostic.error(Code.NESTING_TOO_DEEP, span(path, tooDeep),
                    "brackets are nested more than " + MAX_NESTING + " deep; split the expression"));
            return new Result(new SourceFile(path, List.of(), comments), diagnostics);
        }

        Parsed<CharterParser.FileContext> parsed;
        try {
            parsed = parse(tokens, errors, CharterParser::file);
        } catch (DepthGuardedParser.TooDeep e) {
            diagnostics.add(tooDeep(span(path, e.at)));
            return new Result(new SourceFile(path, List.of(), comments), diagnostics);
        }
        Token deepest = deeperThan(parsed.tree(), MAX_PARSE_DEPTH);
        if (deepest != null) {
            diagnostics.add(tooDeep(span(path, deepest)));
            return new Result(new SourceFile(path, List.of(), comments), diagnostics, parsed.fullContext());
        }

        AstBuilder builder = new AstBuilder(path, 0, 0, (fragment, outerDepth) -> parseInterpolation(path, fragment, outerDepth, diagnostics));
        var decls = builder.file(parsed.tree());
        diagnostics.addAll(errors.diagnostics());
        diagnostics.addAll(builder.diagnostics());
        diagnostics.sort(java.util.Comparator.comparingInt((Diagnostic d) -> d.span().line()).thenComparingInt(d -> d.span().column()));
        return new Result(new SourceFile(path, decls, comments), diagnostics, parsed.fullContext());
    }

    private record Parsed<T>(T tree, boolean fullContext) {}

    /** SLL with bail-out, then (only when it bailed) LL reporting every error to `errors`. */
    private <T extends ParserRuleContext> Parsed<T> parse(CommonTokenStream tokens, CollectingErrorListener errors,
                                                         Function<CharterParser, T> rule) {
        DepthGuardedParser parser = new DepthGuardedParser(tokens, MAX_PARSE_DEPTH);
        parser.removeErrorListeners();
        if (prediction == Prediction.TWO_STAGE) {
            parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
            parser.setErrorHandler(new BailErrorStrategy());
            try {
                return new Parsed<>(rule.apply(parser), false);
            } catch (ParseCancellationException sllGaveUp) {
                tokens.seek(0);
                parser.reset();
            }
        }
        parser.addErrorListener(errors);
        parser.setErrorHandler(new DefaultErrorStrategy());
        parser.getInterpreter().setPredictionMode(PredictionMode.LL);
        return new Parsed<>(rule.apply(parser), true);
    }

    private static Diagnostic tooDeep(Span at) {
        return Diagnostic.error(Code.NESTING_TOO_DEEP, at, "this is nested too deeply for Charter (more than " + MAX_PARSE_DEPTH
                + " levels); split it: several conditions joined by `and` in `when`, a list with `in [...]`, or a function");
    }

    /** The first token of a node nested deeper than `limit` in the parse tree, or null; iterative, so any depth is safe. */
    private static Token deeperThan(ParseTree root, int limit) {
        Deque<ParseTree> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            ParseTree node = nodes.pop();
            int depth = depths.pop();
            if (depth > limit) return node instanceof ParserRuleContext c ? c.getStart() : null;
            for (int i = 0; i < node.getChildCount(); i++) {
                if (node.getChild(i) instanceof ParserRuleContext child) {
                    nodes.push(child);
                    depths.push(depth + 1);
                }
            }
        }
        return null;
    }

    private Expr parseInterpolation(String path, StringLiteralParser.Fragment fragment, int outerDepth, List<Diagnostic> diagnostics) {
        CollectingErrorListener errors = new CollectingErrorListener(path, fragment.line() - 1, fragment.column() - 1);
        CharterLexer lexer = new CharterLexer(CharStreams.fromString(fragment.text(), path));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        Span where = new Span(path, fragment.line(), fragment.column(), fragment.line(), fragment.column() + Math.max(1, fragment.text().length()));
        CharterParser.StandaloneExprContext tree;
        try {
            tree = parse(tokens, errors, CharterParser::standaloneExpr).tree();
        } catch (DepthGuardedParser.TooDeep e) {
            diagnostics.add(tooDeep(where));
            return null;
        }
        if (!errors.diagnostics().isEmpty()) {
            diagnostics.addAll(errors.diagnostics());
            return null;
        }
        if (deeperThan(tree, MAX_PARSE_DEPTH) != null) {
            diagnostics.add(tooDeep(where));
            return null;
        }
        AstBuilder builder = new AstBuilder(path, fragment.line() - 1, fragment.column() - 1,
                (inner, depth) -> parseInterpolation(path, inner, depth, diagnostics), outerDepth);
        try {
            Expr expr = builder.expr(tree.expr());
            diagnostics.addAll(builder.diagnostics());
            return expr;
        } catch (RuntimeException incomplete) {
            diagnostics.addAll(builder.diagnostics());
            return null;
        }
    }

    private static Span span(String path, Token t) {
        int column = t.getCharPositionInLine() + 1;
        int width = t.getText() == null ? 1 : Math.max(1, t.getText().length());
        return new Span(path, t.getLine(), column, t.getLine(), column + width);
    }

    private static String printable(String s) {
        return s.codePoints().mapToObj(cp -> Character.isISOControl(cp) ? String.format("\\u%04x", cp) : Character.toString(cp))
                .reduce("", String::concat);
    }
}
