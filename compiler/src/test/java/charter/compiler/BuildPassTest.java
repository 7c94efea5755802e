package charter.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Code;
import charter.compiler.generate.GeneratedDrl;
import charter.compiler.passes.BuildPass;
import charter.compiler.passes.CatalogTypes;
import charter.compiler.passes.Diagnostics;
import charter.compiler.passes.LinkPass;
import org.junit.jupiter.api.Test;

/** A Drools error on generated DRL is the compiler's bug: reported as CH901 at the Program construct it came from. */
class BuildPassTest {

    @Test
    void droolsErrorsBecomeInternalCompilerErrorsWithTheOriginatingRule() {
        Compilation ok = TestPrograms.check(TestPrograms.files("""
                program "t"
                rule page { when vercel.deployment.error d then slack.post(channel: "#a", text: "x") }
                """));
        GeneratedDrl good = ok.drl();
        // Corrupt the generated rule's body the way a generator bug would.
        String broken = good.drl().replace("out.ruleFired(0,", "out.noSuchMethod(0,");
        GeneratedDrl corrupted = new GeneratedDrl(good.core(), broken, good.sourceMap());
        Diagnostics diagnostics = new Diagnostics();
        var linked = new LinkPass(CatalogTypes.defaultSignificance(Catalog.standard())).run(corrupted, diagnostics);
        var result = new BuildPass().run(linked, diagnostics);
        assertNull(result);
        var d = diagnostics.all().getFirst();
        assertEquals(Code.INTERNAL, d.code());
        assertTrue(d.message().contains("bug in Charter"), d.message());
        assertTrue(d.message().contains("`page`"), d.message());
        assertEquals(2, d.span().line());
    }
}
