package charter.compiler.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import charter.compiler.Compilation;
import charter.compiler.TestPrograms;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import java.util.List;

/** `charter check` on one file with the real catalog, and assertions on its diagnostics. */
record Checked(Compilation compilation) {
    static Checked of(String source) {
        return new Checked(TestPrograms.check(TestPrograms.files(source)));
    }

    String rendered() {
        return TestPrograms.rendered(compilation);
    }

    void assertClean() {
        if (!compilation.diagnostics().isEmpty()) fail("expected no diagnostics, got:\n" + rendered());
    }

    /** The only diagnostic, with this code at `main.charter:line:col`. */
    Diagnostic assertOnly(Code code, String where) {
        List<Diagnostic> all = compilation.diagnostics();
        if (all.size() != 1 || all.getFirst().code() != code || !String.valueOf(all.getFirst().span()).equals(where)) {
            fail("expected only " + code.id() + " at " + where + ", got:\n" + rendered());
        }
        return all.getFirst();
    }

    void assertSuggestion(String suggestion) {
        assertEquals(suggestion, compilation.diagnostics().getFirst().suggestion(), this::rendered);
    }
}
