package charter.compiler.passes;

import charter.compiler.ast.SourceFile;
import charter.compiler.load.LoadedProgram;
import java.util.List;

/** Output of the parse pass: every `.charter` file of the folder as an AST, in path order. */
public record ParsedProgram(LoadedProgram loaded, List<SourceFile> files) {
    public ParsedProgram { files = List.copyOf(files); }
}
