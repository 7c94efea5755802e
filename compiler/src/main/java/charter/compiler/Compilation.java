package charter.compiler;

import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.SourceText;
import charter.compiler.generate.GeneratedDrl;
import java.util.List;
import java.util.Map;

/**
 * What one run of the compiler produced: every diagnostic, the sources to quote
 * them from, and as far as the passes got, the generated DRL and the runnable Program.
 *
 * @param passesRun the names of the passes that ran, in order
 * @param drl       null when a pass before generate failed
 * @param program   null unless every pass up to link succeeded (and build, when the compilation went that far);
 *                  without a KieBase when it stopped at {@link ProgramCompiler.Stage#LINKED}
 */
public record Compilation(String root, Map<String, SourceText> sources, List<Diagnostic> diagnostics,
                          List<String> passesRun, GeneratedDrl drl, CompiledProgram program) {
    public Compilation {
        sources = Map.copyOf(sources);
        // In file and line order, the way people read them; diagnostics without a place come first.
        diagnostics = diagnostics.stream().sorted(java.util.Comparator.comparing(
                (charter.compiler.diag.Diagnostic d) -> d.span() == null ? "" : d.span().file())
                .thenComparingInt(d -> d.span() == null ? 0 : d.span().line())
                .thenComparingInt(d -> d.span() == null ? 0 : d.span().column())).toList();
        passesRun = List.copyOf(passesRun);
    }

    public boolean ok() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    public long errorCount() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }
}
