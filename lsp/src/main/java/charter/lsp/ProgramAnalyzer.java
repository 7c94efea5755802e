package charter.lsp;

import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.ast.Decl;
import charter.compiler.ast.SourceFile;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.SourceText;
import charter.compiler.load.ProgramFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a Program folder as the editor sees it: the files on disk with the open buffers laid
 * over them, through the compiler's own `check` (every pass but the Drools build), so the editor
 * shows exactly what `charter check` would print once the buffers are saved.
 */
final class ProgramAnalyzer {
    private final ProgramCompiler compiler;
    private final ParseCache parses;

    ProgramAnalyzer(ParseCache parses) {
        this.parses = parses;
        this.compiler = new ProgramCompiler(Catalog.standard(), parses.compilerCache());
    }

    /**
     * @param root    the Program folder
     * @param overlay the open buffers of files inside it, by Program-relative path
     */
    ProgramAnalysis analyze(Path root, Map<String, String> overlay) throws ProgramFiles.NoSuchProgramException {
        ProgramFiles disk = ProgramFiles.fromDirectory(root);
        Map<String, byte[]> files = new TreeMap<>(disk.files());
        Map<String, Long> oversized = new TreeMap<>(disk.oversized());
        overlay.forEach((path, text) -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            // The same limit as on disk: an editor buffer is not a way around it.
            if (bytes.length > ProgramFiles.MAX_FILE_BYTES) {
                files.remove(path);
                oversized.put(path, (long) bytes.length);
            } else {
                files.put(path, bytes);
                oversized.remove(path);
            }
        });
        ProgramFiles merged = new ProgramFiles(root.toString(), files, oversized, disk.outside());
        return analysis(root, compiler.check(merged));
    }

    /** The entry file of the Program a lone `.charter` file is checked in, when the file has no `program` line itself. */
    static final String LONE_ENTRY = "charter-lsp-entry.charter";

    /**
     * A `.charter` file outside any Program folder is checked as a Program of its own, with a
     * stand-in manifest; a file without a `program` line is imported by a stand-in entry file,
     * so that it is not told it lacks one.
     */
    ProgramAnalysis analyzeAlone(Path file, String text) {
        String name = file.getFileName().toString();
        boolean hasProgram = parses.parse(name, text).file().decls().stream().anyMatch(d -> d instanceof Decl.ProgramDecl);
        String main = hasProgram ? name : LONE_ENTRY;
        // A double-quoted YAML scalar and a Charter string both take any name once `\` and `"` are escaped.
        String quoted = "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Map<String, byte[]> files = new TreeMap<>();
        files.put(ProgramFiles.MANIFEST, ("name: scratch\nmain: " + (hasProgram ? quoted : LONE_ENTRY) + "\n").getBytes(StandardCharsets.UTF_8));
        files.put(name, text.getBytes(StandardCharsets.UTF_8));
        if (!hasProgram) files.put(LONE_ENTRY, ("program \"scratch\"\n\nimport " + quoted + "\n").getBytes(StandardCharsets.UTF_8));
        Compilation compilation = compiler.check(new ProgramFiles(file.getParent().toString(), files));
        ProgramAnalysis analysis = analysis(file.getParent(), compilation);
        // The stand-ins are not the user's: nothing to report on them.
        Map<String, List<Diagnostic>> diagnostics = new LinkedHashMap<>(analysis.diagnostics());
        diagnostics.remove(ProgramFiles.MANIFEST);
        diagnostics.remove(LONE_ENTRY);
        if (!main.equals(name)) diagnostics.remove("");
        return new ProgramAnalysis(analysis.root(), List.of(name), diagnostics, analysis.index(), compilation);
    }

    private ProgramAnalysis analysis(Path root, Compilation compilation) {
        Map<String, List<Diagnostic>> byFile = new LinkedHashMap<>();
        for (Diagnostic d : compilation.diagnostics()) {
            byFile.computeIfAbsent(d.span() == null ? "" : d.span().file(), k -> new ArrayList<>()).add(d);
        }
        Map<String, SourceFile> parsed = new TreeMap<>();
        for (SourceText source : compilation.sources().values()) {
            if (source.path().endsWith(".charter")) parsed.put(source.path(), parses.parse(source.path(), source.text()).file());
        }
        List<String> files = new ArrayList<>(compilation.sources().keySet());
        return new ProgramAnalysis(root, files, byFile, ProgramIndex.of(parsed), compilation);
    }
}
