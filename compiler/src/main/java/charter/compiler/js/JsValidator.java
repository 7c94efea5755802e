package charter.compiler.js;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Span;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import java.util.Optional;
import java.util.Set;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/**
 * Checks a function's JavaScript at compile time, with GraalJS's own parser
 * ({@code Context.parse}: nothing runs), and reports a syntax error at its line and
 * column in the Program file. The parser also delimits the body: what the Program's
 * lexer took for the body must be exactly one function body (see {@link #singleBody}).
 * Each check uses a parse-only context of its own, closed after it.
 */
public final class JsValidator {
    private JsValidator() {}

    /** Deeper bracket nesting than this is refused before parsing, so that no body can overflow the parser's stack. */
    public static final int MAX_NESTING = 200;

    /** Words a parameter cannot be named, since it becomes a JavaScript parameter. */
    public static final Set<String> RESERVED = Set.of("break", "case", "catch", "class", "const", "continue", "debugger",
            "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if",
            "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try",
            "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements", "interface", "package",
            "private", "protected", "public", "await", "arguments", "eval", "undefined", "NaN", "Infinity");

    public static Optional<Diagnostic> check(Decl.FunctionDecl decl) {
        Span body = decl.bodySpan();
        if (decl.body().length() > JsFunction.MAX_BODY_CHARS) {
            return Optional.of(Diagnostic.error(Code.JS_FUNCTION, Span.at(body.file(), body.line(), body.column()),
                    "the body of function `" + decl.name().text() + "` is " + (decl.body().length() / 1024) + " KiB; a function may be at most "
                            + JsFunction.MAX_BODY_CHARS / 1024 + " KiB — move large logic out of the Program"));
        }
        int depth = 0;
        int line = body.line();
        for (int i = 0; i < decl.body().length(); i++) {
            char c = decl.body().charAt(i);
            if (c == '\n') line++;
            if (c == '(' || c == '[' || c == '{') depth++;
            if (c == ')' || c == ']' || c == '}') depth--;
            if (depth > MAX_NESTING) {
                return Optional.of(Diagnostic.error(Code.JS_FUNCTION, Span.at(body.file(), line, 1),
                        "brackets in function `" + decl.name().text() + "` are nested more than " + MAX_NESTING + " deep"));
            }
        }
        String prefix = JsFunction.prefix(decl);
        Source source = Source.newBuilder("js", prefix + decl.body() + ")", body.file() + "#" + decl.name().text()).buildLiteral();
        try (Context parser = JsSandbox.newParserContext()) {
            parser.parse(source);
            return singleBody(parser, decl);
        } catch (PolyglotException e) {
            // A long flat chain of operators (`1 + 1 + ...`) nests GraalJS's tree without a bracket.
            if (e.isResourceExhausted()) return Optional.of(tooDeep(decl));
            if (!e.isSyntaxError()) throw e;
            SourceSection at = e.getSourceLocation();
            Span span = Span.at(body.file(), body.line(), body.column());
            if (at != null && at.isAvailable() && at.getCharIndex() >= prefix.length()) {
                int offset = Math.min(at.getCharIndex() - prefix.length(), decl.body().length());
                String before = decl.body().substring(0, offset);
                int lines = (int) before.chars().filter(ch -> ch == '\n').count();
                int column = lines == 0 ? body.column() + offset : offset - before.lastIndexOf('\n');
                span = Span.at(body.file(), body.line() + lines, column);
            }
            return Optional.of(Diagnostic.error(Code.JS_FUNCTION, span,
                    "JavaScript syntax error in function `" + decl.name().text() + "`: " + message(e)));
        } catch (StackOverflowError e) {
            return Optional.of(tooDeep(decl));
        }
    }

    private static Diagnostic tooDeep(Decl.FunctionDecl decl) {
        Span body = decl.bodySpan();
        return Diagnostic.error(Code.JS_FUNCTION, Span.at(body.file(), body.line(), body.column()),
                "function `" + decl.name().text() + "` is too deeply nested to parse (a bracket nest or a chain of operators"
                        + " too long); split it into smaller expressions");
    }

    /** GraalJS prefixes its message with `name:line:col `; the diagnostic has its own location. */
    private static String message(PolyglotException e) {
        String m = e.getMessage() == null ? "syntax error" : e.getMessage();
        int newline = m.indexOf('\n');
        if (newline >= 0) m = m.substring(0, newline);
        return m.replaceFirst("\\S+#\\S+:\\d+:\\d+ ", "");
    }

    /**
     * The body between the braces must be one JavaScript function body on its own: the
     * `Function` constructor parses it alone (as the language requires), so a body that
     * closes its function early and goes on with top-level code (`}); let n = 0; (function
     * g(x) {`) fails here, although the whole source parses. Nothing runs: a function
     * object is made and dropped.
     */
    private static Optional<Diagnostic> singleBody(Context parser, Decl.FunctionDecl decl) {
        String body = decl.body();
        String inner = body.substring(1, body.length() - 1);
        String params = String.join(", ", decl.params().stream().map(p -> p.name().text()).toList());
        try {
            parser.eval("js", "(function (params, body) { Function(params, body); })").execute(params, STRICT + inner);
            return Optional.empty();
        } catch (PolyglotException e) {
            if (e.isResourceExhausted()) return Optional.of(tooDeep(decl));
            if (!e.isSyntaxError()) throw e;
            Span b = decl.bodySpan();
            Span span = Span.at(b.file(), b.line(), b.column());
            SourceSection at = e.getSourceLocation();
            if (at != null && at.isAvailable() && at.getCharIndex() >= STRICT.length()
                    && at.getSource().getCharacters().toString().endsWith(inner)) {
                int start = at.getSource().getCharacters().length() - inner.length();
                span = spanAt(decl, 1 + Math.max(0, at.getCharIndex() - start));
            }
            return Optional.of(Diagnostic.error(Code.JS_FUNCTION, span, "the body of function `" + decl.name().text()
                    + "` is not one JavaScript function body: " + message(e)
                    + " (a function is a single body; code after its closing brace is not allowed)"));
        }
    }

    private static final String STRICT = "'use strict';";

    /** The Program position of a character of the body. */
    private static Span spanAt(Decl.FunctionDecl decl, int offset) {
        Span body = decl.bodySpan();
        offset = Math.min(offset, decl.body().length());
        String before = decl.body().substring(0, offset);
        int lines = (int) before.chars().filter(ch -> ch == '\n').count();
        int column = lines == 0 ? body.column() + offset : offset - before.lastIndexOf('\n');
        return Span.at(body.file(), body.line() + lines, column);
    }
}
