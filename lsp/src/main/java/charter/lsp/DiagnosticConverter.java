package charter.lsp;

import charter.compiler.diag.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;

/** A compiler diagnostic in the protocol's terms: its code (`CH402`), severity, message with the did-you-mean, and range. */
final class DiagnosticConverter {
    static final String SOURCE = "charter";

    private DiagnosticConverter() {}

    static org.eclipse.lsp4j.Diagnostic convert(Diagnostic d, TextPositions positions) {
        String message = d.message() + (d.suggestion() == null ? "" : " (did you mean `" + d.suggestion() + "`?)");
        var out = new org.eclipse.lsp4j.Diagnostic(positions.range(d.span()), message, severity(d), SOURCE, d.code().id());
        return out;
    }

    private static DiagnosticSeverity severity(Diagnostic d) {
        if (d.isError()) return DiagnosticSeverity.Error;
        return switch (d.severity().name()) {
            case "WARNING" -> DiagnosticSeverity.Warning;
            case "HINT" -> DiagnosticSeverity.Hint;
            default -> DiagnosticSeverity.Information;
        };
    }
}
