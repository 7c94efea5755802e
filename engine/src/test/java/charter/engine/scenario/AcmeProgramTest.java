package charter.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.DiagnosticRenderer;
import charter.compiler.load.ProgramFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The acme example Program: it compiles cleanly. */
public class AcmeProgramTest {
    static final Path ACME = Path.of("../program-examples/acme");

    static Compilation compilation() throws Exception {
        return new ProgramCompiler(Catalog.standard()).compile(ProgramFiles.fromDirectory(ACME));
    }

    public static CompiledProgram acme() throws Exception {
        Compilation c = compilation();
        assertTrue(c.ok(), () -> render(c));
        return c.program();
    }

    static String render(Compilation c) {
        DiagnosticRenderer r = new DiagnosticRenderer(c.sources());
        return c.diagnostics().stream().map(r::render).reduce("", String::concat);
    }

    @Test
    void compilesWithZeroDiagnostics() throws Exception {
        Compilation c = compilation();
        assertEquals(List.of(), c.diagnostics(), () -> render(c));
        CompiledProgram p = c.program();
        assertEquals("acme", p.name());
        assertTrue(p.rules().size() >= 15, "rules: " + p.rules().size());
        assertTrue(p.guards().size() + p.stateInvariants().size() >= 5);
        assertTrue(p.intents().size() >= 3);
    }
}
