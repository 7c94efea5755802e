package charter.compiler.parse;

import charter.compiler.ast.Expr;
import charter.compiler.ast.Span;
import charter.compiler.ast.SourceFile;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.grammar.CharterLexer;
import charter.grammar.CharterParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;

/** Parses one file's text into a {@link SourceFile}, collecting every syntax error. */
public final class ProgramParser {
    /** Deeper nesting than this is refused before parsing, so that no input can overflow the parser's stack. */
    public static final int MAX_NESTING = 64;

    public record Result(SourceFile file, List<Diagnostic> diagnostics) {}

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

        CharterParser parser = new CharterParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        CharterParser.FileContext tree = parser.file();

        AstBuilder builder = new AstBuilder(path, 0, 0, fragment -> parseInterpolation(path, fragment, diagnostics));
        var decls = builder.file(tree);
        diagnostics.addAll(errors.diagnostics());
        diagnostics.addAll(builder.diagnostics());
        diagnostics.sort(java.util.Comparator.comparingInt((Diagnostic d) -> d.span().line()).thenComparingInt(d -> d.span().column()));
        return new Result(new SourceFile(path, decls, comments), diagnostics);
    }

    private static Expr parseInterpolation(String path, StringLiteralParser.Fragment fragment, List<Diagnostic> diagnostics) {
        CollectingErrorListener errors = new CollectingErrorListener(path, fragment.line() - 1, fragment.column() - 1);
        CharterLexer lexer = new CharterLexer(CharStreams.fromString(fragment.text(), path));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        CharterParser parser = new CharterParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        CharterParser.StandaloneExprContext tree = parser.standaloneExpr();
        if (!errors.diagnostics().isEmpty()) {
            diagnostics.addAll(errors.diagnostics());
            return null;
        }
        AstBuilder builder = new AstBuilder(path, fragment.line() - 1, fragment.column() - 1,
                inner -> parseInterpolation(path, inner, diagnostics));
        try {
            Expr expr = builder.expr(tree.expr());
            diagnostics.addAll(builder.diagnostics());
            return expr;
        } catch (RuntimeException incomplete) {
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
