package charter.compiler.load;

import charter.compiler.diag.SourceText;
import java.util.Map;

/** Output of the load pass: the manifest, every decoded source text, and the Program's content hash. */
public record LoadedProgram(String root, Manifest manifest, Map<String, SourceText> sources, String version) {
    public LoadedProgram {
        sources = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sources));
    }
}
