package charter.cli.report;

import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.SourceText;
import java.util.List;
import java.util.Map;

/** Diagnostics with the source texts to quote them from (the text renderer shows the line and a caret). */
public record DiagnosticSet(List<Diagnostic> all, Map<String, SourceText> sources) {
    public static final DiagnosticSet EMPTY = new DiagnosticSet(List.of(), Map.of());

    public DiagnosticSet {
        all = List.copyOf(all);
        sources = Map.copyOf(sources);
    }

    public long errors() {
        return all.stream().filter(Diagnostic::isError).count();
    }

    public long warnings() {
        return all.size() - errors();
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }
}
