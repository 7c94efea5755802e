package charter.compiler;

import charter.compiler.catalog.Catalog;
import charter.compiler.diag.SourceText;
import charter.compiler.generate.GeneratedDrl;
import charter.compiler.load.LoadedProgram;
import charter.compiler.load.ProgramFiles;
import charter.compiler.model.ResolvedProgram;
import charter.compiler.model.TypedProgram;
import charter.compiler.core.CoreProgram;
import charter.compiler.passes.BuildPass;
import charter.compiler.passes.CatalogTypes;
import charter.compiler.passes.CheckCache;
import charter.compiler.passes.Diagnostics;
import charter.compiler.passes.GeneratePass;
import charter.compiler.passes.LinkPass;
import charter.compiler.passes.LoadPass;
import charter.compiler.passes.LowerPass;
import charter.compiler.passes.ParsePass;
import charter.compiler.passes.ParsedProgram;
import charter.compiler.passes.Pass;
import charter.compiler.passes.ResolvePass;
import charter.compiler.passes.TypecheckPass;
import charter.compiler.passes.ValidatePass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The compiler, as an explicit list of named passes, each its own class taking and
 * returning plain data:
 *
 * <pre>
 * load → parse → resolve → typecheck → lower → validate → generate → link → build
 * </pre>
 *
 * A pass that reports an error stops the pipeline after it (parse errors would
 * only cascade into name and type errors). Validate only warns. A caller says how far
 * to go with a {@link Stage}: `check` stops after generate, the reference interpreter's
 * callers after link (a Program without a KieBase), and only what runs Drools pays for build.
 */
public final class ProgramCompiler {
    public static final List<String> PASSES = List.of("load", "parse", "resolve", "typecheck", "lower", "validate", "generate", "link", "build");

    /** How far a compilation goes: the last pass it runs. */
    public enum Stage {
        /** Diagnostics and DRL, no Program: `charter check`, the language server. */
        GENERATED("generate"),
        /** A Program without a KieBase, for the reference interpreter: explain, `simulate --engine reference`. */
        LINKED("link"),
        /** A Program Drools can run. */
        BUILT("build");

        private final String lastPass;

        Stage(String lastPass) {
            this.lastPass = lastPass;
        }

        /** The name of the last pass this stage runs. */
        public String lastPass() {
            return lastPass;
        }
    }

    private final LoadPass load = new LoadPass();
    private final ParsePass parse;
    private final ResolvePass resolve = new ResolvePass();
    private final TypecheckPass typecheck;
    private final LowerPass lower = new LowerPass();
    private final ValidatePass validate = new ValidatePass();
    private final GeneratePass generate = new GeneratePass();
    private final LinkPass link;
    private final BuildPass build = new BuildPass();

    public ProgramCompiler(Catalog catalog) {
        this(catalog, CheckCache.NONE);
    }

    /** A compiler that remembers parses and JavaScript checks of unchanged text between runs (the language server's). */
    public ProgramCompiler(Catalog catalog, CheckCache cache) {
        this.parse = new ParsePass(cache);
        this.typecheck = new TypecheckPass(new CatalogTypes(catalog), cache);
        this.link = new LinkPass(CatalogTypes.defaultSignificance(catalog));
    }

    /** Up to generate: diagnostics and DRL, no Program. */
    public Compilation check(ProgramFiles files) {
        return compile(files, Stage.GENERATED);
    }

    /** Every pass: a runnable Program when there is no error. */
    public Compilation compile(ProgramFiles files) {
        return compile(files, Stage.BUILT);
    }

    /** The passes up to {@code upTo}'s last one; the Program (for LINKED and BUILT) when there is no error. */
    public Compilation compile(ProgramFiles files, Stage upTo) {
        Diagnostics diagnostics = new Diagnostics();
        List<String> ran = new ArrayList<>();
        LoadedProgram loaded = step(load, files, diagnostics, ran);
        Map<String, SourceText> sources = loaded == null ? Map.of() : loaded.sources();
        if (loaded == null) return new Compilation(files.root(), sources, diagnostics.all(), ran, null, null);
        ParsedProgram parsed = step(parse, loaded, diagnostics, ran);
        ResolvedProgram resolved = parsed == null ? null : step(resolve, parsed, diagnostics, ran);
        TypedProgram typed = resolved == null ? null : step(typecheck, resolved, diagnostics, ran);
        CoreProgram core = typed == null ? null : step(lower, typed, diagnostics, ran);
        CoreProgram validated = core == null ? null : step(validate, core, diagnostics, ran);
        GeneratedDrl drl = validated == null ? null : step(generate, validated, diagnostics, ran);
        CompiledProgram linked = drl == null || upTo == Stage.GENERATED ? null : step(link, drl, diagnostics, ran);
        CompiledProgram program = linked == null || upTo == Stage.LINKED ? linked : step(build, linked, diagnostics, ran);
        return new Compilation(files.root(), sources, diagnostics.all(), ran, drl, program);
    }

    /** Runs one pass; its output is dropped when the pass reported an error, which stops the pipeline. */
    private static <I, O> O step(Pass<I, O> pass, I input, Diagnostics diagnostics, List<String> ran) {
        boolean before = diagnostics.hasErrors();
        O output = pass.run(input, diagnostics);
        ran.add(pass.name());
        return before || diagnostics.hasErrors() ? null : output;
    }
}
