package charter.compiler;

import charter.compiler.catalog.Catalog;
import charter.compiler.diag.DiagnosticRenderer;
import charter.compiler.load.ProgramFiles;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds in-memory Program folders and compiles them with the real catalog. */
public final class TestPrograms {
    private static final ProgramCompiler COMPILER = new ProgramCompiler(Catalog.standard());

    private TestPrograms() {}

    public static ProgramFiles files(String mainCharter) {
        return files(Map.of("main.charter", mainCharter));
    }

    public static ProgramFiles files(Map<String, String> charterFiles) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("charter.yaml", "name: t\n".getBytes(StandardCharsets.UTF_8));
        charterFiles.forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return new ProgramFiles("t", files);
    }

    public static Compilation compile(String mainCharter) {
        return COMPILER.compile(files(mainCharter));
    }

    public static Compilation check(ProgramFiles files) {
        return COMPILER.check(files);
    }

    public static Compilation compile(ProgramFiles files) {
        return COMPILER.compile(files);
    }

    public static String rendered(Compilation c) {
        DiagnosticRenderer renderer = new DiagnosticRenderer(c.sources());
        StringBuilder out = new StringBuilder();
        c.diagnostics().forEach(d -> out.append(renderer.render(d)));
        return out.toString();
    }
}
