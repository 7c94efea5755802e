package charter.engine.reference;

import charter.compiler.Compilation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Many generated cases: each Program (compiled once) runs against several streams. Program
 * {@code k} of a campaign with seed {@code S} draws from {@code new Random(S * 1_000_003 + k)}, so
 * any case can be made again from the seed and its number. Failures are shrunk and written as
 * folders under {@code out}.
 */
final class DifferentialCampaign {
    private final long seed;
    private final int streamsPerProgram;
    private final int maxEvents;
    private final Path out;
    private final Differential differential = new Differential();
    final List<String> failures = new ArrayList<>();
    long cases;
    long programs;
    long rejected;
    /** Cases where one action identity covered combinations with different arguments (see Differential.Kind). */
    long ambiguous;

    DifferentialCampaign(long seed, int streamsPerProgram, int maxEvents, Path out) {
        this.seed = seed;
        this.streamsPerProgram = streamsPerProgram;
        this.maxEvents = maxEvents;
        this.out = out;
    }

    /** Runs program number {@code k} against its streams; records at most one failure per Program. */
    void program(long k) {
        Random random = new Random(seed * 1_000_003L + k);
        CaseGenerator generator = new CaseGenerator(random);
        List<String> declarations = generator.declarations();
        DiffCase first = generator.stream(declarations, maxEvents);
        programs++;
        Compilation compilation = differential.compile(first);
        if (!compilation.ok()) {
            cases++;
            Differential.Verdict v = differential.run(first);
            if (v.failed()) fail(k, first, v);
            else rejected++;
            return;
        }
        try (var js = compilation.program().functions()) {
            for (int s = 0; s < streamsPerProgram; s++) {
                DiffCase c = s == 0 ? first : generator.stream(declarations, maxEvents);
                cases++;
                Differential.Verdict v = differential.run(compilation.program(), c);
                if (v.kind() == Differential.Kind.AMBIGUOUS) ambiguous++;
                if (v.failed()) {
                    fail(k, c, v);
                    return;
                }
            }
        }
    }

    private void fail(long k, DiffCase c, Differential.Verdict v) {
        DiffCase small = Shrinker.shrink(c, candidate -> differential.run(candidate).kind() == v.kind());
        Differential.Verdict again = differential.run(small);
        Path dir = small.writeTo(out.resolve("seed-" + seed + "-program-" + k));
        failures.add(v.kind() + " (seed " + seed + ", program " + k + ") written to " + dir.toAbsolutePath() + "\n"
                + again.detail() + "\n" + small.listing());
    }
}
