package charter.lsp;

import charter.compiler.Compilation;
import charter.compiler.diag.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the server knows about one Program after a check: the compiler's diagnostics by file
 * (Program-relative path; "" for those without a place) and the index of its declarations.
 *
 * @param root    the Program folder
 * @param files   every file of the Program the check saw, Program-relative
 */
record ProgramAnalysis(Path root, List<String> files, Map<String, List<Diagnostic>> diagnostics, ProgramIndex index,
                       Compilation compilation) {
    static ProgramAnalysis empty(Path root) {
        return new ProgramAnalysis(root, List.of(), Map.of(), ProgramIndex.EMPTY, null);
    }
}
