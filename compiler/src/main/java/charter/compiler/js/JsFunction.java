package charter.compiler.js;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Span;
import charter.compiler.types.Type;
import java.util.List;
import org.graalvm.polyglot.Source;

/**
 * One `function js` of a Program, ready to run: its signature and its JavaScript
 * source, built once per Program version so that the engine parses it once.
 *
 * <p>The source puts the body on the Program's own lines: line 1 of the source is
 * the line of the body's `{`, so a JavaScript line maps to a Program line by adding
 * {@code bodySpan.line() - 1}.
 */
public record JsFunction(int index, String name, List<String> paramNames, List<Type> params, Type result,
                         Span declSpan, Span bodySpan, Source source) {

    /** The largest body accepted; larger functions belong in a proper service, not a Program. */
    public static final int MAX_BODY_CHARS = 64 * 1024;

    public static JsFunction of(int index, Decl.FunctionDecl decl, List<Type> params, Type result) {
        String prefix = prefix(decl);
        String text = prefix + decl.body() + ")";
        Source source = Source.newBuilder("js", text, decl.bodySpan().file() + "#" + decl.name().text()).cached(true).buildLiteral();
        return new JsFunction(index, decl.name().text(), decl.params().stream().map(p -> p.name().text()).toList(),
                List.copyOf(params), result, decl.span(), decl.bodySpan(), source);
    }

    /** What goes before the body on its first line: strict mode and a named function expression. */
    static String prefix(Decl.FunctionDecl decl) {
        return "'use strict'; (function " + decl.name().text() + "("
                + String.join(", ", decl.params().stream().map(p -> p.name().text()).toList()) + ") ";
    }

    /** `risk (main.charter:12)`: how errors name the function. */
    public String where() {
        return "`" + name + "` (" + declSpan.file() + ":" + declSpan.line() + ")";
    }

    /** The Program line of a line of the source. */
    int programLine(int sourceLine) {
        return bodySpan.line() + sourceLine - 1;
    }
}
