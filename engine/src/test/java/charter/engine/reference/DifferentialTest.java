package charter.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compiled Drools path against the reference interpreter on generated Programs and
 * streams: a bounded number of cases from a fixed seed (scripts/differential runs as many as
 * you like). A failure prints the shrunk case as a folder under target/differential.
 */
class DifferentialTest {
    static final long SEED = Long.getLong("differential.seed", 20260409L);
    static final int PROGRAMS = Integer.getInteger("differential.programs", 12);

    @Test
    void compiledAndReferenceAgreeOnGeneratedCases() {
        DifferentialCampaign campaign = new DifferentialCampaign(SEED, 20, 12, Path.of("target/differential"));
        for (long k = 0; k < PROGRAMS; k++) campaign.program(k);
        assertEquals(List.of(), campaign.failures, () -> String.join("\n\n", campaign.failures));
        assertTrue(campaign.cases >= PROGRAMS, "cases run: " + campaign.cases);
        assertTrue(campaign.rejected < PROGRAMS / 2, "most generated Programs must be accepted; rejected " + campaign.rejected);
    }
}
