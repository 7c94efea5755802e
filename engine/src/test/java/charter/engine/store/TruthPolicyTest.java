package charter.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.ast.Decl;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import java.nio.charset.StandardCharsets;
import charter.compiler.ast.Name;
import charter.engine.ingest.Normalised.Claim;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TruthPolicyTest {
    private static final Instant T = Instant.parse("2026-03-06T16:30:00Z");

    private static Claim claim(String attribute, Object value, String source, int minute) {
        return new Claim("deployment", "dpl_1", attribute, value, source, T.plusSeconds(60L * minute), source + ":" + minute);
    }

    private static final TruthPolicy VERCEL_OVER_GITHUB =
            TruthPolicy.builder().prefer("deployment", "status", "vercel", "github").build();

    @Test
    void thePreferredSourcesLatestClaimWinsOverANewerClaimOfAnotherSource() {
        List<Claim> claims = List.of(claim("status", "building", "vercel", 0), claim("status", "ready", "vercel", 5),
                claim("status", "failure", "github", 9));
        assertEquals("ready", VERCEL_OVER_GITHUB.values(claims).get("status"));
        assertEquals(claims.get(1), VERCEL_OVER_GITHUB.resolve(claims).get("status"));
    }

    @Test
    void theNextSourceInTheOrderWinsWhenTheFirstSaidNothing() {
        List<Claim> claims = List.of(claim("status", "queued", "github", 1), claim("status", "success", "github", 4),
                claim("status", "resolved", "sentry", 8));
        assertEquals("success", VERCEL_OVER_GITHUB.values(claims).get("status"));
    }

    @Test
    void withoutAPreferredSourceOrADeclarationTheLatestClaimWins() {
        List<Claim> claims = List.of(claim("status", "a", "linear", 3), claim("status", "b", "sentry", 7),
                claim("url", "https://old", "vercel", 9), claim("url", "https://new", "github", 10));
        Map<String, Object> values = VERCEL_OVER_GITHUB.values(claims);
        assertEquals("b", values.get("status"), "no claim from vercel or github: latest overall");
        assertEquals("https://new", values.get("url"), "url has no truth declaration");
        assertEquals(List.of("status", "url"), List.copyOf(values.keySet()));
    }

    @Test
    void aTieInTimeGoesToTheLaterClaimInLogOrder() {
        List<Claim> claims = List.of(claim("status", "first", "github", 2), claim("status", "second", "github", 2));
        assertEquals("second", TruthPolicy.latestWins().values(claims).get("status"));
        assertEquals("second", VERCEL_OVER_GITHUB.values(claims).get("status"));
    }

    @Test
    void declarationsApplyPerEntityTypeAndSourceNamesIgnoreCase() {
        Claim other = new Claim("pull_request", "acme/api#1", "status", "open", "vercel", T, "v");
        Claim newer = new Claim("pull_request", "acme/api#1", "status", "merged", "github", T.plusSeconds(1), "g");
        assertEquals("merged", VERCEL_OVER_GITHUB.values(List.of(other, newer)).get("status"));
        TruthPolicy upper = TruthPolicy.builder().prefer("deployment", "status", "Vercel").build();
        assertEquals("ready", upper.values(List.of(claim("status", "ready", "vercel", 0),
                claim("status", "error", "github", 1))).get("status"));
    }

    @Test
    void builtFromTheProgramsTruthDeclarations() {
        Decl.TruthDecl decl = new Decl.TruthDecl(new Name("deployment", null), new Name("status", null),
                List.of(new Name("vercel", null), new Name("github", null)), null);
        TruthPolicy policy = TruthPolicy.of(List.of(decl));
        assertEquals(List.of("vercel", "github"), policy.preference("deployment", "status"));
        assertEquals(List.of(), policy.preference("deployment", "url"));
        assertEquals("deployment.status prefer vercel over github", policy.toString());
        assertThrows(IllegalArgumentException.class, () -> TruthPolicy.of(List.of(decl, decl)));
    }

    @Test
    void builtFromACompiledProgram() {
        String program = """
                program "t"
                truth deployment.status prefer vercel over github
                rule r {
                  when vercel.deployment.error d
                  then slack.post(channel: "#x", text: "x")
                }
                """;
        ProgramFiles files = new ProgramFiles("t", Map.of(
                "charter.yaml", "name: t\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", program.getBytes(StandardCharsets.UTF_8)));
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(files);
        assertTrue(c.ok(), () -> c.diagnostics().toString());
        TruthPolicy policy = TruthPolicy.of(c.program());
        assertEquals(List.of("vercel", "github"), policy.preference("deployment", "status"));
    }

    @Test
    void noClaimsNoValues() {
        assertTrue(VERCEL_OVER_GITHUB.resolve(List.of()).isEmpty());
    }
}
