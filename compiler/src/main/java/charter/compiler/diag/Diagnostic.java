package charter.compiler.diag;

import charter.compiler.ast.Span;

/**
 * One finding of the compiler, in the Program's terms: what is wrong, where, and
 * (when a name is misspelt) what was probably meant. `suggestion` may be null.
 */
public record Diagnostic(Severity severity, Code code, String message, Span span, String suggestion) {

    public static Diagnostic error(Code code, Span span, String message) {
        return new Diagnostic(Severity.ERROR, code, message, span, null);
    }

    public static Diagnostic warning(Code code, Span span, String message) {
        return new Diagnostic(Severity.WARNING, code, message, span, null);
    }

    public Diagnostic withSuggestion(String suggestion) {
        return new Diagnostic(severity, code, message, span, suggestion);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
