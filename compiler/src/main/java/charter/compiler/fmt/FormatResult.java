package charter.compiler.fmt;

import charter.compiler.diag.Diagnostic;
import java.util.List;

/**
 * What `charter fmt [--check]` needs about one file: whether it is already in
 * canonical form, and that form. A file with syntax errors is not formatted:
 * `formatted` is null and `diagnostics` says why.
 */
public record FormatResult(String path, boolean canonical, String formatted, List<Diagnostic> diagnostics) {
    public FormatResult {
        diagnostics = List.copyOf(diagnostics);
    }

    /** Whether the file parsed and so has a canonical form. */
    public boolean formattable() {
        return formatted != null;
    }
}
