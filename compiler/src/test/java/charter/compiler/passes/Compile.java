package charter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.DiagnosticRenderer;
import charter.compiler.load.LoadedProgram;
import charter.compiler.load.ProgramFiles;
import charter.compiler.model.ResolvedProgram;
import charter.compiler.model.TypedProgram;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Runs load → parse → resolve → typecheck on in-memory files, collecting every diagnostic. */
final class Compile {
    static final TypeCatalog CATALOG = new TestCatalog();

    record Result(LoadedProgram loaded, ResolvedProgram resolved, TypedProgram typed, List<Diagnostic> diagnostics) {

        String rendered() {
            DiagnosticRenderer renderer = new DiagnosticRenderer(loaded == null ? Map.of() : loaded.sources());
            return diagnostics.stream().map(renderer::render).collect(Collectors.joining("\n"));
        }

        List<Diagnostic> with(Code code) {
            return diagnostics.stream().filter(d -> d.code() == code).toList();
        }

        /** The one diagnostic with this code at `file:line:col`; fails listing all diagnostics otherwise. */
        Diagnostic at(Code code, String where) {
            List<Diagnostic> found = diagnostics.stream().filter(d -> d.code() == code && String.valueOf(d.span()).equals(where)).toList();
            if (found.size() != 1) fail("expected one " + code.id() + " at " + where + ", got:\n" + rendered());
            return found.getFirst();
        }

        /** Asserts the diagnostic with this code at `where` and its did-you-mean suggestion (null: none). */
        Diagnostic assertAt(Code code, String where, String suggestion) {
            Diagnostic d = at(code, where);
            assertEquals(suggestion, d.suggestion(), () -> "suggestion of " + d);
            return d;
        }

        void assertClean() {
            if (!diagnostics.isEmpty()) fail("expected no diagnostics, got:\n" + rendered());
        }

        void assertOnly(Code... codes) {
            List<Code> actual = diagnostics.stream().map(Diagnostic::code).toList();
            if (!actual.equals(List.of(codes))) fail("expected " + List.of(codes) + ", got:\n" + rendered());
        }
    }

    static Result source(String main) {
        return files(Map.of("main.charter", main));
    }

    static Result files(Map<String, String> files) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        bytes.put(ProgramFiles.MANIFEST, "name: t\n".getBytes(StandardCharsets.UTF_8));
        files.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));
        return run(new ProgramFiles("test", bytes));
    }

    static Result run(ProgramFiles files) {
        Diagnostics diagnostics = new Diagnostics();
        LoadedProgram loaded = new LoadPass().run(files, diagnostics);
        if (loaded == null) return new Result(null, null, null, diagnostics.all());
        ParsedProgram parsed = new ParsePass().run(loaded, diagnostics);
        ResolvedProgram resolved = new ResolvePass().run(parsed, diagnostics);
        TypedProgram typed = resolved == null ? null : new TypecheckPass(CATALOG).run(resolved, diagnostics);
        return new Result(loaded, resolved, typed, diagnostics.all());
    }

    private Compile() {}
}
