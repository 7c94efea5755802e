package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.load.ProgramFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The bounds and paths of a Program change proposed as text, by seeded generators. */
class ProposedFilesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PARTS = List.of("rules", "a", ".", "..", "", ".hidden", "x.charter", "charter.yaml", "b.txt", "c:d", "e\\f",
            "%2e%2e", "deploys.charter", "\u0001");

    static String randomPath(Random random) {
        StringBuilder b = new StringBuilder(random.nextInt(8) == 0 ? "/" : "");
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append('/');
            b.append(PARTS.get(random.nextInt(PARTS.size())));
        }
        return b.toString();
    }

    /**
     * Every path a proposal may name stays inside the Program folder once resolved, is written as
     * it resolves (no `.`, `..` or empty part), and is a file a Program folder reads; the rest are
     * refused with a reason.
     */
    @Test
    void anAcceptedPathStaysInsideTheFolderAndIsAProgramFile() {
        Random random = new Random(Long.getLong("proposal.seed", 20261205L));
        Path folder = Path.of("/program");
        int accepted = 0;
        for (int i = 0; i < 5_000; i++) {
            String path = randomPath(random);
            String problem = ProposedFiles.pathProblem(path);
            if (problem != null) continue;
            accepted++;
            Path resolved = folder.resolve(path).normalize();
            assertTrue(resolved.startsWith(folder), path + " leaves the folder");
            assertEquals(path, folder.relativize(resolved).toString().replace('\\', '/'), path + " is not written as it resolves");
            assertTrue(path.equals(ProgramFiles.MANIFEST) || path.endsWith(".charter"), path);
            assertTrue(path.chars().noneMatch(c -> c < 0x20), path);
        }
        assertTrue(accepted > 50, "the generator reaches accepted paths: " + accepted);
        for (String bad : List.of("../x.charter", "/x.charter", "a/../x.charter", "a//x.charter", "./x.charter", ".git/x.charter", "x.txt", "C:x.charter", "a\\x.charter", "")) {
            assertTrue(ProposedFiles.pathProblem(bad) != null, bad);
        }
    }

    /** The proposal over a base: its files replace or add, null removes, and every other file of the base is kept as it was. */
    @Test
    void theProposalIsAppliedOverTheBaseAndNothingElseChanges() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            Map<String, byte[]> base = new TreeMap<>();
            for (int i = 0; i < random.nextInt(6); i++) base.put("f" + random.nextInt(8) + ".charter", ("base " + i).getBytes(StandardCharsets.UTF_8));
            ObjectNode files = JSON.createObjectNode();
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                String p = "f" + random.nextInt(8) + ".charter";
                if (random.nextBoolean()) files.putNull(p);
                else files.put(p, "proposed " + i + " é");
            }
            ProposedFiles proposal = ProposedFiles.parse(files);
            Map<String, byte[]> out = proposal.over(new ProgramFiles("/p", base)).files();
            for (String p : new java.util.TreeSet<>(List.of("f0.charter", "f1.charter", "f2.charter", "f3.charter", "f4.charter", "f5.charter", "f6.charter", "f7.charter"))) {
                if (files.has(p)) {
                    if (files.get(p).isNull()) assertNull(out.get(p), p);
                    else assertEquals(files.get(p).asText(), new String(out.get(p), StandardCharsets.UTF_8), p);
                } else if (base.containsKey(p)) {
                    assertEquals(new String(base.get(p), StandardCharsets.UTF_8), new String(out.get(p), StandardCharsets.UTF_8), p);
                } else {
                    assertNull(out.get(p), p);
                }
            }
        }
    }

    @Test
    void sizeAndShapeAreBoundedWithACode() {
        ObjectNode many = JSON.createObjectNode();
        for (int i = 0; i <= ProposedFiles.MAX_FILES; i++) many.put("f" + i + ".charter", "");
        assertEquals("proposal_too_large", code(() -> ProposedFiles.parse(many)));
        ObjectNode big = JSON.createObjectNode();
        big.put("a.charter", "x".repeat(ProposedFiles.MAX_BYTES / 2));
        big.put("b.charter", "é".repeat(ProposedFiles.MAX_BYTES / 4 + 1));   // two bytes each in UTF-8
        assertEquals("proposal_too_large", code(() -> ProposedFiles.parse(big)));
        ObjectNode fits = JSON.createObjectNode();
        fits.put("a.charter", "x".repeat(ProposedFiles.MAX_BYTES));
        assertEquals(1, ProposedFiles.parse(fits).changes().size());
        assertEquals("bad_proposal", code(() -> ProposedFiles.parse(JSON.createObjectNode())));
        assertEquals("wrong_type", code(() -> ProposedFiles.parse(JSON.createArrayNode())));
        assertEquals("wrong_type", code(() -> ProposedFiles.parse(JSON.createObjectNode().put("a.charter", 7))));
        assertNull(ProposedFiles.parse(null));
    }

    static String code(Runnable r) {
        return assertThrows(CharterServer.ApiError.class, r::run).code;
    }
}
