package charter.compiler.passes;

import charter.compiler.ast.SourceFile;
import charter.compiler.load.LoadedProgram;
import charter.compiler.parse.ProgramParser;
import java.util.ArrayList;
import java.util.List;

/** Pass 1, parse: ANTLR → AST with source spans, for every `.charter` file; every syntax error is reported. */
public final class ParsePass implements Pass<LoadedProgram, ParsedProgram> {
    private final ProgramParser parser = new ProgramParser();
    private final CheckCache cache;

    public ParsePass() {
        this(CheckCache.NONE);
    }

    public ParsePass(CheckCache cache) {
        this.cache = cache;
    }

    @Override
    public String name() {
        return "parse";
    }

    @Override
    public ParsedProgram run(LoadedProgram input, Diagnostics diagnostics) {
        List<SourceFile> files = new ArrayList<>();
        for (var source : input.sources().values()) {
            if (!source.path().endsWith(".charter")) continue;
            ProgramParser.Result result = cache.parse(source.path(), source.text(), () -> parser.parse(source.path(), source.text()));
            diagnostics.reportAll(result.diagnostics());
            files.add(result.file());
        }
        return new ParsedProgram(input, files);
    }
}
