package charter.engine.language;

import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.DiagnosticRenderer;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Compiles one-file Programs and builds inputs for the language-construct tests. */
final class Programs {
    static final Instant T0 = Instant.parse("2026-04-09T09:00:00Z");

    private Programs() {}

    static CompiledProgram compile(String source) {
        ProgramFiles files = new ProgramFiles("t", Map.of(
                "charter.yaml", "name: t\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", source.getBytes(StandardCharsets.UTF_8)));
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(files);
        DiagnosticRenderer r = new DiagnosticRenderer(c.sources());
        assertTrue(c.ok(), () -> c.diagnostics().stream().map(r::render).reduce("", String::concat)
                + "\n" + (c.drl() == null ? "" : c.drl().drl()));
        return c.program();
    }

    static CanonicalEvent event(String id, String type, Instant time, Map<String, Object> data) {
        return new CanonicalEvent(id, type.substring(0, type.indexOf('.')), type, time, data, List.of(), null);
    }

    static IntentRequest intent(String id, String name, Instant time, Map<String, Object> params) {
        return new IntentRequest(id, name, "someone", null, time, params, null);
    }

    static Instant at(long millis) {
        return T0.plusMillis(millis);
    }
}
