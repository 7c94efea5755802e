package charter.compiler.fmt;

import charter.compiler.ast.SourceFile;
import charter.compiler.diag.Diagnostic;
import charter.compiler.parse.ProgramParser;

/**
 * The canonical text of a Program file, like `gofmt`: printed from the AST, so the
 * result does not depend on the input's layout, keeps every comment, never changes
 * meaning, and formatting it again changes nothing.
 */
public final class ProgramFormatter {
    /** Lines are broken (action arguments, lists, calls, members, parameters) to stay within this many columns. */
    public static final int WIDTH = 100;

    private ProgramFormatter() {}

    /** The canonical text of a parsed file; the file must have parsed without errors. */
    public static String format(SourceFile file) {
        return new Printer(file).print(file.decls());
    }

    /** Parses `text` and compares it with its canonical form; a file with syntax errors is not formatted. */
    public static FormatResult check(String path, String text) {
        ProgramParser.Result parsed = new ProgramParser().parse(path, text);
        if (parsed.diagnostics().stream().anyMatch(Diagnostic::isError)) {
            return new FormatResult(path, false, null, parsed.diagnostics());
        }
        String formatted = format(parsed.file());
        return new FormatResult(path, formatted.equals(text), formatted, parsed.diagnostics());
    }
}
