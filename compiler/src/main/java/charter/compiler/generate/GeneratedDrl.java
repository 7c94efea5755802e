package charter.compiler.generate;

import charter.compiler.ast.Span;
import charter.compiler.core.CoreProgram;
import java.util.List;

/**
 * Output of the generate pass: the DRL text and, per generated rule, its lines and
 * the Program span it came from; the core Program travels along for the build pass.
 */
public record GeneratedDrl(CoreProgram core, String drl, List<SourceMapEntry> sourceMap) {
    public GeneratedDrl {
        sourceMap = List.copyOf(sourceMap);
    }

    /** Generated lines [firstLine, lastLine] (1-based) come from the Program construct `ownerId` at `span`. */
    public record SourceMapEntry(int firstLine, int lastLine, String drlRule, String ownerId, Span span) {}

    public SourceMapEntry entryForLine(int line) {
        for (SourceMapEntry e : sourceMap) if (line >= e.firstLine() && line <= e.lastLine()) return e;
        return null;
    }
}
